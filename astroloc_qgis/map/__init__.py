"""What both flows draw on the map: GeoJSON geometry, zoom, styles and the warped photo."""
