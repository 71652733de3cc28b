"""The feedback coach: a local, deterministic writing coach for feedback, praise, review
answers, request answers and upward feedback (checks.py), the features' own checks
(registry.py), the company's extra words and the counts HR reads (models.py)."""
