"""On each real broker, a live job sent after a queue-full of backfill jobs is consumed first: the backfill
priority is below live on RabbitMQ (higher is first) and on Redis (lower is first, in steps)."""

from __future__ import annotations

import uuid

import pytest
from kombu import Consumer

from service.backfills.priority import backfill_priority, tick_priority
from service.queue.celery_config import make_producer_app, queue_names
from service.queue.dispatcher import CeleryDispatcher
from service.settings import Settings
from tests.support.brokers import BROKERS

pytestmark = pytest.mark.e2e
LIVE_PRIORITY = 5


@pytest.mark.parametrize("broker", sorted(BROKERS))
def test_live_job_overtakes_queued_backfill_jobs_and_the_tick_overtakes_both(broker):
    settings = Settings(broker_url=BROKERS[broker], queue_prefix=f"t{uuid.uuid4().hex[:8]}.")
    app = make_producer_app(settings)
    send = CeleryDispatcher(app)
    ingest_queue = next(q for q in app.conf.task_queues if q.name == queue_names(settings)[0])
    try:
        for n in range(5):
            send.send_ingest(f"backfill-{n}", priority=backfill_priority(settings))
        send.send_ingest("live", priority=LIVE_PRIORITY)
        app.send_task("backfills.release", queue=ingest_queue.name, priority=tick_priority(settings))
        received = []
        with app.connection_for_read() as connection:

            def on_message(body, message):
                args = body[0]
                received.append(args[0] if args else message.headers["task"])
                message.ack()

            with Consumer(connection, queues=[ingest_queue], callbacks=[on_message], prefetch_count=1):
                while len(received) < 7:
                    connection.drain_events(timeout=5)
        assert received[:2] == ["backfills.release", "live"], received
        assert sorted(received[2:]) == [f"backfill-{n}" for n in range(5)]
    finally:
        with app.connection_for_write() as connection:
            ingest_queue.bind(connection).delete()
