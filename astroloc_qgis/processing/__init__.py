"""Processing provider `astroloc`: build an index, localize photos into a session, export confirmed footprints."""
