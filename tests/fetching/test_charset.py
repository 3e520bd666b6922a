"""The one decoder for bytes (service.fetching.charset.decode_body): BOM, HTTP charset, <meta>, then detection."""

from __future__ import annotations

import codecs

import pytest

from service.fetching.charset import charset_from_meta, decode_body

RU = "Ледовый дворец на три тысячи зрителей открыли в Караганде, первая игра - в субботу."
DE = "Müller schließt die Bäckerei: Öffnungszeiten ändern sich ab Größe, heißt es."


def test_bom_wins_over_every_label():
    text, encoding = decode_body(codecs.BOM_UTF16_LE + RU.encode("utf-16-le"), "text/html; charset=iso-8859-1")
    assert (text, encoding) == (RU, "utf-16-le")
    assert decode_body(codecs.BOM_UTF8 + RU.encode(), "text/html; charset=windows-1251") == (RU, "utf-8")


def test_http_charset_then_meta_charset():
    page = f'<html><head><meta charset="koi8-r"></head><body><p>{RU}</p></body></html>'
    assert decode_body(page.encode("windows-1251"), "text/html; charset=windows-1251") == (page, "cp1251")
    assert decode_body(page.encode("koi8-r"), "text/html") == (page, "koi8-r")


def test_meta_charset_late_in_a_long_head_is_found_but_not_in_the_body():
    head = "<html><head><script>" + "var x = 1;\n" * 800 + "</script>"
    page = head + f'<meta http-equiv="Content-Type" content="text/html; charset=windows-1251"></head><p>{RU}</p>'
    assert len(head) > 4096
    assert charset_from_meta(page.encode("cp1251")) == "windows-1251"
    assert decode_body(page.encode("cp1251"), None) == (page, "cp1251")
    assert charset_from_meta(b'<html><body><p>x</p><meta charset="koi8-r"></body>') is None


def test_utf8_page_with_a_few_stray_latin1_bytes_stays_utf8():
    page = f'<html><head><meta charset="utf-8"></head><body><img alt="K\xfcchenblogs"><p>{DE}</p></body></html>'
    raw = page.replace("K\xfc", "K__").encode().replace(b"K__", b"K\xfc")  # one Latin-1 byte in UTF-8
    text, encoding = decode_body(raw, None)
    assert encoding == "utf-8" and "\ufffd" not in text
    assert DE in text and "Küchenblogs" in text


@pytest.mark.parametrize("text, charset", [(RU * 3, "cp1251"), (DE * 3, "cp1252")])
def test_undeclared_legacy_bytes_are_detected(text, charset):
    decoded, encoding = decode_body(text.encode(charset), None)
    assert decoded == text and encoding == charset


def test_mislabelled_latin1_that_is_utf8_is_read_as_utf8():
    assert decode_body(DE.encode(), "text/html; charset=ISO-8859-1") == (DE, "utf-8")


@pytest.mark.parametrize("label", ["cp037", "cp500", "cp1140", "raw_unicode_escape", "utf-7"])
def test_a_declared_charset_that_does_not_read_ascii_as_ascii_is_ignored(label):
    """The label was read from ASCII bytes (`<meta charset>`), so a charset that decodes those bytes otherwise
    cannot be the page's: a page saying cp037 decoded as EBCDIC is garbage (`article-ingest extract` ended it
    no_content) where the same page undeclared reads right."""
    page = f'<html><head><meta charset="{label}"><title>T</title></head><body><p>{DE}</p></body></html>'
    assert decode_body(page.encode(), None)[0] == page
    assert decode_body(page.replace(label, "utf-8").encode(), f"text/html; charset={label}")[0] == page.replace(
        label, "utf-8"
    )


@pytest.mark.parametrize("label", ["windows-1251", "koi8-r", "cp866", "iso-8859-5", "shift_jis", "gbk", "euc-kr"])
def test_valid_utf8_labelled_with_any_legacy_charset_is_read_as_utf8(label):
    """Hostile probe (issue 14): a UTF-8 Russian page whose header or <meta> said windows-1251 was stored as
    mojibake ("РњРѕСЃС‚") tagged Ukrainian: the valid-UTF-8 rule covered only the Western single-byte labels.
    Real text in a legacy charset is practically never valid multi-byte UTF-8 (Cyrillic letters in cp1251
    are all lead bytes, never continuation bytes)."""
    page = f'<html><head><meta charset="{label}"><title>Мост</title></head><body><p>{RU}</p></body></html>'
    assert decode_body(page.encode(), None) == (page, "utf-8")
    assert decode_body(page.encode(), f"text/html; charset={label}") == (page, "utf-8")


def test_a_page_declared_utf8_with_one_stray_byte_and_no_other_non_ascii_stays_utf8():
    """Hostile probe: one invalid byte in a page declared UTF-8 with no other non-ASCII text sent the whole page
    to detection, which read it as cp866 ("Title ■ here"): a byte or two is no evidence for another charset."""
    page = (
        b'<html><head><meta charset="utf-8"><title>Title \xfe here</title></head><body><p>Plain text.</p></body></html>'
    )
    text, encoding = decode_body(page, None)
    assert encoding == "utf-8" and "Title \xfe here" in text
