"""fetch_page against local servers: redirects, deadlines, size caps, charsets, retries, robots."""

from __future__ import annotations

import time

import pytest

from service.fetching import FetchError, fetch_page

from .servers import respond

HTML = b"<html><head><title>t</title></head><body><p>Hello</p></body></html>"


def page(body: bytes = HTML, **headers):
    return lambda h: respond(h, 200, body, headers)


def redirect(location: str, status: int = 302):
    return lambda h: respond(h, status, headers={"Location": location})


def fails(exc_type: str, call, **kw) -> FetchError:
    with pytest.raises(FetchError) as info:
        call(**kw)
    assert info.value.type == exc_type, info.value
    return info.value


@pytest.fixture
def fetch(site, make_settings):
    def run(path: str, **overrides):
        run.settings = make_settings(site, **overrides)
        return fetch_page(site.url(path), run.settings)

    return run


# --- redirects -----------------------------------------------------------------------------------------


def test_redirect_chain_is_followed(site, fetch):
    site.routes.update(
        {
            "/r1": redirect("/r2", 301),
            "/r2": redirect(site.url("/r3"), 307),
            "/r3": redirect("page", 308),
            "/page": page(),
        }
    )
    result = fetch("/r1")
    assert result.final_url == site.url("/page") and result.requested_url == site.url("/r1")
    assert result.text == HTML.decode()


def test_more_than_five_redirects(site, fetch):
    for i in range(7):
        site.routes[f"/h{i}"] = redirect(f"/h{i + 1}")
    site.routes["/h7"] = page()
    fails("too_many_redirects", fetch, path="/h0")
    assert site.hits.get("/h6") is None  # the sixth redirect is never followed
    site.routes["/h2"] = page()
    assert fetch("/h0").final_url == site.url("/h2")


def test_redirect_loop(site, fetch):
    site.routes.update({"/a": redirect("/b"), "/b": redirect("/a")})
    error = fails("too_many_redirects", fetch, path="/a")
    assert not error.retryable and site.hits["/a"] == 1


def test_cookies_and_validators_do_not_cross_hosts(site, make_settings):
    settings = make_settings(site, respect_robots=False)
    local = lambda host: ["127.0.0.1"]  # noqa: E731 - two names for the one local site
    site.routes["/start"] = lambda h: respond(
        h, 302, headers={"Location": f"http://other.test:{site.port}/end", "Set-Cookie": "session=secret; Path=/"}
    )
    site.routes["/end"] = page()
    fetch_page(f"http://first.test:{site.port}/start", settings, etag='"v1"', resolver=local)
    first, second = site.request_headers
    assert first["If-None-Match"] == '"v1"' and first["Host"] == f"first.test:{site.port}"
    assert "Cookie" not in second and "If-None-Match" not in second and "Authorization" not in second


# --- deadlines ----------------------------------------------------------------------------------------


def test_one_byte_per_second_server_hits_total_deadline(site, fetch):
    def trickle(h):
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", "100")
        h.end_headers()
        for _ in range(100):
            h.wfile.write(b"x")
            h.wfile.flush()
            time.sleep(1)

    site.routes["/slow"] = trickle
    started = time.monotonic()
    error = fails("fetch_timeout", fetch, path="/slow", fetch_total_timeout=2.0, respect_robots=False)
    assert error.retryable and time.monotonic() - started < 4.0
    assert site.hits["/slow"] == 1  # no time left to retry inside the budget


def test_stalled_server_read_timeout_is_retried(site, fetch):
    def stall(h):
        time.sleep(1.0)
        respond(h, 200, HTML)

    site.routes["/stall"] = stall
    error = fails("fetch_timeout", fetch, path="/stall", fetch_read_timeout=0.3, respect_robots=False)
    assert error.retryable and site.hits["/stall"] == 3  # first try + 2 retries


# --- sizes and types -----------------------------------------------------------------------------------


def test_declared_length_over_limit(site, fetch):
    site.routes["/big"] = page(b"x" * 5000)
    fails("too_large", fetch, path="/big", fetch_max_bytes=1000, respect_robots=False)


def test_streamed_body_is_cut_at_limit(site, fetch):
    sent = []

    def endless(h):
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Connection", "close")
        h.end_headers()
        total = 0
        try:
            while total < 200 * 1024 * 1024:
                h.wfile.write(b"<p>" + b"x" * 65536 + b"</p>")
                total += 65543
        except OSError:
            pass
        finally:
            sent.append(total)

    site.routes["/endless"] = endless
    fails("too_large", fetch, path="/endless", fetch_max_bytes=1024 * 1024, respect_robots=False)
    deadline = time.monotonic() + 3
    while not sent and time.monotonic() < deadline:
        time.sleep(0.02)
    assert sent and sent[0] < 20 * 1024 * 1024  # stopped reading: the server could not send it all


