"""AstroLoc engine: plain Python (no Qt, no QGIS). Runs in the worker process and the CLI.

Importing this package is cheap on purpose: the plugin imports `engine.protocol` from inside
QGIS, so nothing heavy (torch, faiss, rasterio) may be imported at package level.
"""
