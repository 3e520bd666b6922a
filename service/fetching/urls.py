"""URL normalisation for duplicate detection, and the page's own canonical link."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

import courlan

# Query parameters that only track the click; the page is the same without them.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "msclkid",
        "yclid",
        "igshid",
        "twclid",
        "ttclid",
        "li_fat_id",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "wickedid",
        "s_cid",
        "ocid",
        "cmpid",
        "ncid",
        "guccounter",
        "guce_referrer",
        "guce_referrer_sig",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_SAFE_PATH = "/:@!$&'()*+,;=-._~%"


def _is_tracking(name: str) -> bool:
    name = name.lower()
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)


def _requote(part: str, safe: str) -> str:
    # Decode then re-encode so %7E/~ and %c3%a9/%C3%A9 spell the same URL.
    return quote(unquote(part), safe=safe)


def normalize_url(url: str) -> str:
    """A stable spelling of `url`: lower-case scheme and host, IDNA host, no default port, no fragment,
    no tracking parameters, consistent percent-encoding. Query order is kept: some sites depend on it."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host.lower()
    except UnicodeError:
        host = host.lower()
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    netloc = host if port is None or port == _DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    path = _requote(parts.path, _SAFE_PATH) or "/"
    path = re.sub(r"/{2,}", "/", path)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    return urlunsplit((scheme, netloc, path, urlencode(query, quote_via=quote, safe="/:@!$'()*,;~"), ""))


def canonical_if_same_site(page_url: str, canonical: str | None) -> str:
    """The page's `<link rel=canonical>` (normalised) when it points to the same site, else the page URL.

    A canonical on another site is ignored: it would let any page claim to be another site's article.
    """
    if canonical and canonical.strip():
        candidate = urljoin(page_url, canonical.strip())
        if urlsplit(candidate).scheme in ("http", "https") and not courlan.is_external(
            candidate, page_url, ignore_suffix=False
        ):
            return normalize_url(candidate)
    return normalize_url(page_url)
