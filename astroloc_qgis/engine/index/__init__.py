"""The tile index: manifest, FAISS vectors, tile table (tiles.gpkg for QGIS)."""
