"""search layer of ikg."""
