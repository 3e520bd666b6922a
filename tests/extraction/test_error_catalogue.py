"""Every refusal the pipeline can raise carries a type from the one catalogue, ExtractionErrorType."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from service.extraction import ExtractionError, ExtractionErrorType, extract_document

SERVICE = Path(__file__).resolve().parents[2] / "service"


def _raise_sites() -> list[tuple[str, int, ast.expr]]:
    sites = []
    for path in SERVICE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "ExtractionError" and node.args:
                sites.append((str(path.relative_to(SERVICE)), node.lineno, node.args[0]))
    return sites


def test_every_raise_site_names_a_catalogued_type():
    sites = _raise_sites()
    assert len(sites) >= 15  # the pipeline, limits, complexity, html parsing, previews
    for where, line, first in sites:
        named = isinstance(first, ast.Attribute) and getattr(first.value, "id", None) == "ExtractionErrorType"
        converted = isinstance(first, ast.Call) and getattr(first.func, "id", None) == "ExtractionErrorType"
        assert named or converted, f"{where}:{line} raises ExtractionError with a bare type"
        if named:
            assert first.attr in ExtractionErrorType.__members__, f"{where}:{line}: {first.attr}"


@pytest.mark.parametrize(
    ("content", "kind", "expected"),
    [
        ("  \n ", "html", ExtractionErrorType.EMPTY_DOCUMENT),
        ("<p>x</p>", "pdf", ExtractionErrorType.UNSUPPORTED_KIND),
        ("a line\n" * 400_000, "text", ExtractionErrorType.DOCUMENT_TOO_LARGE),
        ("\x01\x02\x03" * 100, "html", ExtractionErrorType.NOT_A_DOCUMENT),
        ("<div>" * 1000 + "x", "html", ExtractionErrorType.DOCUMENT_TOO_COMPLEX),
        ("<html><body><script>var a = 1;</script></body></html>", "html", ExtractionErrorType.NO_CONTENT),
    ],
)
def test_refusals_carry_the_catalogued_type(content, kind, expected):
    with pytest.raises(ExtractionError) as info:
        extract_document(content, kind)
    assert info.value.type is expected
    assert str(info.value).startswith(f"{expected.value}: ")
