"""The coverage statement: every complete class matches its reference list row by row, and the
check fails when the data and the list disagree."""

from __future__ import annotations

import importlib.util
import re
import sys
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

import pytest
from click.testing import CliRunner

import kdata
from kdata.cli import cli
from kdata.coverage import coverage_classes, coverage_series
from kdata.package import open_package

from .conftest import Package

REPO = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("check_coverage", REPO / "tools" / "check_coverage.py")
check_coverage = importlib.util.module_from_spec(spec)
sys.modules["check_coverage"] = check_coverage  # dataclasses look their module up by name
spec.loader.exec_module(check_coverage)  # type: ignore[union-attr]


def test_every_complete_class_matches_its_reference_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert check_coverage.main([]) == 0, capsys.readouterr().out
    out = capsys.readouterr().out
    assert "launches:" in out and "0 missing, 0 not in the reference" in out


def test_a_moved_launch_is_missing_and_extra(package: Package, capsys: pytest.CaptureFixture[str]) -> None:
    row = package.find_row("events", "event_id", "2017-hwasong-15-launch")
    package.set_cell("events", row, "start_date", "2017-11-30")
    assert check_coverage.main([str(package.root)]) == 1
    out = capsys.readouterr().out
    assert "missing: 2017-11-29" in out
    assert "not in the reference: 2017-hwasong-15-launch" in out


def test_launches_and_nuclear_tests_are_complete_and_the_rest_selective() -> None:
    classes = {c.name: c for c in coverage_classes(open_package().descriptor)}
    assert classes["launches"].status == "complete"
    assert classes["nuclear-tests"].status == "complete"
    event_types = open_package().table("events").field("event_type").enum
    assert sorted(t for c in classes.values() for t in c.event_types) == sorted(event_types)


def test_info_and_codebook_state_the_coverage() -> None:
    out = CliRunner().invoke(cli, ["info"]).output
    assert "coverage" in out and "complete from 1984-01-01 to 2024-12-31" in out
    assert "## Coverage" in kdata.codebook()


