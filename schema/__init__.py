"""The GraphQL API (graphene): one folder per domain, combined in `schema.schema`.

This layer stays thin: it parses arguments, calls services or graph selectors and
shapes errors. It never writes Cypher.
"""

from graphene.types.inputobjecttype import set_input_object_type_default_value
from graphql import Undefined

# Absent input fields stay absent (not None), so a partial update can tell "unchanged"
# from "cleared"; set here so it holds before any input object is built.
set_input_object_type_default_value(Undefined)
