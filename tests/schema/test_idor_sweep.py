"""Every operation that takes an id, swept with another organisation's ids (issue 12): the
answer for a real foreign id must be the answer for a random one, so an attacker cannot
even learn that the thing exists.

The attacker belongs to an organisation in 千代田区, far from every organisation of the
network, and holds every role an organisation can give there. The operations and their
arguments come from the schema itself, so a new operation is swept without anyone
remembering to add it. Public directory reads (organisations, services, locations, routes
and recommendations over them) are the one exception: the directory is open to every
signed-in caller.
"""

import json
import re
import uuid

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    get_named_type,
)

from referral_hub.accounts import tokens
from referral_hub.accounts.roles import Role
from schema.schema import schema
from tests import directory_fixtures
from tests.conftest import graph_counts, member
from tests.referrals.flows import build_case, create, give_consent, move

CHIYODA = "131016"
# The directory is public to anyone signed in: reading it by id is not a leak.
PUBLIC_BY_ID = {
    "organisation",
    "organisations",
    "service",
    "services",
    "location",
    "routes",
    "recommend",
    "opportunity",  # issue 19: a role's entry is public directory data
    "opportunities",
}
# node(id) and nodes(ids) read any record by its own lookup: a directory record is public
# there too, every other kind must answer like a random id. (A token's id is an integer,
# never a node's: both answer INVALID, at columns the id's digits would blur.)
NODE_LOOKUPS = {"node", "nodes"}
NOT_SWEPT_BY_NODE = {"organisation", "service", "location", "token"}
_SCALARS = {
    "String": "x",
    "Int": 1,
    "Float": 1.0,
    "Boolean": False,
    "Date": "2027-01-01",
    "DateTime": "2027-01-01T09:00:00+09:00",
    "JSONString": "{}",
}


def _value(type_, target):
    """A value of `type_` for a required argument; every ID is `target`."""
    if isinstance(type_, GraphQLNonNull):
        return _value(type_.of_type, target)
    if isinstance(type_, GraphQLList):
        return [_value(type_.of_type, target)]
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    if isinstance(type_, GraphQLInputObjectType):
        return {
            name: _value(field.type, target)
            for name, field in type_.fields.items()
            if isinstance(field.type, GraphQLNonNull) or _holds_id(field.type)
        }
    assert isinstance(type_, GraphQLScalarType)
    return target if type_.name == "ID" else _SCALARS[type_.name]


def _holds_id(type_, seen=()):
    named = get_named_type(type_)
    if isinstance(named, GraphQLScalarType):
        return named.name == "ID"
    if isinstance(named, GraphQLInputObjectType) and named.name not in seen:
        return any(_holds_id(f.type, (*seen, named.name)) for f in named.fields.values())
    return False


def _selection(type_):
    named = get_named_type(type_)
    if not isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
        return ""
    errors = " errors { field code }" if "errors" in named.fields else ""
    return f" {{ __typename{errors} }}"


def _operations():
    """(name, document, variables builder) for every root field with an id argument."""
    found = []
    for kind, root in (
        ("query", schema.graphql_schema.query_type),
        ("mutation", schema.graphql_schema.mutation_type),
    ):
        for name, field in root.fields.items():
            if kind == "query" and name in PUBLIC_BY_ID:
                continue
            current = {a: arg for a, arg in field.args.items() if not arg.deprecation_reason}
            args = {
                arg_name: arg
                for arg_name, arg in current.items()
                if isinstance(arg.type, GraphQLNonNull) or _holds_id(arg.type)
            }
            if not any(_holds_id(arg.type) for arg in args.values()):
                continue
            found.append((name, _document(kind, name, field, args), args))
            # The loose arguments kept for one release (docs/api.md) are swept too.
            legacy = {a: arg for a, arg in field.args.items() if arg.deprecation_reason}
            if legacy:
                found.append((f"{name}[deprecated]", _document(kind, name, field, legacy), legacy))
    return found


def _document(kind, name, field, args):
    declared = ", ".join(f"${a}: {arg.type}" for a, arg in args.items())
    passed = ", ".join(f"{a}: ${a}" for a in args)
    return f"{kind}({declared}) {{ {name}({passed}){_selection(field.type)} }}"


OPERATIONS = _operations()


@pytest.fixture
def owned(graph_db, db, redis_db):
    """A network with one of everything an id can name, and the attacker elsewhere."""
    network, people, subject = build_case()
    consent = give_consent(people, subject, organisationIds=[network["welfare"]])
    referral = create(people, subject, network["consult"])["data"]["createReferral"]["referral"]
    assert move(people["welfare"], referral["id"], "ACKNOWLEDGE", 1)["errors"] == []
    token = tokens.authenticate(people["npo"].headers["HTTP_AUTHORIZATION"].split()[1])
    attacker_org = directory_fixtures._org("千代田区立某中学校", "SCHOOL", CHIYODA)
    # Every role an organisation can give (SYSTEM_ADMIN is the hub's operator, not one).
    roles = [role for role in Role if role != Role.SYSTEM_ADMIN]
    attacker = member("attacker", attacker_org, *roles)
    foreign = {
        "subject": subject,
        "consent": consent,
        "referral": referral["id"],
        "organisation": network["welfare"],
        "service": network["consult"],
        "location": network["welfare_loc"],
        "token": str(token.pk),
    }
    return attacker, foreign


def _answer(attacker, document, args, target):
    variables = {name: _value(arg.type, target) for name, arg in args.items()}
    body = attacker(document, variables, expect_status=None)
    # Ids and request ids differ by construction; everything else must not.
    text = json.dumps(body, ensure_ascii=False, sort_keys=True).replace(target, "<ID>")
    return re.sub(r'"requestId": "[0-9a-f]+"', '"requestId": "<R>"', text)


def test_the_sweep_covers_the_operations_that_take_ids():
    names = {name for name, _, _ in OPERATIONS}
    assert {
        "subject",
        "referral",
        "withdrawConsent",
        "transitionReferral",
        "createReferral",
        "updateOrganisation",
        "revokeApiToken",
        "recordConsent",
        "node",
        "nodes",
        "transitionReferral[deprecated]",
    } <= names


@pytest.mark.parametrize(("name", "document", "args"), OPERATIONS, ids=[o[0] for o in OPERATIONS])
def test_a_foreign_id_answers_like_a_random_one(owned, name, document, args):
    attacker, foreign = owned
    before = graph_counts(audit=False)
    for kind, target in foreign.items():
        if name in NODE_LOOKUPS and kind in NOT_SWEPT_BY_NODE:
            continue
        real = _answer(attacker, document, args, target)
        # A random id of the same shape (token ids are integers, the others UUIDs).
        other = str(10**9 + int(target)) if target.isdigit() else str(uuid.uuid4())
        random = _answer(attacker, document, args, other)
        assert real == random, (name, kind, real, random)
    # Nothing the attacker sent changed the network (its own audit events aside).
    assert graph_counts(audit=False) == before
