"""Pure helpers: URL normalisation, canonical links, capped decompression, charset decoding, errors."""

from __future__ import annotations

import pickle
import time
import zlib

import brotli
import pytest

from service.fetching import FetchError, canonical_if_same_site, normalize_url
from service.fetching.decoding import decode_stream
from service.kit.retry_after import parse_retry_after


@pytest.mark.parametrize(
    "url, expected",
    [
        ("HTTP://Example.COM:80/a?utm_source=x&b=2&fbclid=1&a=1#frag", "http://example.com/a?b=2&a=1"),
        ("https://example.com:443", "https://example.com/"),
        ("https://example.com:8443/x?gclid=abc", "https://example.com:8443/x"),
        ("https://ex.com/%7Efoo/caf%c3%a9", "https://ex.com/~foo/caf%C3%A9"),
        ("https://bücher.de/x", "https://xn--bcher-kva.de/x"),
        ("https://example.com/a?UTM_Campaign=1&mc_eid=2&id=7", "https://example.com/a?id=7"),
    ],
)
def test_normalize_url(url, expected):
    assert normalize_url(url) == expected
    assert normalize_url(expected) == expected


def test_canonical_same_site_only():
    page = "https://news.example.co.uk/story?utm_medium=x"
    assert canonical_if_same_site(page, "/canonical") == "https://news.example.co.uk/canonical"
    assert canonical_if_same_site(page, "https://www.example.co.uk/s") == "https://www.example.co.uk/s"
    assert canonical_if_same_site(page, "https://evil.example.org/s") == "https://news.example.co.uk/story"
    assert canonical_if_same_site(page, "javascript:alert(1)") == "https://news.example.co.uk/story"
    assert canonical_if_same_site(page, None) == "https://news.example.co.uk/story"


def _chunks(data: bytes, size: int = 8192):
    return (data[i : i + size] for i in range(0, len(data), size))


@pytest.mark.parametrize(
    "encoding, pack",
    [
        ("gzip", lambda d: _gzip(d)),
        ("deflate", zlib.compress),
        ("br", lambda d: brotli.compress(d, quality=5)),
    ],
)
def test_decompression_pieces_are_bounded_and_stop_early(encoding, pack):
    bomb = pack(bytes(64 * 1024 * 1024))
    produced = 0
    for piece in decode_stream(_chunks(bomb), encoding, max_output=1024 * 1024):
        assert len(piece) <= 128 * 1024
        produced += len(piece)
        if produced > 1024 * 1024:
            break  # the caller's cap: nothing more is inflated
    assert produced <= 1024 * 1024 + 128 * 1024


def _gzip(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, 31)
    return packer.compress(data) + packer.flush()


def test_unknown_or_corrupt_encoding():
    with pytest.raises(FetchError, match="bad_encoding"):
        list(decode_stream(iter([b"abc"]), "compress", 100))
    with pytest.raises(FetchError, match="bad_encoding"):
        list(decode_stream(iter([b"\x1f\x8bnot gzip at all"]), "gzip", 100))


def test_retry_after_forms():
    assert parse_retry_after("5") == 5
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0  # in the past
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_fetch_error_survives_pickling():
    error = pickle.loads(pickle.dumps(FetchError("http_429", "slow down", retry_after=30)))
    assert (error.type, error.detail, error.retryable) == ("http_429", "slow down", True)
    assert error.retry_after == 30
    assert not FetchError("http_404").retryable and FetchError("http_503").retryable


def test_a_host_that_is_not_valid_idna_is_a_typed_invalid_url(make_settings):
    """httpx's idna codec raises IDNAError (a UnicodeError) for an A-label like "xn--zz": it escaped as an
    unexpected exception and the job was redelivered until it died. No connection is made: it fails parsing."""
    import httpx

    from service.fetching.http import request_once

    with httpx.Client() as client, pytest.raises(FetchError) as info:
        request_once(
            client,
            "http://xn--zz.invalid/",
            make_settings(),
            headers={},
            deadline=time.monotonic() + 5,
            max_bytes=1000,
            accept_types=None,
        )
    assert info.value.type == "invalid_url" and not info.value.retryable
