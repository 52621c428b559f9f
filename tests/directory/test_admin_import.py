"""An organisation admin's HSDS upload (issue 15): queued through the API, imported by a
real Celery worker into the real graph, scoped to the admin's own organisation; refused
records listed one by one; nothing written unless asked, or on a dry run, or for a file
that is not HSDS; every refusal of the input itself writes nothing at all."""

from __future__ import annotations

import json
import time
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from graph import session, snapshot_repo
from referral_hub.accounts.actor import Actor
from referral_hub.accounts.models import Membership
from referral_hub.accounts.roles import Role
from referral_hub.core.errors import ValidationFailed
from referral_hub.directory import hsds, imports
from referral_hub.directory.models import DirectoryImport
from tests import directory_fixtures
from tests.conftest import member

START = """mutation($file: Upload!, $skip: Boolean, $dry: Boolean) {
  startDirectoryImport(file: $file, skipInvalid: $skip, dryRun: $dry) {
    directoryImport { id state filename }
    errors { field code }
  }
}"""
STATUS = """query($id: ID!) { directoryImport(id: $id) {
  state done total problemCount message username
  counts { locations services }
  problems { table row recordId message }
  warnings { table recordId message }
} }"""


@pytest.fixture
def network(graph_db, transactional_db, redis_db):
    # transactional_db: the worker reads the upload from the same database.
    return directory_fixtures.build()


@pytest.fixture
def admin(network):
    return member("npo-admin", network["npo"], Role.ORG_ADMIN)


def exported() -> dict[str, list[dict]]:
    return hsds.to_hsds(snapshot_repo.directory_snapshot())


def only(tables: dict[str, list[dict]], organisation: str) -> dict[str, list[dict]]:
    """The records of one organisation, as that organisation's own system would send."""
    services = {r["id"] for r in tables["service"] if r["organization_id"] == organisation}
    locations = {r["id"] for r in tables["location"] if r["organization_id"] == organisation}
    kept = services | locations | {organisation}
    return {
        "organization": [r for r in tables["organization"] if r["id"] == organisation],
        "service": [r for r in tables["service"] if r["id"] in services],
        "location": [r for r in tables["location"] if r["id"] in locations],
        "address": [r for r in tables.get("address", []) if r["location_id"] in locations],
        "service_at_location": [
            r for r in tables["service_at_location"] if r["service_id"] in services
        ],
        "taxonomy_term": tables["taxonomy_term"],
        "attribute": [
            r
            for r in tables["attribute"]
            if r["link_id"] in kept or r["link_entity"] == "taxonomy_term"
        ],
    }


def as_json(tables: dict[str, list[dict]]) -> bytes:
    return json.dumps(tables).encode()  # \u escapes: a lone surrogate can travel too


def upload(caller, data: bytes, name: str = "ours.json", expect_status=200, **flags) -> dict:
    """startDirectoryImport as a client of the multipart request spec sends it."""
    response = caller.client.post(
        "/graphql",
        {
            "operations": json.dumps({"query": START, "variables": {"file": None, **flags}}),
            "map": json.dumps({"0": ["variables.file"]}),
            "0": SimpleUploadedFile(name, data),
        },
        **caller.headers,
    )
    if expect_status is not None:
        assert response.status_code == expect_status, response.content
    return response.json()


def start(caller, tables, **flags) -> str:
    payload = upload(caller, as_json(tables), **flags)["data"]["startDirectoryImport"]
    assert payload["errors"] == [], payload
    return payload["directoryImport"]["id"]


