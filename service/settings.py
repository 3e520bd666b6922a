"""One Settings model, read from the environment (prefix INGEST_) in entry points only and passed down."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="INGEST_", extra="ignore")

    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    broker_url: str = "amqp://guest:guest@127.0.0.1:5672//"
    queue_prefix: str = ""  # isolates deployments (and test runs) sharing one broker
    redis_url: str = "redis://127.0.0.1:6379/0"  # shared rate limits and per-host politeness
    public_base_url: str = "http://127.0.0.1:8000"

    # Fetching
    allow_private_networks: bool = False  # tests and local demos only: lifts the SSRF guard
    allowed_ports: list[int] = Field(default_factory=lambda: [80, 443])
    allow_any_port: bool = False  # local demos only (`article-ingest dev`): lifts allowed_ports
    user_agent: str = "article-ingest/0.1 (+https://github.com/newsroom/article-ingest)"
    fetch_connect_timeout: float = 5.0
    fetch_read_timeout: float = 10.0
    fetch_total_timeout: float = 30.0
    fetch_max_bytes: int = 5 * 1024 * 1024
    fetch_max_redirects: int = 5
    respect_robots: bool = True
    per_host_concurrency: int = 2
    per_host_rate_per_second: float = 2.0
    politeness_key_prefix: str = "ingest:fetch:"  # Redis keys for per-host limits; tests use their own
    robots_cache_seconds: float = 3600.0
    robots_max_bytes: int = 512 * 1024
    fetch_max_retries: int = 2  # in-call retries of transient failures; the task retries later for longer
    fetch_backoff_base: float = 0.5  # seconds; exponential with full jitter
    fetch_max_retry_after: float = 10.0  # longer Retry-After values are handed back to the caller

    # API process
    # Threads that run the synchronous handlers, and as many database connections, so that no request waits
    # for a connection to be opened under load (opening one costs Postgres a process fork).
    api_threads: int = 16
    # Addresses of the reverse proxies whose X-Forwarded-For / X-Forwarded-Proto the API believes (uvicorn's
    # --forwarded-allow-ips: comma-separated addresses or networks, "*" for any). Empty: none, and the client
    # address is the peer's. uvicorn's own default trusts 127.0.0.1, so any local process could name itself any
    # address and escape the per-address limit on failed authentications (one bucket per forged address).
    forwarded_allow_ips: str = ""

    # Extraction
    # Language identification (service/extraction/language.py): CLD2 + fastText measured best on every labelled
    # set (benchmarks/RESULTS.md); langdetect is kept for deployments that standardise on it.
    language_detector: Literal["cld2+fasttext", "langdetect"] = "cld2+fasttext"

    # Previews (POST /v1/extract): extraction runs in a pool of processes per API process, each preview under a
    # wall-clock limit (a process past it is killed: lxml's C code cannot be interrupted otherwise). One API key
    # may use all but one of them, so another key always finds one free.
    preview_processes: int = 2
    preview_timeout_seconds: float = 15.0
    preview_wait_seconds: float = 2.0  # for a free process, then 503 with Retry-After
    # URL previews fetch on an API thread: at most this many at once per process (a key at most half), so slow
    # sites cannot take the threads that reads and submissions need (INGEST_API_THREADS).
    preview_fetch_concurrency: int = 4

    # Exports (GET /v1/articles/export) hold a database connection and a snapshot while they stream: a response
    # chunk the client does not take within the write timeout ends the export, and each API process streams at
    # most export_max_concurrent at once (more: 503 with Retry-After), so exports never take the whole pool.
    export_write_timeout_seconds: float = 30.0
    export_max_concurrent: int = 4

    # Input limits
    max_request_bytes: int = 10 * 1024 * 1024
    # A request body must arrive within body_read_timeout_seconds, extended by a second per
    # body_min_rate_bytes_per_second bytes, with no pause longer than the timeout: else 408 (api/body_timeout.py).
    body_read_timeout_seconds: float = Field(default=30.0, gt=0)
    body_min_rate_bytes_per_second: float = Field(default=500.0, gt=0)

    # Jobs
    max_attempts: int = 5  # then the job is `dead` with its last error: a poison message cannot loop
    # A running job's claim, renewed every third of it while the attempt runs (jobs.lease): a dead worker's job
    # is released by the reconciler within job_lease_seconds + reconcile_interval_seconds of the death.
    job_lease_seconds: int = 30
    task_soft_time_limit: int = 120
    task_time_limit: int = 150
    # No recycling by count (None): memory stays flat over 10,000 articles (benchmarks/worker_memory.py), and each
    # replacement stalled the job Celery had just handed the retiring child by 0.1-4.8 s, whoever's it was
    # (benchmarks/isolation.py, fourth pass; Celery issue #9579). The memory limit below stays the backstop.
    worker_max_tasks_per_child: int | None = None
    # Celery task events (task-received/started/succeeded: what Flower shows) are off unless asked for: each task
    # would publish three more messages with publisher confirms from the worker's consumer, two of them between
    # one task and the next (issue 16: ~2-5 ms of consumer CPU per article, more in RabbitMQ). Nothing in the
    # service reads them; job state, queue lag and metrics come from Postgres and Prometheus. `true` for Flower.
    worker_task_events: bool = False
    worker_max_memory_per_child_kib: int = 400_000  # trafilatura keeps process-wide caches
    reconcile_interval_seconds: float = 10.0
    reconcile_grace_seconds: int = 60  # a queued job untouched (not sent, not re-sent) this long is re-sent
    reconcile_batch_size: int = 500  # most jobs re-sent per pass, less the messages already waiting
    redis_visibility_timeout: int = 300  # Redis redelivers an unacked message after this; > task_time_limit
    broker_connect_timeout: float = 2.0  # bounds a publish to a dead broker (with the two below)
    publish_max_retries: int = 2
    publish_timeout: float = 5.0  # socket and publisher-confirm wait

    @model_validator(mode="after")
    def _leases_outlive_attempts(self) -> Settings:
        # A visibility timeout shorter than the hard limit would hand a live attempt's message to a second worker.
        # (The job lease is renewed while the attempt runs, so it may be shorter than the limit.)
        if self.redis_visibility_timeout <= self.task_time_limit:
            raise ValueError("redis_visibility_timeout must exceed task_time_limit")
        if self.job_lease_seconds < 3:
            raise ValueError("job_lease_seconds must be at least 3 (it is renewed every third of it)")
        if not 0 < self.task_soft_time_limit < self.task_time_limit:
            raise ValueError("task_soft_time_limit must be positive and below task_time_limit")
        return self

    # Webhooks
    webhook_timeout: float = 15.0  # seconds for a whole attempt: connect, send, status line and headers
    # A callback_url's DNS lookup at submission waits this long (a client waits on it); a slower one counts as a
    # transient DNS failure: the URL is accepted and delivery checks it again (fetching.resolver_deadline).
    callback_dns_timeout: float = Field(default=2.0, gt=0)
    webhook_retry_schedule: list[float] = Field(
        default_factory=lambda: [0, 5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400]
    )
    webhook_retry_scale: float = 1.0  # tests compress the clock with e.g. 0.001
    webhook_max_retry_after: float = 86400.0  # a receiver's Retry-After is honoured up to this many seconds
    # One API key's attempts in flight at once, across all workers (webhooks.fairness); more wait in the key's
    # line, woken as its attempts end, or at the latest after this many seconds (a lost wake-up: see delivery.py)
    webhook_max_in_flight_per_key: int = 2
    webhook_max_defer_seconds: float = 600.0
    webhook_claim_lease_seconds: float = 60.0  # an attempt in flight is left alone this long (> webhook_timeout)
    # Retries due sooner than this go out as delayed broker messages; later ones wait in Postgres for the
    # reconciler (brokers handle hours-long ETAs badly: RabbitMQ's consumer_timeout, Redis visibility).
    webhook_max_countdown_seconds: float = 60.0
    webhook_secret_grace_seconds: int = 86400  # default overlap of old and new secret after a rotation

    # Backfills and reprocessing
    backfill_max_request_bytes: int = 4 * 1024**3  # a backfill body is streamed, never held in memory
    # Uploads read their body on an API thread while they COPY it: at most this many at once per API process
    # (each key all but one of them; more: 429 for the key, 503 upload_busy for the process), so slow uploads
    # cannot hold every thread the other routes need (INGEST_API_THREADS).
    backfill_upload_max_concurrent: int = Field(default=4, ge=1)
    backfill_max_line_bytes: int = 16 * 1024  # a longer line is reported as bad and skipped
    backfill_rate_per_second: float = 20.0  # default release rate of one backfill (jobs per second)
    backfill_max_rate_per_second: float = 1000.0  # the most a request may ask for
    backfill_max_in_flight: int = 200  # queued+running backfill jobs, all backfills together
    backfill_per_host_in_flight: int = 4  # queued+running backfill jobs for one site
    backfill_tick_seconds: float = 1.0  # how often beat runs the releaser
    backfill_copy_batch_lines: int = 5000  # uploaded lines per COPY transaction (none open while the body stalls)
    # An upload's lease, renewed as its body arrives; once lapsed (the API process died, or the client sent nothing
    # that long) the releaser ends the backfill `failed` with a reason (backfills.upload_lease).
    backfill_upload_lease_seconds: float = Field(default=120.0, gt=0)
    backfill_prepare_batch: int = 5000  # lines checked and de-duplicated per transaction
    backfill_prepare_seconds: float = 5.0  # preparation time per releaser run; the next run goes on

    # Fair share of the extraction queue (ratelimit.fair_share): past this many live submissions of one key in a
    # window, its further ones are sent after other keys' live work (0 turns it off).
    fair_share_submissions_per_window: int = 20
    fair_share_window_seconds: float = Field(default=10.0, gt=0)

    # Access and abuse limits
    # Per API key, shared by every API process through Redis (GCRA: a burst of the full minute's allowance, then
    # a steady 60/N s between requests). 0 turns a class off.
    rate_limit_ingest_writes_per_minute: int = 600  # POST/PUT/PATCH/DELETE on ingest routes (submit, extract)
    rate_limit_ingest_reads_per_minute: int = 1200  # GET on ingest routes
    rate_limit_admin_per_minute: int = 600  # every route that needs the admin scope (operators poll progress)
    # Request bodies of LARGE_BODY_BYTES (256 KiB) or more on ingest writes (html submissions, previews) also count
    # their declared size against this many MiB per minute per key, refused 429 from the Content-Length before the
    # body is read or parsed: 3 MB of random bytes as JSON cost the API ~0.1 s of event-loop CPU to refuse (issue
    # 14). A body sent chunked (no Content-Length) is charged as it arrives, by the same rule, and reading stops at
    # the 429 (ratelimit.guard.BodyMeter). Smaller bodies are bounded by the request allowance alone (600 x 256 KiB
    # = 150 MiB per minute).
    rate_limit_ingest_body_mib_per_minute: int = 120
    rate_limit_key_prefix: str = "ingest:ratelimit:"  # Redis keys; tests use a unique prefix per run
    # Failed authentications (no key, unknown or revoked key) per client address, shared through Redis; past it,
    # requests from the address are answered 429 before any database lookup.
    rate_limit_unauthenticated_per_minute: int = 60
    unknown_key_cache_seconds: float = 60.0  # an unknown key hash is answered 401 from memory this long
    # A valid key's lookup is reused this long (seconds) per API process: the bound on how late a revocation or
    # rotation made elsewhere (CLI, another API process) takes effect (service/api_keys/cache.py).
    key_cache_seconds: float = Field(default=2.0, gt=0)

    # Observability
    log_level: str = "INFO"
    log_format: str = "text"  # "json" for one JSON object per line, with job_id on lines about a job
    metrics_port: int = 0  # workers serve Prometheus metrics here when set (the API serves /metrics itself)
    worker_ready_file: str | None = None  # a worker creates this file once it takes work (dev waits on it)
