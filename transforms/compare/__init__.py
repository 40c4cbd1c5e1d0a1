"""Across articles: near-copies of one story and claims about one quantity."""
