"""cli layer of ikg."""
