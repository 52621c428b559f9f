"""The directory's GraphQL inputs and its services name the same fields, by Python names."""

import graphene
import pytest

from referral_hub.accounts.actor import SYSTEM
from referral_hub.core.validation import api_name
from referral_hub.directory import services
from referral_hub.directory.rules import LOCATION_SPECS, ORGANISATION_SPECS, SERVICE_SPECS
from schema.directory import inputs
from schema.schema import schema


@pytest.mark.parametrize(
    ("input_type", "specs", "also"),
    [
        (inputs.OrganisationCreateInput, ORGANISATION_SPECS, set()),
        (inputs.OrganisationUpdateInput, ORGANISATION_SPECS, set()),
        (inputs.LocationCreateInput, LOCATION_SPECS, {"organisation_id", "latitude", "longitude"}),
        (inputs.LocationUpdateInput, LOCATION_SPECS, {"latitude", "longitude"}),
        (inputs.ServiceCreateInput, SERVICE_SPECS, {"organisation_id", "check_in_days"}),
        (inputs.ServiceUpdateInput, SERVICE_SPECS, {"check_in_days"}),
    ],
)
def test_each_input_names_exactly_what_its_service_checks(input_type, specs, also):
    assert set(input_type._meta.fields) == set(specs) | also


@pytest.mark.parametrize(
    "call",
    [
        lambda: services.organisation_create(
            actor=SYSTEM, data={"name": "x", "kind": "NPO", "areaCode": "141313"}
        ),
        lambda: services.location_create(actor=SYSTEM, data={"name": "x", "postalCode": "1"}),
        lambda: services.service_create(actor=SYSTEM, data={"name": "x", "ageMin": 3}),
        lambda: services.service_update(actor=SYSTEM, service_id="x", data={"tagCodes": []}),
    ],
)
def test_a_field_the_service_does_not_know_is_a_defect_not_ignored(call):
    with pytest.raises(TypeError, match="unknown directory fields"):
        call()


def test_api_name_gives_the_names_the_schema_shows_for_every_input_field():
    """Errors name fields by api_name, and registerSubject keys its input by it: it must
    be graphene's own conversion for every input field the schema has."""
    checked = 0
    for graphql_type in schema.graphql_schema.type_map.values():
        graphene_type = getattr(graphql_type, "graphene_type", None)
        if graphene_type is None or not issubclass(graphene_type, graphene.InputObjectType):
            continue
        python_names = graphene_type._meta.fields
        assert sorted(api_name(name) for name in python_names) == sorted(graphql_type.fields)
        checked += len(python_names)
    assert checked > 60
