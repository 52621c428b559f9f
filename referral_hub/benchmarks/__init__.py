"""Benchmarks run by `make bench` against their own Neo4j (profile `bench`), never in tests."""
