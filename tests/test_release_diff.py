"""`kdata diff` on a hand-made pair of packages."""

from __future__ import annotations

import json

import kdata

from .conftest import Package, copy_package


def test_diff_lists_added_removed_changed_and_schema(package: Package, tmp_path) -> None:  # noqa: ANN001
    old = copy_package(tmp_path / "old")
    rows = package.rows("sites")
    header = rows[0]
    removed = rows[1][0]
    changed = list(rows[2])
    old_name = changed[header.index("name")]
    changed[header.index("name")] = "Renamed site"
    added = list(rows[3])
    added[0] = "a-new-site"
    package.write_rows("sites", [header, changed, *rows[3:], added])
    schema = json.loads((package.root / "schemas/actors.json").read_text())
    schema["fields"].append({"name": "nickname", "type": "string"})
    (package.root / "schemas/actors.json").write_text(json.dumps(schema))

    result = kdata.diff(old, package.root)
    sites = next(t for t in result.tables if t.table == "sites")
    assert sites.added == ["a-new-site"] and sites.removed == [removed]
    assert sites.changed == [{"key": changed[0], "column": "name", "old": old_name, "new": "Renamed site"}]
    actors = next(t for t in result.tables if t.table == "actors")
    assert "column nickname added" in actors.schema
    text = result.to_text()
    assert "+ a-new-site" in text and f"- {removed}" in text and "Renamed site" in text


def test_a_change_of_categories_shows_in_the_diff(tmp_path) -> None:  # noqa: ANN001
    import json

    import kdata
    from kdata.release_diff import diff

    from .conftest import copy_package

    new = copy_package(tmp_path / "new")
    path = new / "schemas" / "launches.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    outcome = next(f for f in schema["fields"] if f["name"] == "outcome")
    outcome["categories"][0]["label"] = "Went as planned"
    path.write_text(json.dumps(schema), encoding="utf-8")
    changes = {t.table: t for t in diff(kdata.data_path(), new).tables}
    assert "column outcome changed (categories)" in changes["launches"].schema
