"""Calibration sessions (built by the calibration work of issue 14)."""
