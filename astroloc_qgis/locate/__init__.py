"""Locating photos: the Locate tab, its controller, the worker tasks and the result layers."""
