"""Measuring performance: status reports with earned value, and estimate reviews with calibration."""