def test_a_round_left_out_of_its_series_fails_the_check(package: Package,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    row = package.find_row("events", "event_id", "2005-six-party-talks-round-5-phase-1")
    package.set_cell("events", row, "series", "")
    assert check_coverage.main([str(package.root)]) == 1
    assert "negotiating-rounds:" in (out := capsys.readouterr().out)
    assert "missing: 2005-11-09 (day) Six-Party Talks round 5, phase 1" in out


def test_a_leader_meeting_not_on_the_reference_fails_the_check(package: Package,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    rows = package.rows("event_actors")
    rows.append(["2017-moon-trump-washington-summit", "kim-jong-un", "leader"])
    package.write_rows("event_actors", rows)
    assert check_coverage.main([str(package.root)]) == 1
    assert "not in the reference: 2017-moon-trump-washington-summit" in capsys.readouterr().out


def test_series_select_what_they_say() -> None:
    series = {s.name: s for s in coverage_series(open_package().descriptor)}
    tables = kdata.load_all()
    rounds = series["negotiating-rounds"].events(tables)
    assert set(rounds["series"]) == set(dict(series["negotiating-rounds"].select)["series"])
    assert (rounds["series"] == "six-party-talks").sum() == 13
    council = series["security-council"].events(tables)
    assert set(council["event_id"]) <= set(tables["un_decisions"].query("body == 'security-council'")["event_id"])
    meetings = series["dprk-leader-meetings"].events(tables)
    checklist = check_coverage.read_reference(REPO / series["dprk-leader-meetings"].checked_against)
    assert (meetings["event_type"] == "summit").all()
    assert set(meetings["event_id"]) == {row.event_id for row in checklist}


def test_a_malformed_series_is_reported(package: Package) -> None:
    descriptor = package.descriptor
    descriptor["coverage"]["series"][0]["select"] = {"colour": ["red"]}
    descriptor["coverage"]["series"][1]["status"] = "complete"
    package.write_descriptor(descriptor)
    messages = [p.message for p in kdata.validate(package.root).errors]
    assert any("select takes a non-empty list under one of leaders, series, un_bodies" in m for m in messages)
    assert any("complete series 'kim-il-sung-meetings' needs start, end and checked_against" in m
               for m in messages)


def test_every_reference_row_names_a_source() -> None:
    import csv

    for c in [*coverage_classes(open_package().descriptor), *coverage_series(open_package().descriptor)]:
        if c.checked_against:
            with (REPO / c.checked_against).open(encoding="utf-8") as f:
                rows = list(csv.DictReader(f))
            assert rows and all(r["source_url"].startswith("http") and r["label"] for r in rows)
            # a page, not a site's front door: the row must cite what it read
            bare = [r["source_url"] for r in rows if urlparse(r["source_url"]).path in ("", "/")
                    and not urlparse(r["source_url"]).query]
            assert not bare, (c.checked_against, bare)


def test_a_checklist_row_counts_only_the_event_it_names() -> None:
    """A row that names its event is covered by that event alone: Hu Yaobang's visit of May
    1984 (not built) must not count as present because Kim Il Sung met Chernenko that month."""
    Expected = check_coverage.Expected
    chernenko = ("1984-kim-il-sung-chernenko-moscow", date(1984, 5, 1), date(1984, 5, 1), "month")
    hu = Expected(date(1984, 5, 1), "month", "kst", "Hu Yaobang's visit (not built)", "https://x", "")
    built = Expected(date(1984, 5, 1), "month", "kst", "Chernenko", "https://x",
                     "1984-kim-il-sung-chernenko-moscow")
    missing, _ = check_coverage.compare([chernenko], [hu, built], date.min, date.min)
    assert missing == [hu]


def test_every_event_a_checklist_names_exists() -> None:
    import csv

    events = set(kdata.load_events()["event_id"])
    for path in sorted((REPO / "tools" / "reference").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            named = {r["event_id"] for r in csv.DictReader(f) if r.get("event_id")}
        assert named <= events, (path.name, sorted(named - events))


def test_every_agreement_has_its_items_or_a_stated_reason(
        capsys: pytest.CaptureFixture[str]) -> None:
    tables = kdata.load_all()
    assert check_coverage.check_items(tables)
    assert "without items for a stated reason, 0 problems" in capsys.readouterr().out


def test_an_agreement_stripped_of_its_items_fails_the_check(
        package: Package, capsys: pytest.CaptureFixture[str]) -> None:
    rows = package.rows("proposals")
    package.write_rows("proposals", [r for r in rows if r[1] != "june-15-declaration-2000"])
    assert check_coverage.main([str(package.root)]) == 1
    out = capsys.readouterr().out
    assert "no items and no reason in tools/reference/texts_without_items.csv: 2000-" in out


def test_a_text_listed_without_items_that_gains_some_fails_the_check(
        package: Package, capsys: pytest.CaptureFixture[str]) -> None:
    rows = package.rows("proposals")
    found = package.find_row("proposals", "proposal_id", "june-15-declaration-2000-authority-talks")
    item = list(rows[found + 1])  # find_row counts data rows; rows[0] is the header
    item[rows[0].index("proposal_id")] = "byungjin-item"
    item[rows[0].index("event_id")] = "2013-byungjin-line"
    package.write_rows("proposals", [*rows, item])
    assert check_coverage.main([str(package.root)]) == 1
    assert "listed without items but has items: 2013-byungjin-line" in capsys.readouterr().out


def _council_rule() -> str:
    series = {s.name: s for s in coverage_series(open_package().descriptor)}
    return series["security-council"].rule


def test_the_council_rule_names_the_decisions_not_yet_in() -> None:
    """The rule said the Soviet veto of September 1950 was missing long after it was added: the
    drafts it names as not yet in are exactly the checklist's rows without an event."""
    checklist = REPO / "tools/reference/checklist_security_council.csv"
    missing = {s for row in check_coverage.read_reference(checklist) if not row.event_id
               for s in re.findall(r"S/\d+", row.label)}
    rule = _council_rule()
    named = set(re.findall(r"S/\d+", rule[rule.index("Not yet in"):].split(".")[0]))
    assert named == missing


def test_the_council_rule_counts_the_decisions_without_sponsors() -> None:
    """Sponsors are linked where a page names them; the rule says how many decisions link none,
    so that a count of sponsors is not read as complete."""
    tables = kdata.load_all()
    decisions = tables["un_decisions"].query(
        "body == 'security-council' and kind != 'presidential-statement'")
    sponsored = set(tables["event_actors"].query("role == 'sponsor'")["event_id"])
    without = (~decisions["event_id"].isin(sponsored)).sum()
    stated = re.search(r"(\d+) of the (\d+) resolutions and vetoed drafts link none",
                       _council_rule())
    assert stated and (int(stated[1]), int(stated[2])) == (without, len(decisions))


def test_the_readme_counts_each_selective_series_as_its_checklist_does() -> None:
    """The README's table says how far each selective series has got through its checklist, and
    how many rows a complete one has; the counts must move with the data (it said 86 of 115
    after a meeting was added, and 40 meetings after a forty-first was found)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    tables = kdata.load_all()
    for s in coverage_series(open_package().descriptor):
        if not s.checked_against:
            continue
        expected, missing = check_coverage.checklist_progress(s.events(tables), s.checked_against)
        row = next(line for line in readme.splitlines() if line.startswith(f"| {s.title} |"))
        if s.status == "selective":
            done = len(expected) - len(missing)
            assert f"selective: {done} of {len(expected)} on the list" in row
        else:  # rows of one event (a round and the agreement announced at its end) count once
            events = len({e.event_id for e in expected})
            assert re.search(rf"complete, \d{{4}}–\d{{4}} \({events} \w+\)", row), row


def test_the_readme_counts_the_launch_days_kim_jong_un_attended() -> None:
    """The README says on how many launch days of 2012-2024 Kim Jong Un is linked as `leader`
    (a lower bound of those he attended); the count must move with the links."""
    events = kdata.load_events()
    days = events[events["event_type"].isin(["missile-test", "satellite-launch"])
                  & events["start_date"].between("2012-01-01", "2024-12-31")]["event_id"]
    links = kdata.load_event_actors().query("actor_id == 'kim-jong-un' and role == 'leader'")
    attended = days.isin(links["event_id"]).sum()
    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    assert f"linked on {attended} of the {len(days)} launch days of 2012–2024" in readme
