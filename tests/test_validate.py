"""The validator on the bundled package and on a suite of broken packages.

Each case breaks a copy of the bundled package in one way and names the problem it must
give: file, line, column and rule. The CLI's exit code for each is checked in test_cli.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

import kdata
from kdata.errors import PackageUnreadable
from kdata.validation.report import Problem

from .conftest import Package


def test_bundled_package_is_valid() -> None:
    report = kdata.validate()
    assert report.ok, [p.format() for p in report.errors[:5]]


def test_the_bundled_package_gets_a_clean_bill() -> None:
    from click.testing import CliRunner

    from kdata.cli import cli

    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 0
    assert result.output == "valid\n"


def test_orphans_are_listed_only_when_asked_for() -> None:
    assert kdata.validate().warnings == []
    assert {p.rule for p in kdata.validate(orphans=True).warnings} == {"orphan"}


def test_distinct_descriptor_problems_are_never_merged() -> None:
    from kdata.validation.report import Report

    problems = [Problem("datapackage.json", None, None, None, "descriptor", f"problem {i}") for i in range(7)]
    report = Report("datapackage.json", problems + problems[:1])
    assert report.error_count == 7


def test_report_to_dict_has_stable_keys() -> None:
    d = kdata.validate(orphans=True).to_dict()
    assert list(d) == ["ok", "package", "error_count", "warning_count", "files_with_errors",
                       "truncated", "errors", "warnings"]
    assert list(d["warnings"][0]) == ["file", "line", "column", "value", "rule", "message",
                                      "table", "severity"]


Expect = tuple[str, int | None, str | None, str]  # file, line, column, rule


def _event_row(p: Package, event_id: str = "2019-hanoi-summit") -> int:
    return p.find_row("events", "event_id", event_id)


def _replace_line(p: Package, table: str, line: int, text: str) -> None:
    lines = (p.root / "data" / f"{table}.csv").read_text(encoding="utf-8").split("\n")
    lines[line - 1] = text
    p.write_bytes(table, "\n".join(lines).encode("utf-8"))


def _header(p: Package, table: str, header: list[str]) -> None:
    rows = p.rows(table)
    p.write_rows(table, [header] + rows[1:])


def _resource(p: Package, name: str, **changes: object) -> None:
    d = p.descriptor
    for r in d["resources"]:
        if r["name"] == name:
            r.update(changes)
    p.write_descriptor(d)


def case_impossible_date(p: Package) -> Expect:
    return ("data/events.csv", p.set_cell("events", _event_row(p), "start_date", "2019-02-30"), "start_date", "type")


def case_date_wrong_form(p: Package) -> Expect:
    return ("data/events.csv", p.set_cell("events", _event_row(p), "start_date", "27/02/2019"), "start_date", "type")


def case_end_before_start(p: Package) -> Expect:
    return ("data/events.csv", p.set_cell("events", _event_row(p), "end_date", "2019-02-01"), "end_date", "date-order")


def case_after_release(p: Package) -> Expect:
    row = _event_row(p)
    p.set_cell("events", row, "end_date", "")
    return ("data/events.csv", p.set_cell("events", row, "start_date", "2099-01-01"), "start_date", "after-release")


def case_precision_mismatch(p: Package) -> Expect:
    return ("data/events.csv", p.set_cell("events", _event_row(p), "date_precision", "month"), "start_date", "date-precision")


def case_formula_injection(p: Package) -> Expect:
    return ("data/events.csv", p.set_cell("events", _event_row(p), "title", "=HYPERLINK(\"x\")"), "title", "formula")


def case_formula_at_sign(p: Package) -> Expect:
    return ("data/actors.csv", p.set_cell("actors", 0, "description", "@SUM(A1)"), "description", "formula")


def case_padded_text(p: Package) -> Expect:
    return ("data/events.csv", p.set_cell("events", _event_row(p), "title", " Hanoi summit"), "title", "whitespace")


def case_country_not_iso(p: Package) -> Expect:
    return ("data/events.csv", p.set_cell("events", _event_row(p), "country", "VN"), "country", "enum")


def case_coordinates_outside_country(p: Package) -> Expect:
    row = p.find_row("sites", "site_id", "yongbyon")
    return ("data/sites.csv", p.set_cell("sites", row, "longitude", "-125.75"), "latitude,longitude", "outside-country")


def case_latitude_not_number(p: Package) -> Expect:
    return ("data/sites.csv", p.set_cell("sites", 0, "latitude", "north"), "latitude", "type")


def case_latitude_out_of_range(p: Package) -> Expect:
    return ("data/sites.csv", p.set_cell("sites", 0, "latitude", "95"), "latitude", "maximum")


def case_event_without_source(p: Package) -> Expect:
    rows = p.rows("event_sources")
    p.write_rows("event_sources", [r for r in rows if r[0] != "2019-hanoi-summit"])
    return ("data/events.csv", _event_row(p) + 2, "event_id", "unsourced")


def case_dangling_site(p: Package) -> Expect:
    return ("data/events.csv", p.set_cell("events", _event_row(p), "site_id", "atlantis"), "site_id", "foreign-key")


def case_dangling_self_reference(p: Package) -> Expect:
    row = p.find_row("actors", "actor_id", "frank-aum")
    return ("data/actors.csv", p.set_cell("actors", row, "affiliation_id", "nobody"), "affiliation_id", "foreign-key")


def case_dangling_publication(p: Package) -> Expect:
    return ("data/event_sources.csv", p.set_cell("event_sources", 0, "publication_id", "no-such-pub"), "publication_id", "foreign-key")


def case_dangling_actor_in_proposal(p: Package) -> Expect:
    return ("data/proposals.csv", p.set_cell("proposals", 0, "from_actor_id", "nobody"), "from_actor_id", "foreign-key")


def case_duplicate_primary_key(p: Package) -> Expect:
    first = p.rows("events")[1][0]
    return ("data/events.csv", p.set_cell("events", 1, "event_id", first), "event_id", "unique")


def case_duplicate_composite_key(p: Package) -> Expect:
    rows = p.rows("event_actors")
    p.write_rows("event_actors", rows + [rows[1]])
    return ("data/event_actors.csv", len(rows) + 1, "event_id,actor_id,role", "primary-key")


def case_enum_violation(p: Package) -> Expect:
    return ("data/events.csv", p.set_cell("events", _event_row(p), "event_type", "party"), "event_type", "enum")


def case_pattern_violation(p: Package) -> Expect:
    return ("data/actors.csv", p.set_cell("actors", 0, "wikidata_id", "12345"), "wikidata_id", "pattern")


def case_required_missing(p: Package) -> Expect:
    return ("data/events.csv", p.set_cell("events", _event_row(p), "title", ""), "title", "required")


def case_precision_missing(p: Package) -> Expect:
    """Regression: an empty date_precision crashed the precision rule with a TypeError."""
    return ("data/events.csv", p.set_cell("events", _event_row(p), "date_precision", ""), "date_precision", "required")


def case_error_after_a_quoted_line_break(p: Package) -> Expect:
    """A record spanning two lines shifts every later line: errors must still name the right one."""
    p.set_cell("events", 0, "note", "first line\nsecond line")
    return ("data/events.csv", p.set_cell("events", 5, "event_type", "party") + 1, "event_type", "enum")


def case_huge_cell(p: Package) -> Expect:
    return ("data/events.csv", p.set_cell("events", _event_row(p), "note", "x" * 20_000), "note", "cell-size")


def case_ragged_long_row(p: Package) -> Expect:
    line = _event_row(p) + 2
    text = (p.root / "data/events.csv").read_text(encoding="utf-8").split("\n")[line - 1]
    _replace_line(p, "events", line, text + ",extra")
    return ("data/events.csv", line, None, "row-length")


def case_ragged_short_row(p: Package) -> Expect:
    _replace_line(p, "event_actors", 3, "1950-korean-war-begins,kim-il-sung")
    return ("data/event_actors.csv", 3, None, "row-length")


def case_blank_row(p: Package) -> Expect:
    _replace_line(p, "sites", 3, "")
    return ("data/sites.csv", 3, None, "blank-row")


def case_missing_header_column(p: Package) -> Expect:
    rows = p.rows("event_sources")
    p.write_rows("event_sources", [r[:2] for r in rows])
    return ("data/event_sources.csv", 1, "note", "header-missing")


def case_extra_header_column(p: Package) -> Expect:
    rows = p.rows("event_sources")
    p.write_rows("event_sources", [rows[0] + ["comment"]] + [r + [""] for r in rows[1:]])
    return ("data/event_sources.csv", 1, "comment", "header-extra")


def case_duplicated_header_column(p: Package) -> Expect:
    rows = p.rows("event_sources")
    p.write_rows("event_sources", [rows[0] + ["note"]] + [r + [""] for r in rows[1:]])
    return ("data/event_sources.csv", 1, "note", "header-duplicate")


def case_reordered_header(p: Package) -> Expect:
    rows = p.rows("event_sources")
    p.write_rows("event_sources", [[r[1], r[0], r[2]] for r in rows])
    return ("data/event_sources.csv", 1, None, "header-order")


def case_not_utf8(p: Package) -> Expect:
    data = (p.root / "data/sites.csv").read_bytes().replace(b"Yongbyon", b"Yongby\xf6n", 1)
    p.write_bytes("sites", data)
    line = data[: data.index(b"\xf6")].count(b"\n") + 1
    return ("data/sites.csv", line, None, "encoding")


def case_bom(p: Package) -> Expect:
    p.write_bytes("sites", b"\xef\xbb\xbf" + (p.root / "data/sites.csv").read_bytes())
    return ("data/sites.csv", 1, None, "bom")


def case_empty_file(p: Package) -> Expect:
    p.write_bytes("event_sources", b"")
    return ("data/event_sources.csv", None, None, "empty-file")


def case_missing_file(p: Package) -> Expect:
    (p.root / "data/sites.csv").unlink()
    return ("data/sites.csv", None, None, "missing-file")


def case_hash_mismatch(p: Package) -> Expect:
    path = p.root / "data/actors.csv"
    path.write_bytes(path.read_bytes() + b"\n")
    return ("data/actors.csv", None, None, "hash")


def case_absolute_resource_path(p: Package) -> Expect:
    _resource(p, "sites", path="/etc/passwd")
    return ("datapackage.json", None, None, "unsafe-path")


def case_parent_resource_path(p: Package) -> Expect:
    _resource(p, "sites", path="../../secrets.csv")
    return ("datapackage.json", None, None, "unsafe-path")


def case_url_resource_path(p: Package) -> Expect:
    _resource(p, "sites", path="https://example.org/sites.csv")
    return ("datapackage.json", None, None, "unsafe-path")


def case_unsafe_schema_path(p: Package) -> Expect:
    _resource(p, "sites", schema="../schemas/sites.json")
    return ("datapackage.json", None, None, "unsafe-path")


def case_unreadable_schema(p: Package) -> Expect:
    (p.root / "schemas/sites.json").write_text("{not json", encoding="utf-8")
    return ("datapackage.json", None, None, "schema-unreadable")


def case_categories_out_of_step_with_enum(p: Package) -> Expect:
    path = p.root / "schemas/launches.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    outcome = next(f for f in schema["fields"] if f["name"] == "outcome")
    outcome["categories"] = outcome["categories"][:-1]
    path.write_text(json.dumps(schema), encoding="utf-8")
    return ("datapackage.json", None, "outcome", "categories")


def case_bad_version(p: Package) -> Expect:
    d = p.descriptor
    d["version"] = "first"
    p.write_descriptor(d)
    return ("datapackage.json", None, None, "version")


def _launch_row(p: Package, event_id: str = "2017-hwasong-15-launch") -> int:
    return p.find_row("launches", "event_id", event_id)


def case_launch_on_a_summit(p: Package) -> Expect:
    line = p.set_cell("launches", _launch_row(p), "event_id", "2019-hanoi-summit")
    return ("data/launches.csv", line, "event_id", "launch-event-type")


def case_launch_event_without_launches(p: Package) -> Expect:
    rows = p.rows("launches")
    p.write_rows("launches", [r for r in rows if r[0] != "2017-hwasong-15-launch"])
    return ("data/events.csv", p.find_row("events", "event_id", "2017-hwasong-15-launch") + 2,
            "event_id", "launch-missing")


def case_launch_of_unknown_weapon(p: Package) -> Expect:
    return ("data/launches.csv", p.set_cell("launches", _launch_row(p), "weapon_id", "death-star"),
            "weapon_id", "foreign-key")


def case_apogee_beyond_reason(p: Package) -> Expect:
    return ("data/launches.csv", p.set_cell("launches", _launch_row(p), "apogee_km", "45000"),
            "apogee_km", "maximum")


def case_too_many_missiles(p: Package) -> Expect:
    return ("data/launches.csv", p.set_cell("launches", _launch_row(p), "missiles", "250"),
            "missiles", "maximum")


def case_negative_range(p: Package) -> Expect:
    return ("data/launches.csv", p.set_cell("launches", _launch_row(p), "range_km", "-5"),
            "range_km", "minimum")


def case_launch_time_not_a_time(p: Package) -> Expect:
    return ("data/launches.csv", p.set_cell("launches", _launch_row(p), "time_local", "25:61"),
            "time_local", "pattern")


def case_first_launch_not_earliest(p: Package) -> Expect:
    row = p.find_row("weapons", "weapon_id", "hwasong-12")
    later = "2017-hwasong-12-over-japan-sep"
    return ("data/weapons.csv", p.set_cell("weapons", row, "first_launch_event_id", later),
            "first_launch_event_id", "first-launch")


def case_incident_short_of_force(p: Package) -> Expect:
    row = p.find_row("events", "event_id", "2010-cheonan-sinking")
    return ("data/events.csv", p.set_cell("events", row, "plover_category", "MOBILIZE"),
            "plover_category", "incident-plover")


def case_speech_without_plover_category(p: Package) -> Expect:
    row = p.find_row("events", "event_id", "2019-biegun-stanford-remarks")
    return ("data/events.csv", p.set_cell("events", row, "plover_category", ""),
            "plover_category", "plover-required")


def case_state_as_leader(p: Package) -> Expect:
    rows = p.rows("event_actors")
    rows.append(["2019-hanoi-summit", "usa", "leader"])
    p.write_rows("event_actors", rows)
    return ("data/event_actors.csv", len(rows), "actor_id", "leader-person")


def case_summit_with_one_leader(p: Package) -> Expect:
    rows = p.rows("event_actors")
    p.write_rows("event_actors", [r for r in rows
                                  if not (r[0] == "2019-hanoi-summit" and r[1:] == ["donald-trump", "leader"])])
    return ("data/events.csv", _event_row(p) + 2, "event_id", "summit-leaders")


def _measure_row(p: Package, measure: str = "yield-kt") -> int:
    return p.find_row("measures", "measure", measure)


def case_event_without_first_hand_source(p: Package) -> Expect:
    event = "2022-01-05-hypersonic-missile"
    rows = p.rows("event_sources")
    for r in rows[1:]:
        if r[0] == event:
            r[3] = "reference"
    p.write_rows("event_sources", rows)
    return ("data/events.csv", p.find_row("events", "event_id", event) + 2, "event_id", "first-hand-source")


def case_source_without_kind(p: Package) -> Expect:
    rows = p.rows("event_sources")
    n = next(i for i, r in enumerate(rows[1:]) if r[0] == "2019-hanoi-summit")
    rows[n + 1][3] = ""
    p.write_rows("event_sources", rows)
    return ("data/event_sources.csv", n + 2, "kind", "required")


def case_event_with_only_lists_and_context(p: Package) -> Expect:
    """A day-dated event whose sources are a list entry and context: no report, text or account."""
    event = "2019-hanoi-summit"
    rows = p.rows("event_sources")
    kinds = iter(["reference", "background"] * 10)
    for r in rows[1:]:
        if r[0] == event:
            r[3] = next(kinds)
    p.write_rows("event_sources", rows)
    return ("data/events.csv", p.find_row("events", "event_id", event) + 2, "event_id", "first-hand-source")


def case_nuclear_test_without_measures(p: Package) -> Expect:
    rows = p.rows("measures")
    p.write_rows("measures", [r for r in rows if r[1] != "2013-third-nuclear-test"])
    return ("data/events.csv", p.find_row("events", "event_id", "2013-third-nuclear-test") + 2,
            "event_id", "test-measures")


def case_measure_low_above_best(p: Package) -> Expect:
    row = _measure_row(p, "deaths")
    p.set_cell("measures", row, "best", "10")
    return ("data/measures.csv", p.set_cell("measures", row, "low", "50"), "best", "measure-range")


def case_measure_without_value(p: Package) -> Expect:
    row = _measure_row(p, "deaths")
    for column in ("low", "high"):
        p.set_cell("measures", row, column, "")
    return ("data/measures.csv", p.set_cell("measures", row, "best", ""), "best", "measure-range")


def case_negative_count(p: Package) -> Expect:
    return ("data/measures.csv", p.set_cell("measures", _measure_row(p, "deaths"), "best", "-3"),
            "best", "minimum")


def case_yield_in_persons(p: Package) -> Expect:
    return ("data/measures.csv", p.set_cell("measures", _measure_row(p), "unit", "persons"),
            "unit", "measure-unit")


def _decision_row(p: Package, event_id: str = "2017-unsc-resolution-2397") -> int:
    return p.find_row("un_decisions", "event_id", event_id)


def case_un_decision_on_a_summit(p: Package) -> Expect:
    line = p.set_cell("un_decisions", _decision_row(p), "event_id", "2019-hanoi-summit")
    return ("data/un_decisions.csv", line, "event_id", "un-decision-type")


def case_votes_short_of_the_council(p: Package) -> Expect:
    return ("data/un_decisions.csv", p.set_cell("un_decisions", _decision_row(p), "votes_for", "14"),
            "votes_for", "council-votes")


def case_votes_of_1950_counted_as_fifteen(p: Package) -> Expect:
    row = _decision_row(p, "1950-unsc-resolution-88")
    return ("data/un_decisions.csv", p.set_cell("un_decisions", row, "votes_for", "12"),
            "votes_for", "council-votes")


def case_veto_without_vetoer(p: Package) -> Expect:
    rows = p.rows("event_actors")
    p.write_rows("event_actors", [r for r in rows if not (r[0] == "2022-unsc-dprk-sanctions-veto" and r[2] == "vetoer")])
    return ("data/un_decisions.csv", _decision_row(p, "2022-unsc-dprk-sanctions-veto") + 2,
            "event_id", "veto-without-vetoer")


def _office_row(p: Package, actor: str = "moon-jae-in") -> int:
    return p.find_row("offices", "actor_id", actor)


def case_two_presidents_at_once(p: Package) -> Expect:
    return ("data/offices.csv", p.set_cell("offices", _office_row(p), "start_date", "2017-01-01"),
            "start_date", "office-overlap")


def case_office_ends_before_it_starts(p: Package) -> Expect:
    return ("data/offices.csv", p.set_cell("offices", _office_row(p), "end_date", "2016-05-09"),
            "end_date", "date-order")


def case_office_of_unknown_person(p: Package) -> Expect:
    return ("data/offices.csv", p.set_cell("offices", _office_row(p), "actor_id", "nobody"),
            "actor_id", "foreign-key")


def case_cow_code_not_the_states(p: Package) -> Expect:
    row = p.find_row("actors", "actor_id", "prk")
    return ("data/actors.csv", p.set_cell("actors", row, "cow_code", "732"), "cow_code", "cow-code")


def case_state_without_its_cow_code(p: Package) -> Expect:
    row = p.find_row("actors", "actor_id", "prk")
    return ("data/actors.csv", p.set_cell("actors", row, "cow_code", ""), "cow_code", "cow-code")


def case_gw_code_on_a_country_without_codes(p: Package) -> Expect:
    row = p.find_row("actors", "actor_id", "prk")
    p.set_cell("actors", row, "country", "ATA")
    return ("data/actors.csv", row + 2, "gw_code", "gw-code")


def _proposal_row(p: Package, proposal: str = "panmunjom-declaration-2018-end-of-war-peace-treaty") -> int:
    return p.find_row("proposals", "proposal_id", proposal)


def case_proposal_follows_itself(p: Package) -> Expect:
    line = p.set_cell("proposals", _proposal_row(p), "follows_id",
                      "panmunjom-declaration-2018-end-of-war-peace-treaty")
    return ("data/proposals.csv", line, "follows_id", "lineage")


def case_proposal_follows_a_later_one(p: Package) -> Expect:
    row = _proposal_row(p, "basic-agreement-1991-armistice-to-peace")
    return ("data/proposals.csv", p.set_cell("proposals", row, "follows_id", "singapore-joint-statement-2018-peace-regime"),
            "follows_id", "lineage")


def case_proposals_in_a_cycle(p: Package) -> Expect:
    # two same-day items that follow each other: no date rule catches it, the cycle rule does
    row = _proposal_row(p, "panmunjom-declaration-2018-family-reunions")
    p.set_cell("proposals", row, "follows_id", "panmunjom-declaration-2018-cease-hostile-acts")
    other = _proposal_row(p, "panmunjom-declaration-2018-cease-hostile-acts")
    return ("data/proposals.csv", p.set_cell("proposals", other, "follows_id", "panmunjom-declaration-2018-family-reunions"),
            "follows_id", "lineage")


def case_site_precision_without_site(p: Package) -> Expect:
    row = p.find_row("events", "event_id", "1950-korean-war-outbreak")
    return ("data/events.csv", p.set_cell("events", row, "site_precision", "exact"),
            "site_precision", "site-precision")


def case_city_precision_on_a_venue(p: Package) -> Expect:
    return ("data/events.csv", p.set_cell("events", _event_row(p), "site_precision", "city"),
            "site_id", "site-precision-city")


def case_event_type_without_coverage(p: Package) -> Expect:
    d = p.descriptor
    d["coverage"]["classes"] = [c for c in d["coverage"]["classes"] if "summit" not in c["event_types"]]
    p.write_descriptor(d)
    return ("datapackage.json", None, "coverage", "coverage")


def case_complete_coverage_without_reference(p: Package) -> Expect:
    d = p.descriptor
    del d["coverage"]["classes"][0]["checked_against"]
    p.write_descriptor(d)
    return ("datapackage.json", None, "coverage", "coverage")


CASES: dict[str, Callable[[Package], Expect]] = {
    name.removeprefix("case_"): fn for name, fn in globals().items() if name.startswith("case_")
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_package_reports_the_problem(package: Package, name: str) -> None:
    file, line, column, rule = CASES[name](package)
    report = kdata.validate(package.root)
    assert not report.ok
    found = [(p.file, p.line, p.column, p.rule) for p in report.errors]
    assert (file, line, column, rule) in found, [p.format() for p in report.errors[:8]]


def test_suite_is_large_enough() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize("name", sorted(CASES))
def test_validation_writes_nothing(package: Package, name: str) -> None:
    CASES[name](package)
    before = {p: p.read_bytes() for p in package.root.rglob("*") if p.is_file()}
    kdata.validate(package.root)
    after = {p: p.read_bytes() for p in package.root.rglob("*") if p.is_file()}
    assert before == after


def test_missing_descriptor_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(PackageUnreadable, match="no such file"):
        kdata.validate(tmp_path / "nowhere")


def test_invalid_json_names_the_line(package: Package) -> None:
    (package.root / "datapackage.json").write_text('{\n  "name": "kdata",\n  oops\n}', encoding="utf-8")
    with pytest.raises(PackageUnreadable, match=r"datapackage.json:3: invalid JSON"):
        kdata.validate(package.root)


def test_month_precision_with_empty_end_date_is_valid(package: Package) -> None:
    """Regression: an empty end_date was taken for a date that is not the 1st of a month."""
    row = _event_row(package)
    package.set_cell("events", row, "end_date", "")
    package.set_cell("events", row, "start_date", "2019-02-01")
    package.set_cell("events", row, "date_precision", "month")
    report = kdata.validate(package.root)
    assert report.ok, [p.format() for p in report.errors]


def test_line_break_in_the_last_row_is_found(package: Package) -> None:
    """Regression: a break inside the last record was missed, since no later record moved."""
    last = len(package.rows("events")) - 2
    line = package.set_cell("events", last, "note", "first line\nsecond line")
    warnings = [(p.line, p.column, p.rule) for p in kdata.validate(package.root).warnings]
    assert (line, "note", "line-break") in warnings


def test_numbers_are_reported_as_written(package: Package) -> None:
    """A column pandas reads as numbers is still checked, and shown, as the text in the file."""
    line = package.set_cell("sites", 0, "latitude", "091.50")
    problem = next(p for p in kdata.validate(package.root).errors if p.rule == "maximum")
    assert (problem.line, problem.column, problem.value) == (line, "latitude", "091.50")


def test_type_error_is_not_reported_twice(package: Package) -> None:
    line = package.set_cell("events", _event_row(package), "start_date", "2019-02-30")
    at_cell = [p for p in kdata.validate(package.root).errors if (p.line, p.column) == (line, "start_date")]
    assert [p.rule for p in at_cell] == ["type"]


def test_every_problem_is_one_line_with_all_parts(package: Package) -> None:
    line = package.set_cell("events", _event_row(package), "event_type", "party")
    problem = next(p for p in kdata.validate(package.root).errors if p.rule == "enum")
    assert problem.format() == (f'data/events.csv:{line}: event_type: "party": enum: not one of the 18 '
                                "allowed values (see the codebook)") or "\n" not in problem.format()
    assert problem.format().startswith(f'data/events.csv:{line}: event_type: "party": enum: ')


def test_max_errors_caps_the_list_not_the_count(package: Package) -> None:
    rows = package.rows("events")
    for r in rows[1:6]:
        r[rows[0].index("event_type")] = "party"
    package.write_rows("events", rows)
    report = kdata.validate(package.root, max_errors=2)
    assert len(report.errors) == 2 and report.error_count >= 5 and report.to_dict()["truncated"]


def test_frictionless_agrees_on_cell_level_cases(package: Package) -> None:
    """Where frictionless's own row checks find a fault, kdata finds it too."""
    from frictionless import validate as fl_validate

    for name in ("impossible_date", "enum_violation", "dangling_site", "latitude_out_of_range"):
        case = Package(package.root)
        CASES[name](case)
    ours = kdata.validate(package.root)
    theirs = fl_validate(str(package.root / "datapackage.json"))
    assert not theirs.valid and not ours.ok
    assert {"type", "enum", "foreign-key", "maximum"} <= {p.rule for p in ours.errors}


