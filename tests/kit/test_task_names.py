"""Every Celery task the workers register is named in service.queue.names, the producers' contract."""

from __future__ import annotations

from service.queue import names
from service.settings import Settings
from workers.celery_app import make_celery


def test_every_registered_task_name_comes_from_queue_names():
    app = make_celery(Settings(broker_url="memory://"))
    app.loader.import_default_modules()
    ours = {name for name in app.tasks if not name.startswith("celery.")}
    declared = {value for key, value in vars(names).items() if key.endswith("_TASK")}
    assert ours == declared
    assert all(entry["task"] in declared for entry in app.conf.beat_schedule.values())
