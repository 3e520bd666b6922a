"""Writes openapi.yaml from the app (`python -m service.openapi`), or checks it for drift (`--check`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from service.app import create_app
from service.settings import Settings

TARGET = Path(__file__).resolve().parents[1] / "openapi.yaml"


def render() -> str:
    app = create_app(
        Settings(), session_factory=object(), dispatcher=object(), fetch=lambda *a: None, broker_check=lambda: None
    )
    return yaml.safe_dump(app.openapi_schema.to_schema(), sort_keys=True, allow_unicode=True, width=100)


def main(argv: list[str]) -> int:
    """Write openapi.yaml (exit 0), or with --check compare it with the app (exit 1 on drift)."""
    parser = argparse.ArgumentParser(prog="python -m service.openapi", description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail (exit 1) when openapi.yaml differs from the app")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        if not TARGET.exists() or TARGET.read_text() != text:
            print("openapi.yaml is out of date: run `python -m service.openapi` and commit it", file=sys.stderr)
            return 1
        print("openapi.yaml matches the app")
        return 0
    TARGET.write_text(text)
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
