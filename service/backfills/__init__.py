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
- service.py   pause, resume, cancel, bad-line listing; events.py the webhook sent when a backfill finishes
- reprocess.py re-extraction runs: a filter over stored articles becomes the items of a kind "reprocess" run
- priority.py  wire priorities per broker; client.py the `article-ingest backfill` command

Duplicates: in-file by normalize_url (first line wins); against stored articles (any key, not failed) at
release time, so a URL ingested live after the upload is still not fetched twice. `refresh` fetches anyway.
"""
