import subprocess
import sys

from conftest import REPO


def test_protocol_imports_no_heavy_modules():
    code = (
        "import sys, astroloc_qgis.engine.protocol, astroloc_qgis.engine.errors, "
        "astroloc_qgis.engine.exif_names, astroloc_qgis.engine.nasa_frames, astroloc_qgis.engine.checksum;"
        "heavy=[m for m in ('torch','numpy','faiss','rasterio','cv2','PyQt5','qgis') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
