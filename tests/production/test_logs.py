"""Structured logs: JSON lines, each record of a request with the id its response carried,
each record of a Celery task with the task's id and name."""

import io
import json
import logging
import logging.config

import pytest
from django.conf import settings
from django.test import Client

from referral_hub.celery import app as celery_app


@pytest.fixture
def json_lines():
    """The root logger also writes through the production handler (JSON, context filter)
    to a buffer; the records' text is returned as parsed lines."""
    buffer = io.StringIO()
    formatter = dict(settings.LOGGING["formatters"]["json"])
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logging.config.DictConfigurator({}).configure_custom(formatter))
    handler.addFilter(
        logging.config.DictConfigurator({}).configure_custom(
            dict(settings.LOGGING["filters"]["context"])
        )
    )
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)

    def read() -> list[dict]:
        return [json.loads(line) for line in buffer.getvalue().splitlines()]

    yield read
    root.removeHandler(handler)
    root.setLevel(level)


def test_a_requests_records_carry_the_request_id_of_its_response(json_lines, gql):
    response = gql.client.post(
        "/graphql",
        {"query": "{ health { ok } }"},
        content_type="application/json",
        **gql.headers,
    )
    rid = response["X-Request-ID"]

    access = [line for line in json_lines() if line["logger"] == "referral_hub.access"]
    assert len(access) == 1
    assert access[0]["request_id"] == rid
    assert access[0] | {"duration_ms": 0} == {
        "time": access[0]["time"],
        "level": "INFO",
        "logger": "referral_hub.access",
        "message": "POST graphql 200",
        "request_id": rid,
        "method": "POST",
        "route": "graphql",
        "status": 200,
        "duration_ms": 0,
    }
    assert access[0]["time"].endswith("+00:00")  # ISO 8601, UTC


def test_any_logger_inside_a_request_gets_its_id(json_lines, db):
    """A record written by code that never saw the request (a refusal logged by the
    GraphQL view through its own logger) carries the id too."""
    response = Client().post("/graphql", b"{", content_type="application/json")
    rid = response["X-Request-ID"]

    refusal = [line for line in json_lines() if line["logger"] == "referral_hub.graphql"]
    assert [line["request_id"] for line in refusal] == [rid]
    assert "MALFORMED_JSON" in refusal[0]["message"]


def test_records_outside_a_request_carry_no_request_id(json_lines):
    logging.getLogger("referral_hub.somewhere").warning("plain")

    assert [(line["message"], "request_id" in line) for line in json_lines()] == [("plain", False)]


@celery_app.task(name="tests.production.logs")
def logs_a_line() -> None:
    logging.getLogger("referral_hub.tasks").info("working")


def test_a_tasks_records_carry_its_id_and_name(json_lines):
    result = logs_a_line.apply()

    working = [line for line in json_lines() if line["message"] == "working"]
    assert [(line["task_id"], line["task_name"]) for line in working] == [
        (result.id, "tests.production.logs")
    ]
    logging.getLogger("after").info("later")
    assert "task_id" not in json_lines()[-1]  # the context ends with the task


def test_a_tasks_arguments_stay_out_of_the_log(json_lines):
    """Celery's own record of a finished task (celery.app.trace) hands the formatter the
    task's arguments; they are not written (its message never had them either)."""
    data = {
        "id": "t-1",
        "name": "hub.example",
        "args": "('山田花子',)",
        "kwargs": "{}",
        "return_value": "'done'",
        "runtime": 0.5,
    }
    logging.getLogger("celery.app.trace").info("Task finished", extra={"data": data})

    assert json_lines()[-1]["data"] == {
        "id": "t-1",
        "name": "hub.example",
        "return_value": "'done'",
        "runtime": 0.5,
    }


def test_a_refused_requests_record_does_not_carry_its_query_string(json_lines, db):
    """Django's request logger hands the formatter the request itself (`extra`); its text is
    the whole path with the query string, where a persisted query's variables travel."""
    Client().get("/no-such-page?variables=%7B%22name%22%3A%22%E5%B1%B1%E7%94%B0%22%7D")

    [record] = [line for line in json_lines() if line["logger"] == "django.request"]
    assert record["status_code"] == 404
    assert "request" not in record
    assert "variables" not in json.dumps(record)
