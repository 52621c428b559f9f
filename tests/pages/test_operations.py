"""The pages' GraphQL documents, and the one path they run by (issue 14)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.test import RequestFactory
from graphql import NoDeprecatedCustomRule, OperationDefinitionNode, parse, validate

from referral_hub.accounts.roles import Role
from referral_hub.web import operations
from schema.core.entry import persisted, persisted_id, validation_errors
from schema.schema import schema as root_schema

WEB = Path(operations.__file__).resolve().parent


@pytest.mark.parametrize("name", operations.names())
def test_every_document_is_valid_and_named_as_its_file(name):
    document = parse(operations.document(name))
    assert validation_errors(document) == []
    [operation] = document.definitions
    assert isinstance(operation, OperationDefinitionNode)
    assert operation.name is not None
    assert operation.name.value == name


def test_every_document_is_used_by_a_page_and_every_page_names_a_real_one():
    used = set()
    for path in WEB.glob("*.py"):
        used |= set(re.findall(r'operations\.run\(\s*request,\s*"(\w+)"', path.read_text()))
    assert used == set(operations.names())


def test_only_documents_in_the_folder_can_be_named():
    with pytest.raises(KeyError):
        operations.document("../schema")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_pages_reach_the_data_only_through_the_api_entry_point():
    """No page module imports graph/, a service, a resolver or graphql's execute: a page
    that did would skip the permission middleware, the limits or the audit."""
    allowed_schema = {"schema.core.entry"}
    for path in WEB.rglob("*.py"):
        for module in _imports(path):
            assert not module.startswith("graph"), (path, module)
            assert not module.endswith(".services"), (path, module)
            assert not module.startswith("schema") or module in allowed_schema, (path, module)
            assert module != "graphql" or path.name == "operations.py", (path, module)


@pytest.mark.parametrize("name", operations.names())
def test_no_document_uses_a_deprecated_shape(name):
    """The pages run the current shapes (issue 21): one `input` per mutation, no loose
    argument kept for old clients."""
    document = parse(operations.document(name))
    assert validate(root_schema.graphql_schema, document, [NoDeprecatedCustomRule]) == []


@pytest.mark.parametrize("name", operations.names())
def test_every_document_is_a_persisted_operation(name):
    """The pages name their documents by id (operations.run), so each must be persisted."""
    assert persisted_id(operations.document(name)) in persisted()


def test_run_refuses_the_inbox_to_an_anonymous_or_wrong_role_caller(graph_db, db):
    """The persisted path keeps the permission middleware: by id as by text."""
    from tests import directory_fixtures
    from tests.conftest import member

    anonymous = RequestFactory().get("/inbox/")
    answer = operations.run(anonymous, "Inbox")
    assert answer.refused is not None
    assert answer.refused.code == "UNAUTHENTICATED"
    assert answer.data == {}
    school = directory_fixtures._org("桜中学校", "SCHOOL", "141313")
    coordinator = member("coordinator", school, Role.COORDINATOR)
    wrong_role = RequestFactory().get("/inbox/", **coordinator.headers)
    answer = operations.run(wrong_role, "Inbox")
    assert answer.refused is not None
    assert answer.refused.code == "FORBIDDEN"
