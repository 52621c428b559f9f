"""Japanese first: every text of the pages has its Japanese translation (issue 14)."""

import subprocess
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "referral_hub" / "web" / "locale"


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_catalogue_compiles_cleanly(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "fuzzy" not in result.stderr


def test_every_japanese_entry_is_translated():
    po = LOCALE / "ja" / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "untranslated" not in result.stderr
    assert "fuzzy" not in result.stderr
    assert int(result.stderr.split()[0]) >= 130  # the catalogue is not empty
