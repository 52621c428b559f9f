"""Nothing internal reaches a client: unexpected failures become a coded, masked error."""

import logging

from graph import organisation_repo

LIST = "{ organisations { edges { node { id } } } }"


def test_an_unexpected_exception_is_masked_and_logged_with_the_request_id(gql, monkeypatch, caplog):
    def explode(**_):
        raise RuntimeError("secret internal detail: password=hunter2")

    monkeypatch.setattr(organisation_repo, "organisation_list", explode)
    with caplog.at_level(logging.ERROR, logger="referral_hub.graphql"):
        body = gql(LIST)

    error = body["errors"][0]
    assert error["message"] == "Internal error."
    assert error["extensions"]["code"] == "INTERNAL_ERROR"
    request_id = error["extensions"]["requestId"]
    assert "hunter2" not in str(body)
    assert "Traceback" not in str(body)
    assert any(request_id in record.getMessage() for record in caplog.records)
    assert any(record.exc_info for record in caplog.records)


def test_syntax_errors_say_what_is_wrong_with_the_document(gql):
    body = gql("{ organisations { ", expect_status=400)
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    assert "Syntax Error" in body["errors"][0]["message"]


def test_unknown_fields_are_validation_errors(gql):
    body = gql("{ organisations { nope } }", expect_status=400)
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "nope" in body["errors"][0]["message"]
