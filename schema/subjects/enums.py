"""The consent policy's enums, as the API names them."""

import graphene

from referral_hub.consent.policy import DataCategory, GivenBy, Method, Purpose

PurposeEnum = graphene.Enum.from_enum(Purpose, description="Why personal data is used.")
DataCategoryEnum = graphene.Enum.from_enum(DataCategory, description="Kinds of personal data.")
GivenByEnum = graphene.Enum.from_enum(GivenBy, description="Who gave the consent.")
ConsentMethodEnum = graphene.Enum.from_enum(
    Method, name="ConsentMethod", description="How the consent was given."
)
