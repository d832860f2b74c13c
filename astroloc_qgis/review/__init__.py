"""Reviewing results: the Review tab, the queue of photos, the review map and the canvas keys."""
