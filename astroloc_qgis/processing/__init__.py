"""Processing provider `astroloc`: build an index (from rasters or a layer), localize photos into a
session, export confirmed footprints."""
