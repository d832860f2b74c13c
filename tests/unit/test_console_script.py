"""The engine as a tool: the `astroloc` console script that `make setup` installs (editable) into
the engine environment, run from another folder, and the README's engine examples as written."""

from __future__ import annotations

import configparser
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

BIN = Path(sys.executable).parent  # the environment running the tests: .venv-engine in `make test`
ASTROLOC = BIN / "astroloc"


def _env() -> dict[str, str]:
    return {**os.environ, "ASTROLOC_THREADS": "1", "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


def astroloc(*args, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    assert ASTROLOC.is_file(), f"no {ASTROLOC}: run `make setup-engine` (installs the package editable)"
    return subprocess.run(
        [str(ASTROLOC), *map(str, args)], cwd=cwd, env=_env(), capture_output=True, text=True, timeout=timeout
    )


def test_console_script_runs_this_checkout_from_another_folder(tmp_path, built_index):
    out = astroloc("models", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "xfeat-mlvlad" in out.stdout and "default" in out.stdout
    info = astroloc("index", "info", built_index, cwd=tmp_path)
    assert info.returncode == 0 and "tiles:" in info.stdout, info.stderr
    usage = astroloc("--help", cwd=tmp_path)
    assert usage.stdout.startswith("usage: astroloc ")
    where = subprocess.run(
        [sys.executable, "-c", "import astroloc_qgis; print(astroloc_qgis.__file__)"],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
    )
    assert Path(where.stdout.strip()).resolve().parent.parent == REPO.resolve()  # editable: this checkout
    bad = astroloc("index", "info", tmp_path / "none", cwd=tmp_path)
    assert bad.returncode == 2 and bad.stderr.startswith("error: ") and len(bad.stderr.splitlines()) == 1


def test_one_version_for_the_package_and_the_plugin():
    from importlib.metadata import version

    from astroloc_qgis.engine.api import ENGINE_VERSION

    metadata = configparser.ConfigParser()
    metadata.read(REPO / "metadata.txt", encoding="utf-8")
    assert metadata["general"]["version"] == ENGINE_VERSION == version("astroloc-qgis")


def readme_engine_examples() -> list[str]:
    """The command lines of the README's `## Engine command line` bash block (comments dropped)."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Engine command line", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash\n(.*?)```", section, re.S)
    assert block, "README: no bash block under '## Engine command line'"
    return [
        line for line in block.group(1).splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]


@pytest.mark.slow
def test_readme_engine_examples_run_as_written(tmp_path):
    """Every line as written, one bash script, in a copy of the repository root's layout (the
    sample imagery linked, `out/` in the temporary folder). Slow: it builds the sample index
    (about a minute on one core) and locates the sample photo twice."""
    lines = readme_engine_examples()
    assert any(line.startswith("astroloc index build") for line in lines)
    (tmp_path / "resources").symlink_to(REPO / "resources")
    (tmp_path / ".venv-engine").symlink_to(BIN.parent)
    script = "set -euo pipefail\n" + "\n".join(lines) + "\n"
    out = subprocess.run(
        ["bash", "-c", script], cwd=tmp_path, env=_env(), capture_output=True, text=True, timeout=1200
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert (tmp_path / "out" / "index" / "manifest.json").is_file()
    assert '"status": "ok"' in out.stdout
