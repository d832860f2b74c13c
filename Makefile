# AstroLoc for QGIS — every developer and CI task runs from here.
SHELL := /bin/bash
ENGINE_VENV ?= .venv-engine
QGIS_VENV   ?= .venv-qgis
ENGINE_PY   := $(ENGINE_VENV)/bin/python
QGIS_PY     := $(QGIS_VENV)/bin/python
APT_PACKAGES := qgis python3-qgis xvfb xauth python3-venv pyqt5-dev-tools
OUT ?= out
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help setup setup-apt setup-engine setup-qgis demo test test-engine test-qgis lint \
        bench bench-retrieval bench-locate bench-locate-orbital bench-calibration bench-priors bench-scale bench-pose bench-pose-points bench-soak bench-soak-engine \
        bench-orbital bench-rerank bench-adapt bench-imagery bench-modes check-iss-pairs diag-locate diag-locate-orbital package deploy i18n screenshot screenshot-batch screenshot-kinds screenshot-coverage sample-data clean \
        bench-modes-historical time-locate

help:
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*##/\t/'

setup: setup-apt setup-engine setup-qgis ## install what is missing (idempotent)

setup-apt: ## Debian's QGIS, Xvfb (apt, only when missing)
	@bash tools/setup_apt.sh $(APT_PACKAGES)

$(ENGINE_VENV)/.stamp: requirements/engine.txt requirements/dev.txt pyproject.toml
	@test -x $(ENGINE_PY) || /usr/bin/python3 -m venv $(ENGINE_VENV)
	$(ENGINE_PY) -m pip install -q --disable-pip-version-check -r requirements/engine.txt -r requirements/dev.txt
	@# this checkout, editable: the `astroloc` command; nothing fetched (dependencies above, torch's setuptools builds)
	$(ENGINE_PY) -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	@if $(ENGINE_VENV)/bin/pip list 2>/dev/null | grep -qiE '^(nvidia-|triton|torchvision)'; then \
	  echo "ERROR: CUDA/torchvision packages were pulled into $(ENGINE_VENV)" >&2; exit 1; fi
	@touch $@

setup-engine: $(ENGINE_VENV)/.stamp ## engine worker venv (.venv-engine) with the `astroloc` command

$(QGIS_VENV)/.stamp: requirements/qgis-tests.txt
	@test -x $(QGIS_PY) || /usr/bin/python3 -m venv --system-site-packages $(QGIS_VENV)
	$(QGIS_PY) -m pip install -q --disable-pip-version-check -r requirements/qgis-tests.txt
	@touch $@

setup-qgis: setup-apt $(QGIS_VENV)/.stamp ## QGIS-side test venv (.venv-qgis)

demo: setup ## index the bundled sample imagery, localize the sample photo
	bash tools/demo.sh

test: setup ## all tests (engine unit, QGIS, end-to-end); fails if no test ran
	bash tools/run_tests.sh

test-engine: setup-engine
	$(ENGINE_PY) -m pytest -q tests/unit

lint: setup-engine
	$(ENGINE_VENV)/bin/ruff check astroloc_qgis tests tools

bench: bench-retrieval bench-locate ## all benchmarks

bench-retrieval: setup-engine ## retrieval table (R@k per model, throughput, latency)
	$(ENGINE_PY) -m tools.bench_retrieval

bench-orbital: setup-engine ## retrieval on rendered ISS photos, R@k per model (docs/bench_orbital.md)
	nice $(ENGINE_PY) -m tools.bench_orbital

bench-rerank: setup-engine ## re-ranking the retrieval top-100 of 60 rendered ISS photos: R@1/8/32 per re-ranker (docs/bench_rerank.md)
	nice $(ENGINE_PY) -m tools.bench_rerank

bench-adapt: setup-engine ## learning from confirmations: held-out R@1/R@10 before/after index adapt (docs/bench_adapt.md)
	nice $(ENGINE_PY) -m tools.bench_adapt

check-iss-pairs: setup-engine ## the two real ISS photos: matching (PNGs in out/iss_pairs) and retrieval rank per model
	nice $(ENGINE_PY) -m tools.iss_pairs_check --out $(OUT)/iss_pairs

bench-locate: setup-engine ## footprint / pose table per tilt bucket
	$(ENGINE_PY) -m tools.bench_locate

bench-calibration: setup-engine ## the footprint confidence refitted on cross-year and orbital runs, each run held out (~45 min on 2 cores)
	nice $(ENGINE_PY) -m tools.bench_locate --seed 1 --no-write
	nice $(ENGINE_PY) -m tools.bench_locate --seed 7 --no-write
	nice $(ENGINE_PY) -m tools.bench_locate --orbital 30 --seed 413 --config cascade --no-write
	nice $(ENGINE_PY) -m tools.bench_locate --orbital 30 --seed 414 --config cascade --no-write
	$(ENGINE_PY) -m tools.bench_locate --calibrate 1 7 cascade_orbital30_seed413 cascade_orbital30_seed414

bench-modes-historical: setup-engine ## historical and satellite modes vs the aerial path on rendered views (docs/bench_modes_historical.md, < 10 min)
	nice $(ENGINE_PY) -m tools.bench_modes_historical

