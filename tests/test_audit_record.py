"""The record of audited events (tools/reference/audited_events.csv) and the tool that draws the
next sample from the events it does not hold."""

from __future__ import annotations

import csv
import importlib.util
import json
import re
from pathlib import Path

import pytest

import kdata

REPO = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("audit_sample", REPO / "tools" / "audit_sample.py")
audit_sample = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit_sample)  # type: ignore[union-attr]


def _record() -> list[dict[str, str]]:
    with audit_sample.RECORD.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_the_record_names_events_releases_and_outcomes_that_exist() -> None:
    """An event renamed or removed leaves no stale row; each row names a recorded release."""
    events = set(kdata.load_events()["event_id"])
    released = set(json.loads((REPO / "releases.json").read_text(encoding="utf-8"))["releases"])
    rows = _record()
    assert len({(r["event_id"], r["round"]) for r in rows}) == len(rows)
    wrong = [r for r in rows if r["event_id"] not in events or r["fixes_in"] not in released
             or not r["round"].isdigit() or int(r["round"]) < 1
             or r["method"] not in {"pages", "codebook"}
             or r["outcome"] not in {"ok", "fixed", "open"}]
    assert not wrong, wrong


def test_a_sample_holds_only_events_whose_pages_no_audit_has_read(
        capsys: pytest.CaptureFixture[str]) -> None:
    read = {r["event_id"] for r in _record() if r["method"] == "pages"}
    unread = set(kdata.load_events()["event_id"]) - read
    assert audit_sample.main(["1", "30"]) == 0
    drawn = re.findall(r"^## (\S+)$", capsys.readouterr().out, re.MULTILINE)
    assert len(drawn) == min(30, len(unread)) and set(drawn) <= unread
    assert audit_sample.main(["1", "30"]) == 0  # the same seed draws the same sample
    assert re.findall(r"^## (\S+)$", capsys.readouterr().out, re.MULTILINE) == drawn


def test_a_later_round_draws_from_every_event_its_round_has_not_read(
        capsys: pytest.CaptureFixture[str]) -> None:
    """Once every event has been read, a later round reads them again: its sample may hold
    events read in the rounds before, but never one already read in its own round (the latest
    round still drawing, or the next one once the latest has read every event)."""
    events = set(kdata.load_events()["event_id"])
    latest = max(int(r["round"]) for r in _record())
    read_in = audit_sample.read_pages
    round_ = latest if len(events - read_in(latest)) >= 30 else latest + 1
    assert audit_sample.main(["1", "30", "--round", str(round_)]) == 0
    drawn = set(re.findall(r"^## (\S+)$", capsys.readouterr().out, re.MULTILINE))
    assert len(drawn) == 30 and not drawn & read_in(round_)
    assert drawn & read_in(round_ - 1)


def test_a_wrong_call_says_how_to_call_it(capsys: pytest.CaptureFixture[str]) -> None:
    wrong_calls = (["ten"], ["1", "30", "--round"], ["1", "30", "--round", "0"], ["1", "30", "--rounds", "2"])
    for wrong in wrong_calls:
        assert audit_sample.main(wrong) == 2
        assert capsys.readouterr().err.strip() == audit_sample.USAGE


def test_the_readme_counts_the_events_read_as_the_record_does() -> None:
    read = len({r["event_id"] for r in _record() if r["method"] == "pages"})
    events = len(kdata.load_events())
    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    assert f"({read} of the {events} events so far)" in readme


def _outcomes(round_: int) -> tuple[int, int, int]:
    """Of the events a round read against their pages: how many needed a fix (made, or still
    open for want of a page), how many it read, and how many of the fixes are open."""
    read = [r["outcome"] for r in _record() if r["round"] == str(round_) and r["method"] == "pages"]
    return sum(o != "ok" for o in read), len(read), read.count("open")


def test_the_readme_states_what_the_second_round_found_as_the_record_does() -> None:
    fixed, read, _ = _outcomes(2)
    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    assert f"{fixed} of the {read} events read again against their pages needed a fix" in readme


def test_the_readme_states_what_each_later_round_found_as_the_record_does() -> None:
    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    for round_ in sorted({int(r["round"]) for r in _record() if int(r["round"]) >= 3}):
        fixed, read, still_open = _outcomes(round_)
        phrase = f"{fixed} of the {read} events read in round {round_} against their pages"
        assert f"{phrase} needed a fix" in readme
        if still_open:  # a fix no page can yet support is said to be open, not counted as made
            assert f"{still_open} still open" in readme
