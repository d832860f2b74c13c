"""What the tests and the Makefile's tools share: camera and orbital views with exact ground truth,
warped training-style views, a loopback tile server, the sample index and photos of the QGIS tests,
the demo and the screenshots, a headless QGIS batch run. Tools import from here, never the other way."""