def finished(caller, import_id: str, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = caller(STATUS, {"id": import_id})["data"]["directoryImport"]
        if job["state"] not in ("QUEUED", "RUNNING"):
            return job
        time.sleep(0.2)
    raise AssertionError(f"import {import_id} did not finish in {timeout} s")


def service(service_id: str) -> dict | None:
    return session.read(
        lambda tx: tx.single(
            "MATCH (o:Organisation)-[:PROVIDES]->(s:Service {id: $id}) "
            "RETURN s.name AS name, collect(o.id) AS owners",
            id=service_id,
        )
    )


def audited() -> list[str]:
    rows = session.read(
        lambda tx: tx.rows(
            "MATCH (e:AuditEvent {action: 'DIRECTORY_IMPORT'}) RETURN e.actorUser AS u"
        )
    )
    return [row["u"] for row in rows]


def renamed(tables, service_id: str, name: str) -> None:
    next(r for r in tables["service"] if r["id"] == service_id)["name"] = name


@pytest.mark.celery
def test_an_admin_imports_their_own_services_through_a_worker(
    network, admin, celery_worker_process
):
    tables = only(exported(), network["npo"])
    renamed(tables, network["study"], "夜の学習支援教室")
    new = str(uuid.uuid4())
    tables["service"].append({**tables["service"][0], "id": new, "name": "読書会"})
    tables["service_at_location"].append(
        {"id": str(uuid.uuid4()), "service_id": new, "location_id": network["npo_loc"]}
    )
    job = finished(admin, start(admin, tables))
    assert job["state"] == "DONE", job
    assert job["counts"] == {"locations": 1, "services": 3}
    assert (job["done"], job["total"], job["problemCount"], job["problems"]) == (4, 4, 0, [])
    assert job["username"] == "npo-admin"
    assert [w["message"] for w in job["warnings"]] == [
        "your organisation's own details are not changed by an import"
    ]
    assert service(network["study"]) == {"name": "夜の学習支援教室", "owners": [network["npo"]]}
    assert service(new) == {"name": "読書会", "owners": [network["npo"]]}
    assert audited() == ["npo-admin"]
    # The file is not kept once read.
    assert DirectoryImport.objects.get().content is None
    listed = admin("{ directoryImports { filename state } }")["data"]["directoryImports"]
    assert listed == [{"filename": "ours.json", "state": "DONE"}]


@pytest.mark.celery
def test_other_organisations_records_are_refused_and_by_default_nothing_is_written(
    network, admin, celery_worker_process
):
    tables = exported()  # the whole directory: four organisations
    renamed(tables, network["study"], "ours, changed")
    renamed(tables, network["consult"], "theirs, changed")
    foreign = sum(1 for r in tables["service"] if r["organization_id"] != network["npo"]) + sum(
        1 for r in tables["location"] if r["organization_id"] != network["npo"]
    )

    refused = finished(admin, start(admin, tables))
    assert refused["state"] == "REFUSED"
    # 3 other organisations, their 2 locations and 3 services; 1 partnership-free file.
    assert refused["problemCount"] == 3 + foreign == 8
    assert {p["table"] for p in refused["problems"]} == {"organization", "location", "service"}
    assert all(
        p["message"] == "belongs to another organisation; you import only your own records"
        for p in refused["problems"]
    )
    assert service(network["study"])["name"] == "学習支援教室"
    assert audited() == []

    valid_only = finished(admin, start(admin, tables, skip=True))
    assert (valid_only["state"], valid_only["counts"]) == (
        "DONE",
        {"locations": 1, "services": 2},
    )
    assert service(network["study"])["name"] == "ours, changed"
    assert service(network["consult"]) == {
        "name": "子ども家庭相談",
        "owners": [network["welfare"]],
    }


@pytest.mark.celery
def test_another_organisations_service_id_claimed_as_ours_is_never_taken_over(
    network, admin, celery_worker_process
):
    tables = only(exported(), network["npo"])
    stolen = {**tables["service"][0], "id": network["consult"], "name": "乗っ取り"}
    tables["service"].append(stolen)
    job = finished(admin, start(admin, tables, skip=True))
    assert job["state"] == "DONE"
    assert [(p["table"], p["recordId"]) for p in job["problems"]] == [
        ("service", network["consult"])
    ]
    assert service(network["consult"]) == {
        "name": "子ども家庭相談",
        "owners": [network["welfare"]],
    }


@pytest.mark.celery
def test_a_dry_run_and_a_file_that_is_not_hsds_write_nothing(network, admin, celery_worker_process):
    tables = only(exported(), network["npo"])
    renamed(tables, network["study"], "changed")
    checked = finished(admin, start(admin, tables, dry=True))
    assert (checked["state"], checked["counts"]) == ("VALIDATED", {"locations": 1, "services": 2})
    assert service(network["study"])["name"] == "学習支援教室"

    body = upload(admin, b"[1]", name="x.json")
    failed = finished(admin, body["data"]["startDirectoryImport"]["directoryImport"]["id"])
    assert failed["state"] == "FAILED"
    assert failed["counts"] is None
    assert failed["message"] == (
        "x.json: expected HSDS tables, or HSDS objects (organization, service, location, "
        "service_at_location, taxonomy, taxonomy_term)"
    )
    assert audited() == []


CONTENT = b'{"organization": []}'


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("   ", CONTENT, "REQUIRED"),
        ("x" * 196 + ".json", CONTENT, "TOO_LONG"),
        ("a.json", b"", "REQUIRED"),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_nothing_is_kept(admin, name, content, code):
    body = upload(admin, content, name=name)
    assert body["data"]["startDirectoryImport"] == {
        "directoryImport": None,
        "errors": [{"field": "file", "code": code}],
    }
    assert DirectoryImport.objects.count() == 0


@pytest.mark.parametrize("name", ["a\x00.json", "a\u202e.json", "a\x7f.json"])
def test_control_characters_never_reach_a_kept_file_name(network, admin, no_worker, name):
    # Django's multipart parser drops them from what a client sends ...
    assert upload(admin, CONTENT, name=name)["data"]["startDirectoryImport"]["errors"] == []
    assert DirectoryImport.objects.get().filename == "a.json"
    # ... and the import refuses them from any other caller.
    actor = Actor(
        username="npo-admin", organisation_id=network["npo"], roles=frozenset({Role.ORG_ADMIN})
    )
    with pytest.raises(ValidationFailed) as refused:
        imports.start(
            actor=actor,
            file=SimpleUploadedFile(name, CONTENT),
            skip_invalid=False,
            dry_run=False,
        )
    assert [(e.field, e.code.value) for e in refused.value.errors] == [("file", "INVALID")]
    assert DirectoryImport.objects.count() == 1


def test_a_filename_of_200_characters_is_taken(admin, no_worker):
    body = upload(admin, CONTENT, name="x" * 195 + ".json")
    assert body["data"]["startDirectoryImport"]["errors"] == []
    assert DirectoryImport.objects.get().filename == "x" * 195 + ".json"


def test_the_file_may_be_2_mib_and_not_a_byte_more(admin, no_worker):
    exact = CONTENT + b" " * (hsds.UPLOAD_MAX_BYTES - len(CONTENT))
    assert upload(admin, exact)["data"]["startDirectoryImport"]["errors"] == []
    over = upload(admin, exact + b" ")["data"]["startDirectoryImport"]
    assert over == {"directoryImport": None, "errors": [{"field": "file", "code": "TOO_LONG"}]}
    assert DirectoryImport.objects.count() == 1


def test_the_body_of_an_upload_is_bounded_before_it_is_read(admin, settings):
    settings.GRAPHQL_MAX_UPLOAD_BODY_BYTES = 1000
    body = upload(admin, b" " * 1000, expect_status=413)
    assert body["errors"][0]["extensions"] == {"code": "REQUEST_TOO_LARGE"}
    assert DirectoryImport.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"map": "{}"}, "MALFORMED_MULTIPART"),  # no operations
        ({"operations": "{", "map": "{}"}, "MALFORMED_JSON"),
        ({"operations": "[]", "map": "{}"}, "BATCH_NOT_SUPPORTED"),
        (
            {"operations": '{"query": "{ health { ok } }"}', "map": '{"0": "x"}'},
            "MALFORMED_MULTIPART",
        ),
        (
            {
                "operations": '{"query": "q", "variables": {"file": null}}',
                "map": '{"1": ["variables.file"]}',
            },
            "MALFORMED_MULTIPART",
        ),
        (
            {
                "operations": '{"query": "q", "variables": {"file": "x"}}',
                "map": '{"0": ["variables.file"]}',
            },
            "MALFORMED_MULTIPART",
        ),
        (
            {"operations": '{"query": "q", "variables": {}}', "map": '{"0": ["query"]}'},
            "MALFORMED_MULTIPART",
        ),
        (
            {
                "operations": '{"query": "q", "variables": {"a": null, "b": null}}',
                "map": '{"0": ["variables.a"], "1": ["variables.b"]}',
                "1": SimpleUploadedFile("b.json", b"{}"),
            },
            "TOO_MANY_FILES",
        ),
    ],
)
def test_a_multipart_request_that_breaks_the_spec_is_refused_by_code(admin, fields, code):
    response = admin.client.post(
        "/graphql", {**fields, "0": SimpleUploadedFile("a.json", CONTENT)}, **admin.headers
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"] == {"code": code}
    assert DirectoryImport.objects.count() == 0


def test_a_file_is_only_ever_an_upload(admin):
    inline = admin(
        'mutation { startDirectoryImport(file: "x") { errors { code } } }', expect_status=None
    )
    assert inline["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    as_json = admin(START, {"file": "eyJ9"}, expect_status=None)
    assert as_json["errors"][0]["extensions"]["code"] in (
        "BAD_USER_INPUT",
        "GRAPHQL_VALIDATION_FAILED",
    )
    assert "multipart upload" in as_json["errors"][0]["message"]
    assert DirectoryImport.objects.count() == 0


def test_an_import_is_seen_only_by_its_organisations_admins(network, admin, no_worker):
    import_id = start(admin, {"organization": []})
    other = member("welfare-admin", network["welfare"], Role.ORG_ADMIN)
    for caller, answer in ((admin, "QUEUED"), (other, None)):
        body = caller(STATUS, {"id": import_id}, expect_status=None)
        if answer:
            assert body["data"]["directoryImport"]["state"] == answer
        else:
            assert body["errors"][0]["extensions"] == {"code": "NOT_FOUND", "field": "id"}
    assert other("{ directoryImports { id } }")["data"]["directoryImports"] == []
    bad = admin(STATUS, {"id": "nope"}, expect_status=None)
    assert bad["errors"][0]["extensions"] == {"code": "INVALID", "field": "id"}
    caseworker = member("npo-worker", network["npo"], Role.CASEWORKER)
    refused = caseworker(STATUS, {"id": import_id}, expect_status=None)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert (
        upload(caseworker, CONTENT, expect_status=None)["errors"][0]["extensions"]["code"]
        == "FORBIDDEN"
    )


def test_thirty_imports_an_hour_then_rate_limited(admin, no_worker):
    for _ in range(imports.IMPORTS_PER_HOUR):
        start(admin, {"organization": []})
    body = upload(admin, CONTENT, expect_status=None)
    assert body["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert DirectoryImport.objects.count() == imports.IMPORTS_PER_HOUR


@pytest.mark.celery
def test_a_worker_killed_mid_import_leaves_it_written_once_after_the_restart(
    network, admin, celery_worker_process, test_profile
):
    import os
    import signal

    from referral_hub.devservices import process

    tables = only(exported(), network["npo"])
    template = next(r for r in tables["service"] if r["id"] == network["study"])
    link = tables["service_at_location"][0]
    many = 2000
    added = [str(uuid.UUID(int=n + 1)) for n in range(many)]
    tables["service"] += [{**template, "id": i, "name": f"教室 {n}"} for n, i in enumerate(added)]
    tables["service_at_location"] += [
        {**link, "id": str(uuid.uuid5(uuid.NAMESPACE_URL, i)), "service_id": i} for i in added
    ]
    import_id = start(admin, tables)

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        row = DirectoryImport.objects.get(pk=import_id)
        if row.state == "RUNNING" and row.done > 0:
            break
        time.sleep(0.01)
    assert row.state == "RUNNING", "finished before it could be interrupted"
    assert 0 < row.done < row.total
    main = process.read_pid(test_profile.worker.pid_file)
    for child in process.children(main):
        os.kill(child, signal.SIGKILL)  # the pool restarts them; the message is requeued

    job = finished(admin, import_id, timeout=120)
    assert (job["state"], job["counts"]) == ("DONE", {"locations": 1, "services": many + 2})
    provided = session.read(
        lambda tx: tx.single(
            "MATCH (:Organisation {id: $npo})-[p:PROVIDES]->(s:Service) "
            "RETURN count(p) AS links, count(DISTINCT s) AS services",
            npo=network["npo"],
        )
    )
    assert provided == {"links": many + 2, "services": many + 2}
    assert audited() == ["npo-admin"]  # the killed transaction never committed


@pytest.mark.celery
def test_a_service_id_planted_as_a_location_does_not_take_the_service_over(
    network, admin, celery_worker_process
):
    """One id may name a service of one organisation and a location of another: holders
    are read per kind, so the location does not make the service look like ours."""
    own = only(exported(), network["npo"])
    planted = {**own["location"][0], "id": network["consult"], "name": "偽の拠点"}
    first = {**own, "location": [*own["location"], planted]}
    first["attribute"] = own["attribute"] + [
        {**a, "id": str(uuid.uuid4()), "link_id": network["consult"]}
        for a in own["attribute"]
        if a["link_id"] == own["location"][0]["id"]
    ]
    assert finished(admin, start(admin, first))["state"] == "DONE"

    second = {
        **first,
        "service": [*own["service"], {**own["service"][0], "id": network["consult"]}],
    }
    job = finished(admin, start(admin, second, skip=True))
    assert [(p["table"], p["recordId"]) for p in job["problems"]] == [
        ("service", network["consult"])
    ]
    assert service(network["consult"]) == {"name": "子ども家庭相談", "owners": [network["welfare"]]}


@pytest.mark.celery
def test_a_file_without_the_organisation_record_imports_its_services(
    network, admin, celery_worker_process
):
    tables = only(exported(), network["npo"])
    del tables["organization"]
    renamed(tables, network["study"], "土曜の学習支援教室")
    job = finished(admin, start(admin, tables))
    assert (job["state"], job["problems"], job["warnings"]) == ("DONE", [], [])
    assert service(network["study"])["name"] == "土曜の学習支援教室"


@pytest.mark.celery
@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("name", "学習\x00会", "name: holds a control character"),
        ("name", "学習\ud800会", "name: holds a control character"),
        ("name", "x" * 201, "name: "),
        ("description", "x" * 2001, "description: "),
        ("minimum_age", 15, "ageMax: "),  # with maximum_age 9, set below
    ],
)
def test_records_that_break_the_apis_rules_are_refused_one_by_one(
    network, admin, celery_worker_process, field, value, says
):
    tables = only(exported(), network["npo"])
    record = next(r for r in tables["service"] if r["id"] == network["study"])
    record[field] = value
    if field == "minimum_age":
        record["maximum_age"] = 9
    job = finished(admin, start(admin, tables, skip=True))
    assert job["state"] == "DONE"
    assert [(p["recordId"], p["message"][: len(says)]) for p in job["problems"]] == [
        (network["study"], says)
    ]
    assert service(network["study"])["name"] == "学習支援教室"


def test_an_uploader_who_is_no_longer_an_admin_imports_nothing(network, admin, no_worker):
    tables = only(exported(), network["npo"])
    renamed(tables, network["study"], "changed")
    import_id = start(admin, tables)
    Membership.objects.filter(user__username="npo-admin").update(role=Role.CASEWORKER.value)
    assert imports.run(import_id) == "FAILED"
    row = DirectoryImport.objects.get(pk=import_id)
    assert row.message.startswith("Its uploader is no longer an admin of the organisation")
    assert row.content is None
    assert service(network["study"])["name"] == "学習支援教室"
    assert imports.run(import_id) == "FAILED"  # a finished import is not run again


def test_a_multipart_body_is_bounded_at_exactly_its_limit(admin, settings):
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    fields = {
        "operations": json.dumps({"query": START, "variables": {"file": None}}),
        "map": json.dumps({"0": ["variables.file"]}),
        "0": SimpleUploadedFile("ours.json", CONTENT),
    }
    size = len(encode_multipart(BOUNDARY, fields))
    fields["0"].seek(0)
    settings.GRAPHQL_MAX_UPLOAD_BODY_BYTES = size - 1
    over = admin.client.post("/graphql", fields, content_type=MULTIPART_CONTENT, **admin.headers)
    assert (over.status_code, over.json()["errors"][0]["extensions"]) == (
        413,
        {"code": "REQUEST_TOO_LARGE"},
    )
    fields["0"].seek(0)
    settings.GRAPHQL_MAX_UPLOAD_BODY_BYTES = size
    exact = admin.client.post("/graphql", fields, content_type=MULTIPART_CONTENT, **admin.headers)
    assert exact.json()["data"]["startDirectoryImport"]["errors"] == []


def test_a_multipart_request_without_a_file_or_with_a_large_operation_is_refused(admin):
    no_file = admin.client.post(
        "/graphql",
        {"operations": json.dumps({"query": "{ health { ok } }"}), "map": "{}"},
        **admin.headers,
    )
    assert (no_file.status_code, no_file.json()["errors"][0]["extensions"]["code"]) == (
        400,
        "MALFORMED_MULTIPART",
    )
    padded = json.dumps({"query": START + " " * 70_000, "variables": {"file": None}})
    large = admin.client.post(
        "/graphql",
        {
            "operations": padded,
            "map": json.dumps({"0": ["variables.file"]}),
            "0": SimpleUploadedFile("a.json", CONTENT),
        },
        **admin.headers,
    )
    assert (large.status_code, large.json()["errors"][0]["extensions"]["code"]) == (
        413,
        "REQUEST_TOO_LARGE",
    )
    two_under_one_key = admin.client.post(
        "/graphql",
        {
            "operations": json.dumps({"query": START, "variables": {"file": None}}),
            "map": json.dumps({"0": ["variables.file"]}),
            "0": [SimpleUploadedFile("a.json", CONTENT), SimpleUploadedFile("b.json", CONTENT)],
        },
        **admin.headers,
    )
    assert two_under_one_key.json()["errors"][0]["extensions"]["code"] == "TOO_MANY_FILES"
    superscript = admin.client.post(
        "/graphql",
        {
            "operations": json.dumps({"query": START, "variables": {"l": [None]}}),
            "map": json.dumps({"0": ["variables.l.²"]}),
            "0": SimpleUploadedFile("a.json", CONTENT),
        },
        **admin.headers,
    )
    assert superscript.json()["errors"][0]["extensions"]["code"] == "MALFORMED_MULTIPART"
    assert DirectoryImport.objects.count() == 0


def test_a_signed_in_browser_uploads_only_with_the_csrf_token(network):
    from django.contrib.auth import get_user_model
    from django.test import Client

    from referral_hub.accounts import signin
    from tests.conftest import GraphQLClient

    user = get_user_model().objects.create_user(username="npo-admin")
    Membership.objects.create(user=user, organisation_id=network["npo"], role="ORG_ADMIN")
    person = GraphQLClient(organisation_id=network["npo"])
    person.client = signin.sign_in(Client(enforce_csrf_checks=True), user)
    refused = upload(person, CONTENT, expect_status=403)
    assert refused["errors"][0]["extensions"] == {"code": "CSRF_FAILED"}
    assert DirectoryImport.objects.count() == 0
    person.headers["HTTP_X_CSRFTOKEN"] = person.client.cookies["csrftoken"].value
    assert upload(person, CONTENT)["data"]["startDirectoryImport"]["errors"] == []
