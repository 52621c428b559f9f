"""PyPI has unrelated packages called `graph` and `schema`; ours must be the ones imported."""

from pathlib import Path

import graph
import referral_hub
import schema

ROOT = Path(__file__).resolve().parents[1]


def test_top_level_packages_are_this_repository():
    for package in (graph, schema, referral_hub):
        assert Path(package.__file__).resolve().parent.parent == ROOT, package.__file__
