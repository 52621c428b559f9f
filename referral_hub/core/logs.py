"""What a log record is about: the request or the Celery task it was written for.

The request id (RequestIdMiddleware) and the task's id and name are kept in context
variables while the request or task runs; `ContextFilter`, on the handler, copies them
onto every record whatever logger wrote it (Django's, the driver's, ours), so a log
shipper can find every line of one request by the id its response carried.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

request_id: ContextVar[str | None] = ContextVar("hub_request_id", default=None)
task: ContextVar[tuple[str, str] | None] = ContextVar("hub_task", default=None)


@contextmanager
def for_request(rid: str) -> Iterator[None]:
    token = request_id.set(rid)
    try:
        yield
    finally:
        request_id.reset(token)


class ContextFilter(logging.Filter):
    """Adds `request_id`, or `task_id` and `task_name`, to each record (never drops one),
    and `context`: the same as text for the plain format (empty outside both)."""

    def filter(self, record: logging.LogRecord) -> bool:
        parts = []
        rid = request_id.get()
        if rid is not None:
            record.request_id = rid
            parts.append(f"request={rid}")
        running = task.get()
        if running is not None:
            record.task_id, record.task_name = running
            parts.append(f"task={running[1]}[{running[0]}]")
        record.context = f" ({' '.join(parts)})" if parts else ""
        return True


# Celery's task records carry a `data` field with the task's arguments; the plain format
# never printed them (Celery's message names the task, its id and its result), and they
# stay out of the JSON too: a log shipper is no place for whatever a task was handed (ids
# today, by convention, but nothing enforces it).
_TASK_ARGUMENTS = ("args", "kwargs")


class JsonFormatter(_JsonFormatter):
    """python-json-logger's formatter, one object per line, without the plain format's
    `context` (its fields are there by name) and without a task's arguments."""

    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        log_data.pop("context", None)
        # Django's request and server loggers pass the request itself as `extra`; its text
        # is the whole path with its query string (a persisted query's variables). The
        # request id and the access record's route say which request it was.
        log_data.pop("request", None)
        data = log_data.get("data")
        if isinstance(data, dict) and "args" in data:
            log_data["data"] = {k: v for k, v in data.items() if k not in _TASK_ARGUMENTS}
        return log_data