def test_not_html_is_refused_without_reading(site, fetch):
    site.routes["/doc.pdf"] = page(b"%PDF-1.7", **{"Content-Type": "application/pdf"})
    error = fails("not_html", fetch, path="/doc.pdf", respect_robots=False)
    assert not error.retryable and site.hits["/doc.pdf"] == 1


@pytest.mark.parametrize("content_type", ["text/plain; charset=utf-8", "application/xhtml+xml"])
def test_text_and_xhtml_accepted(site, fetch, content_type):
    site.routes["/p"] = page(HTML, **{"Content-Type": content_type})
    assert fetch("/p", respect_robots=False).content_type == content_type.split(";")[0]


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br"])
def test_compressed_pages(site, fetch, encoding):
    import gzip
    import zlib

    import brotli

    body = {"gzip": gzip.compress, "deflate": zlib.compress, "br": brotli.compress}[encoding](HTML * 100)
    site.routes["/c"] = page(body, **{"Content-Encoding": encoding})
    result = fetch("/c", respect_robots=False)
    assert result.text == (HTML * 100).decode() and result.raw_bytes_len == len(body)


def test_decompressed_size_over_limit(site, fetch):
    import gzip

    site.routes["/bomb"] = page(gzip.compress(b"\0" * (20 * 1024 * 1024)), **{"Content-Encoding": "gzip"})
    fails("too_large", fetch, path="/bomb", fetch_max_bytes=1024 * 1024, respect_robots=False)


# --- charsets ------------------------------------------------------------------------------------------

FRENCH = (
    "<html><body><p>Le cinéma français a présenté à Cannes une œuvre très appréciée : l'été, "
    "les élèves étudient à l'école où ils découvrent la poésie grâce à leur professeur.</p>"
    "</body></html>"
)


@pytest.mark.parametrize(
    "body, content_type, expected_encoding",
    [
        (FRENCH.encode("cp1252"), "text/html; charset=utf-8", None),  # Latin-1 page labelled UTF-8
        (FRENCH.encode("cp1252"), "text/html", None),  # no charset anywhere
        (FRENCH.encode("utf-8"), "text/html; charset=iso-8859-1", "utf-8"),  # UTF-8 page labelled Latin-1
        (FRENCH.replace("<html>", '<html><meta charset="windows-1252">').encode("cp1252"), "text/html", "cp1252"),
        (b"\xef\xbb\xbf" + FRENCH.encode("utf-8"), "text/html; charset=windows-1252", "utf-8"),  # BOM wins
        (FRENCH.encode("utf-8"), "text/html", "utf-8"),
    ],
)
def test_charsets(site, fetch, body, content_type, expected_encoding):
    site.routes["/fr"] = page(body, **{"Content-Type": content_type})
    result = fetch("/fr", respect_robots=False)
    assert "cinéma français" in result.text and "œuvre" in result.text and "\ufffd" not in result.text
    assert "Ã" not in result.text  # no mojibake
    if expected_encoding:
        assert result.encoding == expected_encoding


def test_japanese_declared_in_header(site, fetch):
    text = "<html><body><p>日本語のニュース記事です。今日は晴れ。</p></body></html>"
    site.routes["/ja"] = page(text.encode("shift_jis"), **{"Content-Type": "text/html; charset=Shift_JIS"})
    assert fetch("/ja", respect_robots=False).text == text


# --- statuses, retries, Retry-After --------------------------------------------------------------------


@pytest.mark.parametrize("status", [404, 410, 451])
def test_permanent_statuses_are_not_retried(site, fetch, status):
    site.routes["/gone"] = lambda h: respond(h, status, b"no")
    error = fails(f"http_{status}", fetch, path="/gone", respect_robots=False)
    assert not error.retryable and site.hits["/gone"] == 1


def test_5xx_retried_with_backoff_then_reported(site, fetch):
    site.routes["/err"] = lambda h: respond(h, 502, b"bad gateway")
    error = fails("http_502", fetch, path="/err", respect_robots=False)
    assert error.retryable and site.hits["/err"] == 3


def test_transient_5xx_recovers(site, fetch):
    site.routes["/flaky"] = lambda h: respond(h, 500) if site.hits["/flaky"] == 1 else respond(h, 200, HTML)
    assert fetch("/flaky", respect_robots=False).status_code == 200