bench-imagery: setup-engine ## index from a tile service: fetch + index throughput from a loopback server, cache bytes per tile (docs/bench_imagery.md)
	nice $(ENGINE_PY) -m tools.bench_imagery

bench-locate-orbital: setup-engine ## the cascade on 30 rendered ISS photos, cascade vs always-heavy, with/without nadir prior (~1 h on 2 shared cores)
	nice $(ENGINE_PY) -m tools.bench_locate --orbital 30 --config cascade
	nice $(ENGINE_PY) -m tools.bench_locate --orbital 30 --config heavy
	nice $(ENGINE_PY) -m tools.bench_locate --orbital 30 --config cascade --prior
	$(ENGINE_PY) -m tools.bench_locate --cascade-table cascade_orbital30_seed413 heavy_orbital30_seed413 \
	    cascade_prior_orbital30_seed413

bench-modes: setup-engine ## by kind of photo: ground photos (x, y, yaw) vs the aerial path on the same photos (docs/bench_modes.md, ~10 min)
	nice $(ENGINE_PY) -m tools.bench_modes

bench-priors: setup-engine ## retrieval with and without search priors, cost of the FAISS restriction
	$(ENGINE_PY) -m tools.bench_priors

bench-scale: setup-engine ## Dask build 1 vs 2 workers, 100k/1M-tile search, prior, bytes/tile, open, RSS (docs/bench_scale.md)
	ASTROLOC_DATA=$${ASTROLOC_DATA:-/work/shared/data} nice $(ENGINE_PY) -m tools.bench_scale

bench-soak: setup ## 300 photos through the batch queue and the worker: RSS, lost/duplicated results (docs/bench_soak.md)
	QT_QPA_PLATFORM=offscreen PROJ_DATA=/usr/share/proj nice $(QGIS_PY) -m tools.bench_soak

bench-soak-engine: setup ## the soak's requests in one engine process (no worker, no QGIS): RSS every 10 photos
	PYTHONPATH=. $(QGIS_PY) -c "from pathlib import Path; from tests.helpers.batch_photos import make_photos; \
	  from tests.helpers.qgis_sample import build_index; build_index(Path('$(OUT)/bench_soak')); \
	  make_photos(Path('$(OUT)/bench_soak/photos_150'), 150)"
	ASTROLOC_THREADS=1 nice $(ENGINE_PY) -m tools.soak_engine $(OUT)/bench_soak/index $(OUT)/bench_soak/photos_150

time-locate: setup-engine ## CPU seconds per stage of a warm locate on rendered ISS views (needs a bench-locate --orbital 12 run)
	nice $(ENGINE_PY) -m tools.time_locate

bench-pose: setup-engine ## camera-pose table on exact views with noisy correspondences (BASELINE=/path/to/checkout adds its row; RELIEF_M=2000 puts hills under the views)
	$(ENGINE_PY) -m tools.bench_pose $(if $(BASELINE),--baseline-code $(BASELINE)) $(if $(RELIEF_M),--relief-m $(RELIEF_M))

bench-pose-points: setup-engine ## the pose's correspondences: polished match vs pose_correspondences on exact rendered views
	$(ENGINE_PY) -m tools.bench_pose_points

diag-locate: setup-engine ## where views are lost: coarse priors, and refinement from the truth (needs a bench-locate run)
	$(ENGINE_PY) -m tools.diag_coarse --seed 1
	$(ENGINE_PY) -m tools.oracle_locate --seed 7 1

diag-locate-orbital: setup-engine ## rendered ISS photos: refinement from the truth, beside the last bench-locate-orbital run (~5 min)
	nice $(ENGINE_PY) -m tools.oracle_locate --orbital 30 --seed 413

package: ## plugin zip for QGIS "Install from ZIP" (dist/)
	/usr/bin/python3 tools/package.py

deploy: ## link the plugin into the default QGIS profile (development)
	bash tools/deploy.sh

i18n: ## update i18n/*.ts and compile .qm
	bash tools/i18n.sh

screenshot: setup ## PNGs of QGIS with the panel after a real localization (docs/)
	bash tools/screenshot.sh

screenshot-kinds: setup ## PNG of a drone photo located with its EXIF GPS fix drawn beside the camera (docs/screenshot_kinds.png)
	$(ENGINE_PY) -m tools.make_drone_photo out/screenshot_kinds/DJI_0001.JPG
	PHOTO=$(CURDIR)/out/screenshot_kinds/DJI_0001.JPG KIND=drone SHOT=$(CURDIR)/docs/screenshot_kinds.png \
		SKIP_COMPARE=1 SKIP_REVIEW=1 bash tools/screenshot.sh

screenshot-batch: setup ## PNG of the Locate tab's batch queue while a dropped folder runs (docs/screenshot_batch.png)
	bash tools/screenshot_batch.sh

screenshot-coverage: setup ## PNGs of a synthetic 200,000-tile index's coverage, zoomed out and in (out/screenshot_coverage)
	nice bash tools/screenshot_coverage.sh

sample-data: setup-engine ## rebuild resources/sample from ../shared/data
	$(ENGINE_PY) -m tools.make_sample_data

clean:
	rm -rf $(OUT) dist build
