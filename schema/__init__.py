"""The GraphQL API (graphene): one folder per domain, combined in `schema.schema`.

This layer stays thin: it parses arguments, calls services or graph selectors and
shapes errors. It never writes Cypher.
"""
