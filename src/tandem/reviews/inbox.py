"""Open reviews and nominations in "Things waiting for you" (filled in by the running area)."""
