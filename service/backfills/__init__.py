"""Bulk backfills: a file of URLs accepted in one streaming request, then prepared (validated, normalised,
de-duplicated) and released as ingest jobs by a periodic releaser, at a bounded rate and a low priority.

The same release machinery serves re-extraction runs (kind "reprocess"): the items are stored articles, the
jobs re-run the pipeline on their raw input.

Stages, each its own module:
- parsing.py   request body (NDJSON or a JSON array) -> line records, constant memory
- accept.py    COPY the records into backfill_lines inside the request; nothing per line but a decode
- prepare.py   worker side: URL checks, normalize_url, in-file de-duplication -> backfill_items
- releaser.py  worker side: pending items -> articles + jobs, under the rate, in-flight and per-host caps
- progress.py  the admin report: totals by state, rate, ETA, errors by type
"""
