"""Fairness's writes, each in one transaction with its permission check and audit entry.

- `attributes`: importing people's protected attributes from a CSV/XLSX file
"""