def test_429_with_short_retry_after_is_waited_and_retried(site, fetch):
    site.routes["/busy"] = lambda h: (
        respond(h, 429, headers={"Retry-After": "1"}) if site.hits["/busy"] == 1 else respond(h, 200, HTML)
    )
    started = time.monotonic()
    assert fetch("/busy", respect_robots=False).status_code == 200
    assert time.monotonic() - started >= 0.95 and site.hits["/busy"] == 2


def test_long_retry_after_goes_back_to_the_caller_and_pauses_the_host(site, fetch):
    site.routes["/busy"] = lambda h: respond(h, 503, headers={"Retry-After": "120"})
    error = fails("http_503", fetch, path="/busy", respect_robots=False)
    assert error.retryable and error.retry_after == pytest.approx(120, abs=1) and site.hits["/busy"] == 1
    # every worker now holds off the host until the pause ends
    error = fails("host_busy", fetch, path="/busy", respect_robots=False)
    assert error.retry_after > 100 and site.hits["/busy"] == 1


def test_connection_refused_is_a_retryable_connection_error(make_settings, canary):
    port = canary.port
    canary.close()  # nothing listens there any more
    settings = make_settings(allowed_ports=[port], respect_robots=False)
    error = fails("connection_error", fetch_page, url=f"http://127.0.0.1:{port}/", settings=settings)
    assert error.retryable


def test_conditional_request(site, fetch):
    def versioned(h):
        if h.headers.get("If-None-Match") == '"v1"':
            respond(h, 304, headers={"ETag": '"v1"'})
        else:
            respond(h, 200, HTML, {"ETag": '"v1"', "Last-Modified": "Wed, 01 Jan 2025 00:00:00 GMT"})

    site.routes["/v"] = versioned
    first = fetch("/v", respect_robots=False)
    assert first.etag == '"v1"' and first.last_modified and not first.not_modified
    again = fetch_page(site.url("/v"), fetch.settings, etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.text == "" and again.etag == '"v1"'
    assert site.request_headers[-1]["If-Modified-Since"] == first.last_modified


def test_invalid_urls(make_settings):
    settings = make_settings()
    for url in ("not a url", "", "http://", "mailto:a@b.c"):
        fails("invalid_url", fetch_page, url=url, settings=settings)


# --- robots.txt ----------------------------------------------------------------------------------------

ROBOTS = (
    b"User-agent: otherbot\nDisallow: /\n\nUser-agent: *\nDisallow: /private\n\n"
    b"User-agent: article-ingest\nDisallow: /private\nDisallow: /no-ingest\n"
)


def test_robots_disallow(site, fetch):
    site.routes.update(
        {
            "/robots.txt": page(ROBOTS, **{"Content-Type": "text/plain"}),
            "/private/a": page(),
            "/no-ingest": page(),
            "/public": page(),
        }
    )
    assert fails("robots_disallowed", fetch, path="/private/a").retryable is False
    fails("robots_disallowed", fetch, path="/no-ingest")  # our own user-agent group
    assert fetch("/public").status_code == 200
    assert "/private/a" not in site.hits and "/no-ingest" not in site.hits
    assert site.hits["/robots.txt"] == 1  # cached per host
    assert fetch("/private/a", respect_robots=False).status_code == 200


def test_redirect_into_disallowed_path(site, fetch):
    site.routes.update({"/robots.txt": page(ROBOTS, **{"Content-Type": "text/plain"}), "/go": redirect("/private/x")})
    fails("robots_disallowed", fetch, path="/go")


def test_robots_missing_allows_and_server_error_defers(site, fetch):
    site.routes["/p"] = page()
    assert fetch("/p").status_code == 200  # 404 robots.txt: no rules
    from service.fetching.robots import ROBOTS_CACHE

    ROBOTS_CACHE.clear()
    site.routes["/robots.txt"] = lambda h: respond(h, 500)
    assert fails("robots_unreachable", fetch, path="/p").retryable


def test_a_host_that_refuses_connections_is_a_connection_error_not_a_robots_one(make_settings):
    """With robots.txt respected, the first connection goes to /robots.txt: a refused connection is the host's
    problem (connection_error, retryable), not an unreachable robots file (a new-user trial saw the latter)."""
    import socket

    with socket.socket() as s:  # a port on loopback that nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = make_settings(None, allowed_ports=[port], fetch_max_retries=0)
    error = fails("connection_error", lambda: fetch_page(f"http://127.0.0.1:{port}/story.html", settings))
    assert error.retryable
