"""A page of a keyset-paginated list and the request for one: the types graph/listing.py
defines and every list of the domain returns, re-exported so the API layer names them
without reaching into graph/ (an import contract in pyproject.toml)."""

from graph.listing import Page, PageRequest

__all__ = ("Page", "PageRequest")
