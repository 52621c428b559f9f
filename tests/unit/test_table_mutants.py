"""make mutation's own mutants of module-level tables and constants (devtools/table_mutants)."""

from pathlib import Path

from referral_hub.devtools.table_mutants import files_importing, mutants_of

SOURCE = '''\
"""A rules module."""
__all__ = ["CAP"]
CAP = 3
FIT = {"A": 1.0, "B": 0.5}
KINDS = frozenset({"X", "Y"})
OPENS, CLOSES = (9, 17)


def rule(n):
    return n <= 4
'''


def test_numbers_dict_values_and_members_are_changed_one_at_a_time():
    changes = [mutant.change for mutant in mutants_of("m.py", SOURCE)]
    assert changes == [
        "CAP: 3 -> 4",
        "FIT['A']: 1.0 -> 0.5",
        "FIT['B']: 0.5 -> 1.0",
        "FIT['A']: 1.0 -> 2.0",
        "FIT['B']: 0.5 -> 1.5",
        "KINDS: {'X', 'Y'} -> {'Y'}",
        "KINDS: {'X', 'Y'} -> {'X'}",
        "(OPENS, CLOSES): (9, 17) -> (10, 17)",
        "(OPENS, CLOSES): (9, 17) -> (9, 18)",
    ]


def test_a_mutant_is_the_whole_module_with_one_change_and_functions_untouched():
    mutant = mutants_of("m.py", SOURCE)[0]
    assert "CAP = 4" in mutant.source
    assert "return n <= 4" in mutant.source
    assert "__all__ = ['CAP']" in mutant.source


def test_the_quick_round_runs_the_test_files_that_import_the_module(tmp_path: Path):
    (tmp_path / "test_a.py").write_text("from referral_hub.referrals import handoff\n")
    (tmp_path / "test_b.py").write_text("from referral_hub.referrals.handoff import State\n")
    (tmp_path / "test_c.py").write_text("from referral_hub.referrals import rules\n")
    found = files_importing("referral_hub/referrals/handoff.py", sorted(tmp_path.iterdir()))
    assert [path.name for path in found] == ["test_a.py", "test_b.py"]