def test_a_later_account_devoted_to_the_event_satisfies_the_source_rule(package: Package) -> None:
    """A retrospective about the event itself counts; a list entry or context does not."""
    event = "2019-hanoi-summit"
    rows = package.rows("event_sources")
    mine = [r for r in rows[1:] if r[0] == event]
    for i, r in enumerate(mine):
        r[3] = "account" if i == 0 else "reference"
    package.write_rows("event_sources", rows)
    assert kdata.validate(package.root).ok
    mine[0][3] = "background"
    package.write_rows("event_sources", rows)
    assert "first-hand-source" in {p.rule for p in kdata.validate(package.root).errors}


def test_duplicate_header_names_are_kept_apart() -> None:
    """Every column of a header with repeated names reaches the frame, each under its own name."""
    from kdata.validation.csvtext import _unique_names

    assert _unique_names(["a", "b", "a", "a", "a (2)"]) == ["a", "b", "a (2)", "a (3)", "a (2) (2)"]
    wide = [f"x{i % 1000}" for i in range(20_000)]
    names = _unique_names(wide)
    assert len(set(names)) == len(wide) and names[:1000] == wide[:1000]


def test_a_whole_number_is_shown_as_the_file_writes_it(package: Package) -> None:
    """A rule on an integer column names the value as the contributor wrote it ("732"), not
    as the float it was parsed into ("732.0")."""
    file, line, column, rule = case_cow_code_not_the_states(package)
    found = [p for p in kdata.validate(package.root).errors
             if (p.line, p.column, p.rule) == (line, column, rule)]
    assert [p.value for p in found] == ["732"]


#: A descriptor only frictionless objects to (a field of a type no Table Schema has).
UNKNOWN_TYPE = {"name": "p", "resources": [{"name": "t", "path": "t.csv", "schema": {
    "fields": [{"name": "a", "type": "no-such-type"}]}}]}


def test_frictionless_checks_in_a_child_give_the_messages_they_give_here() -> None:
    from kdata.validation import metadata

    here = metadata.messages(UNKNOWN_TYPE)
    assert here and metadata.start(UNKNOWN_TYPE, beside=True)() == here


def test_a_child_that_cannot_run_leaves_frictionless_s_checks_to_this_process(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """An interpreter that fails, or is not there, must not cost a problem or raise."""
    import sys

    from kdata.validation import metadata

    here = metadata.messages(UNKNOWN_TYPE)
    monkeypatch.setattr(metadata, "CHILD", [sys.executable, "-c", "raise SystemExit(3)"])
    assert metadata.start(UNKNOWN_TYPE, beside=True)() == here
    monkeypatch.setattr(metadata, "CHILD", ["/nonexistent/python"])
    assert metadata.start(UNKNOWN_TYPE, beside=True)() == here
