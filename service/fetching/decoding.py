"""Content-Encoding decoders with an output cap.

httpx inflates gzip/deflate/brotli with no output limit (a 1 MB gzip bomb gave a 67 MB first chunk), so the
fetcher reads raw bytes and decodes them here, never producing more than `max_output` bytes in one step.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

import brotli

from .errors import FetchError

SUPPORTED = ("gzip", "deflate", "br")
ACCEPT_ENCODING = "gzip, deflate, br"


class _Identity:
    def feed(self, data: bytes, limit: int) -> Iterator[bytes]:
        yield data


class _Zlib:
    def __init__(self, wbits: int) -> None:
        self._obj = zlib.decompressobj(wbits)
        self._deflate = wbits == zlib.MAX_WBITS  # "deflate" may be zlib-wrapped or raw; decide on first bytes
        self._started = False

    def feed(self, data: bytes, limit: int) -> Iterator[bytes]:
        if not self._started and data:
            self._started = True
            if self._deflate and (data[0] & 0x0F) != 8:
                self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
        # max_length bounds each output piece; unread input waits in unconsumed_tail. A full-size piece
        # means zlib may hold more output, so keep asking until a short piece says it is drained.
        while not self._obj.eof:
            try:
                out = self._obj.decompress(data, limit)
            except zlib.error as exc:
                raise FetchError("bad_encoding", f"corrupt compressed body: {exc}") from None
            data = self._obj.unconsumed_tail
            if out:
                yield out
            if not data and len(out) < limit:
                return


class _Brotli:
    def __init__(self) -> None:
        self._obj = brotli.Decompressor()

    def feed(self, data: bytes, limit: int) -> Iterator[bytes]:
        # output_buffer_limit is a soft cap (the buffer may overshoot by one growth step); pending output
        # must be drained with empty input before more input is given, or it is lost.
        try:
            out = self._obj.process(data, output_buffer_limit=limit)
            while out:
                yield out
                out = self._obj.process(b"", output_buffer_limit=limit)
        except brotli.error as exc:
            raise FetchError("bad_encoding", f"corrupt brotli body: {exc}") from None


def _decoder(coding: str) -> _Identity | _Zlib | _Brotli:
    if coding in ("", "identity"):
        return _Identity()
    if coding in ("gzip", "x-gzip"):
        return _Zlib(zlib.MAX_WBITS | 16)
    if coding == "deflate":
        return _Zlib(zlib.MAX_WBITS)
    if coding == "br":
        return _Brotli()
    raise FetchError("bad_encoding", f"unsupported Content-Encoding {coding!r}")


def decode_stream(
    chunks: Iterator[bytes], content_encoding: str | None, max_output: int, piece: int = 64 * 1024
) -> Iterator[bytes]:
    """Decodes a raw body stream through its Content-Encoding chain, in pieces of at most `piece` bytes.

    The caller counts output and stops consuming at its cap; because every stage is lazy and bounded,
    stopping early also stops decompression (and reading from the network).
    """
    codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
    stream: Iterator[bytes] = chunks
    # Encodings are listed in the order applied, so decode from the last one back.
    for coding in reversed(codings):
        stream = _chain(stream, _decoder(coding), min(piece, max_output + 1))
    return stream


def _chain(source: Iterator[bytes], decoder: _Identity | _Zlib | _Brotli, limit: int) -> Iterator[bytes]:
    for chunk in source:
        yield from decoder.feed(chunk, limit)
