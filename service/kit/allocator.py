"""How the API process's C allocator keeps the memory it frees (glibc's malloc; elsewhere nothing is changed).

A request body of megabytes passes through several buffers of its size: uvicorn's, Litestar's join, msgspec's
scratch space and decoded string. Above its mmap threshold (128 KiB at start, raised as larger blocks are freed)
glibc maps each with fresh pages and unmaps it when freed, and it trims the heap's free top above 128 KiB, so every
large body pays again for page faults and the kernel's zeroing of every page. Measured on the 2-core VM (a 6 MB
JSON body read in 256 KiB chunks, joined and decoded by msgspec, in a loop): 6-9 ms of system CPU per body by
default, 0 ms with the thresholds below; user time unchanged (22-26 ms). In the API that was a quarter of what
refusing 3 MB of random bytes cost (tests/abuse/test_refusal_cost.py).

The price: the process keeps up to TRIM_THRESHOLD of freed heap and serves blocks up to MMAP_THRESHOLD from its
heaps, so its resident size stays near its high-water mark (at most the request cap, 10 MiB, times the body
buffers of the requests in flight) instead of shrinking after each large body.
"""

from __future__ import annotations

import ctypes

M_TRIM_THRESHOLD = -1  # glibc <malloc.h>
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 32 * 1024 * 1024  # blocks below this come from the heap (reused), not from fresh mappings
TRIM_THRESHOLD = 128 * 1024 * 1024  # free heap kept before it is given back to the system


def keep_freed_memory() -> bool:
    """Set glibc's mmap and trim thresholds for this process (call once, at the serving process's start).
    Returns False, changing nothing, where the C library has no `mallopt` (musl has a no-op one: also False)."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))
