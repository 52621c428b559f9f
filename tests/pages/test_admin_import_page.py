"""The organisation admin's HSDS import page (issue 15): upload, a progress bar that a
worker moves, every refused record listed; the status part polls the API and stops when
the import has finished; other roles and other organisations see nothing."""

from __future__ import annotations

import json
import re
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from referral_hub.accounts.models import Membership
from referral_hub.accounts.roles import Role
from referral_hub.directory.models import DirectoryImport
from tests import directory_fixtures
from tests.conftest import signed_in_member
from tests.directory.test_admin_import import exported, service


@pytest.fixture
def network(graph_db, transactional_db, redis_db):
    return directory_fixtures.build()


@pytest.fixture
def admin(network):
    person = signed_in_member("npo-admin", network["npo"], Role.ORG_ADMIN)
    person.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return person.client


def csrf(client) -> dict[str, str]:
    return {"csrfmiddlewaretoken": client.cookies["csrftoken"].value}


def test_no_file_is_said_beside_the_field(admin, no_worker):
    answer = admin.post("/organisation/import/", csrf(admin))
    assert answer.status_code == 422
    assert 'id="i-file-error"' in answer.content.decode()
    assert DirectoryImport.objects.count() == 0


def test_an_upload_leads_to_its_status_which_polls_until_the_import_has_finished(
    network, admin, no_worker
):
    file = SimpleUploadedFile("ours.json", b'{"organization": []}')
    answer = admin.post("/organisation/import/", {**csrf(admin), "file": file, "dryRun": "1"})
    job = DirectoryImport.objects.get()
    assert (job.dry_run, job.skip_invalid, job.username) == (True, False, "npo-admin")
    status = f"/organisation/import/{job.pk}/"
    assert answer["Location"] == status

    page = admin.get(status).content.decode()
    assert "Waiting for a worker" in page
    assert f'hx-get="{status}"' in page
    assert 'hx-trigger="every 1s"' in page
    polled = admin.get(status, HTTP_HX_REQUEST="true")
    assert polled.status_code == 200
    assert "<html" not in polled.content.decode()

    DirectoryImport.objects.filter(pk=job.pk).update(
        state="VALIDATED", counts={"locations": 1, "services": 2}
    )
    stopped = admin.get(status, HTTP_HX_REQUEST="true")
    assert stopped.status_code == 286  # htmx stops polling
    assert "2 services and 1 locations would be imported" in stopped.content.decode()
    assert "hx-trigger" not in admin.get(status).content.decode()
    assert "ours.json" in admin.get("/organisation/import/").content.decode()

    elsewhere = signed_in_member("welfare-admin", network["welfare"], Role.ORG_ADMIN).client
    assert elsewhere.get(status).status_code == 404
    assert elsewhere.get(f"/organisation/import/{uuid.uuid4()}/").status_code == 404


def test_the_page_takes_no_body_past_its_limit(admin):
    from referral_hub.directory.hsds import UPLOAD_MAX_BYTES

    big = SimpleUploadedFile("big.json", b" " * (UPLOAD_MAX_BYTES + 64 * 1024))
    assert admin.post("/organisation/import/", {**csrf(admin), "file": big}).status_code == 413
    assert DirectoryImport.objects.count() == 0


@pytest.mark.browser
@pytest.mark.celery
def test_an_admin_imports_in_the_browser_and_reads_each_refused_record(
    network, browser, live_server, celery_worker_process, screenshots
):
    from tests.pages.conftest import assert_accessible, closed_network, sign_in

    user = get_user_model().objects.create_user(username="npo-admin")
    Membership.objects.create(user=user, organisation_id=network["npo"], role=Role.ORG_ADMIN.value)
    tables = exported()  # every organisation's records: only the NPO's may be imported
    next(r for r in tables["service"] if r["id"] == network["study"])["name"] = "夜の学習支援"
    data = json.dumps(tables, ensure_ascii=False).encode()

    context = browser.new_context(locale="ja-JP")
    outside: list[str] = []
    closed_network(context, outside)
    page = context.new_page()
    sign_in(page, live_server.url, "npo-admin")
    page.wait_for_url(f"{live_server.url}/members/")
    page.locator("nav a[href='/organisation/import/']").click()
    page.wait_for_url(f"{live_server.url}/organisation/import/")
    assert_accessible(page)

    page.set_input_files(
        "#i-file",
        files=[{"name": "directory.json", "mimeType": "application/json", "buffer": data}],
    )
    page.locator("form.narrow button.button").click()
    page.wait_for_url(re.compile(r".*/organisation/import/[0-9a-f-]{36}/$"))
    page.locator(".import-state[data-state=REFUSED]").wait_for(timeout=60_000)
    assert page.locator("table.problems tbody tr").count() == 8
    assert_accessible(page)
    assert service(network["study"])["name"] == "学習支援教室"

    page.goto(f"{live_server.url}/organisation/import/")
    page.set_input_files(
        "#i-file",
        files=[{"name": "directory.json", "mimeType": "application/json", "buffer": data}],
    )
    page.check("#i-skipInvalid")
    page.locator("form.narrow button.button").click()
    page.locator(".import-state[data-state=DONE]").wait_for(timeout=60_000)
    assert "2" in page.locator("#import-status").inner_text()
    assert page.locator("table.problems tbody tr").count() == 8
    assert_accessible(page)
    screenshots(page, "import-ja")
    assert service(network["study"])["name"] == "夜の学習支援"
    context.close()
    assert outside == []
