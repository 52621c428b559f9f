from __future__ import annotations

import uuid
from typing import Any

import graphene

from graph import organisations as organisation_repo
from referral_hub.core.errors import ErrorCode, PublicError
from referral_hub.directory.rules import is_valid_area_code
from schema.core.pagination import connection, decode_cursor, page_size
from schema.directory.enums import OrganisationKindEnum
from schema.directory.types import Organisation, OrganisationConnection


class DirectoryQueries(graphene.ObjectType):
    organisation = graphene.Field(
        Organisation, id=graphene.ID(required=True), description="One organisation by id."
    )
    organisations = graphene.Field(
        graphene.NonNull(OrganisationConnection),
        kind=OrganisationKindEnum(),
        area_code=graphene.String(),
        first=graphene.Int(description="Page size, 1 to 100 (default 20)."),
        after=graphene.String(description="endCursor of the previous page."),
        description="Active organisations ordered by name, filtered by kind and area.",
    )

    @staticmethod
    def resolve_organisation(root: Any, info: graphene.ResolveInfo, id: str) -> dict | None:
        try:
            key = str(uuid.UUID(id))
        except ValueError:
            raise PublicError(ErrorCode.INVALID, "id is not a UUID.", field="id") from None
        return organisation_repo.organisations_by_ids([key]).get(key)

    @staticmethod
    def resolve_organisations(
        root: Any,
        info: graphene.ResolveInfo,
        kind: str | None = None,
        area_code: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> OrganisationConnection:
        size = page_size(first)
        cursor = decode_cursor(after, size=2)
        if area_code is not None and not is_valid_area_code(area_code):
            raise PublicError(
                ErrorCode.INVALID_AREA_CODE,
                "areaCode must be a six-digit JIS X 0402 code with a valid check digit.",
                field="areaCode",
            )
        page = organisation_repo.organisation_list(
            kind=kind.value if hasattr(kind, "value") else kind,
            area_code=area_code,
            first=size,
            after=(cursor[0], cursor[1]) if cursor else None,
        )
        return connection(
            OrganisationConnection,
            page.items,
            has_next=page.has_next,
            had_cursor=cursor is not None,
            key=lambda item: [item["name"], item["id"]],
        )
