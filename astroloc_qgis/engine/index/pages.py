"""Map every page of a memory-mapped file ahead of random reads (the re-ranking's float16 rows).

A row read for the first time through a memory map costs a page fault; at 1M tiles the 4 x 1000 rows a
photo re-ranks were ~1,300 faults, ~10 ms in this VM (docs/bench_scale.md). `MADV_POPULATE_READ`
(Linux >= 5.14) maps the whole file in one call (2 GB: ~0.8 s when it is in the page cache), run in a
background thread (ctypes releases the GIL) so opening stays fast and searches meanwhile fault as before.
"""

from __future__ import annotations

import ctypes
import mmap
import sys
import threading

import numpy as np

MADV_POPULATE_READ = 22  # linux/mman.h; older kernels answer EINVAL and nothing is mapped ahead
CHUNK = 64 << 20  # bytes per call: a released index stops the thread within one chunk
MAX_SHARE = 0.5  # populate only a file under this share of the available memory


def _available_bytes() -> int:
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _populate(arr: np.ndarray, stop: threading.Event) -> None:
    try:
        madvise = ctypes.CDLL(None, use_errno=True).madvise
    except (OSError, AttributeError):
        return
    madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    madvise.restype = ctypes.c_int
    start = arr.ctypes.data // mmap.PAGESIZE * mmap.PAGESIZE
    end = arr.ctypes.data + arr.nbytes
    for addr in range(start, end, CHUNK):
        if stop.is_set() or madvise(addr, min(CHUNK, end - addr), MADV_POPULATE_READ) != 0:
            return


def populate_in_background(arr: np.ndarray) -> tuple[threading.Thread, threading.Event] | None:
    """Start mapping the pages of a memory-mapped array (Linux; a file under MAX_SHARE of the available
    memory): (thread, stop event), or None where nothing was started. The thread holds the array."""
    if not sys.platform.startswith("linux") or not isinstance(arr, np.memmap) or arr.nbytes == 0:
        return None
    if arr.nbytes > MAX_SHARE * _available_bytes():
        return None
    stop = threading.Event()
    thread = threading.Thread(target=_populate, args=(arr, stop), name="astroloc-populate", daemon=True)
    thread.start()
    return thread, stop
