"""Docs that cannot drift: the committed codebook and the README's command list."""

from __future__ import annotations

from pathlib import Path

import kdata
from kdata.cli import cli

REPO = Path(__file__).resolve().parent.parent


def test_committed_codebook_is_fresh() -> None:
    committed = (REPO / "docs" / "codebook.md").read_text(encoding="utf-8")
    assert committed == kdata.codebook(), "run: kdata codebook -o docs/codebook.md --force"


def test_readme_documents_every_command() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"kdata {name}" in readme, name


def test_citation_cff_names_the_version() -> None:
    assert f"version: {kdata.__version__}" in (REPO / "CITATION.cff").read_text(encoding="utf-8")


def test_changelog_has_this_version() -> None:
    assert f"## {kdata.__version__}" in (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
