"""Developer tools run from the Makefile (benchmarks, sample data)."""
