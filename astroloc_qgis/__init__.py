"""AstroLoc for QGIS: find where a photo was taken.

This package is also imported by the engine worker (`python -m astroloc_qgis.engine`), which
has no QGIS: nothing here may import qgis at module level.
"""


def classFactory(iface):  # the name QGIS looks for
    from .plugin import AstroLocPlugin

    return AstroLocPlugin(iface)
