"""The Upload scalar: a file sent by the GraphQL multipart request spec
(referral_hub/core/uploads.py puts it into the variables). It is input only."""

from __future__ import annotations

from typing import Any

import graphene
from django.core.files.uploadedfile import UploadedFile
from graphql import GraphQLError


class Upload(graphene.Scalar):
    """A file: send the request as multipart/form-data with `operations`, `map` and the
    file (https://github.com/jaydenseric/graphql-multipart-request-spec)."""

    @staticmethod
    def serialize(value: Any) -> None:
        return None  # never sent back

    @staticmethod
    def parse_literal(node: Any, _variables: Any = None) -> Any:
        raise GraphQLError("A file cannot be written in the document; send it as an upload.")

    @staticmethod
    def parse_value(value: Any) -> UploadedFile:
        if not isinstance(value, UploadedFile):
            raise GraphQLError("Send the file as a multipart upload, not as JSON.")
        return value
