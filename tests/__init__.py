"""Tests; `tests.helpers` holds what the tests and the Makefile's benchmarks share."""
