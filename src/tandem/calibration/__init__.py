"""Calibration: sessions where managers and HR compare a cycle's ratings across teams,
adjust them with reasons, place people on a 9-box, and lock the ratings of record."""
