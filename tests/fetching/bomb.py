"""A gzip bomb (about 1 MB that inflates to 1 GiB) and the peak-RSS measurement used by test and benchmark."""

from __future__ import annotations

import functools
import json
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

from service.settings import Settings

REPO = Path(__file__).resolve().parents[2]


@functools.cache
def gzip_bomb(inflated: int = 1024**3) -> bytes:
    """Built from one compressed 1 MiB block repeated: after a full flush the compressor has no history,
    so each further block compresses to the same bytes. Seconds faster than compressing 1 GiB."""
    block = bytes(1024 * 1024)
    count = inflated // len(block)
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    first = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    repeated = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    final_empty_block = b"\x03\x00"
    trailer = struct.pack("<II", crc, (count * len(block)) & 0xFFFFFFFF)
    return first + repeated * (count - 1) + final_empty_block + trailer


def peak_rss_kb(settings: Settings, url: str | None) -> dict:
    """Runs one fetch (or, with url=None, only the imports) in a fresh process and returns its peak RSS."""
    args = [sys.executable, "-m", "tests.fetching.workers", settings.model_dump_json(), *filter(None, [url])]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = subprocess.run(args, cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])
