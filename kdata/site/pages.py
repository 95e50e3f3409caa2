"""Render every page of the site into a folder, from the templates beside this module.

Pages sit at two depths: the section pages at the top (``index.html``, ``map.html``,
``proposals.html``, ``actors.html``, ``publications.html``, ``about.html``) and one page per
record below them (``events/ID.html``, ``actors/ID.html``, ``publications/ID.html``,
``proposals/PACKAGE.html``). Links are relative, so the folder works from disk and from any
static host. Record ids become file names only if they are safe ones.
"""

from __future__ import annotations

import re
from collections import Counter
from operator import itemgetter
from pathlib import Path
from typing import Any

from kdata.coverage import coverage_classes, coverage_series
from kdata.package import DESCRIPTOR, DataPackage
from kdata.paths import UnsafePath
from kdata.site.maps import FRAMES, KOREA, WORLD, base_map_paths, base_map_svg, frame_for
from kdata.site.records import Record, RecordSet, read_records

#: Record ids used as file names: the schemas' own id pattern, bounded in length.
SAFE_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
STATIC = ("site.css", "site.js")
#: Exports written into ``downloads/`` beside the raw package, for people without Python.
DOWNLOADS = {"sqlite": "SQLite database (with full-text search and a Datasette metadata.json)"}


def render_site(package: DataPackage, stage: Path) -> list[str]:
    """Write every page, the static files, the base maps and the downloads into ``stage``;
    return the relative paths written, sorted."""
    data = read_records(package)
    for kind, ids in (("events", data.events), ("actors", data.actors),
                      ("publications", data.publications), ("proposals", data.packages)):
        for record_id in ids:
            if len(record_id) > 120 or not SAFE_ID.match(record_id):
                raise UnsafePath(f"{kind}: id {record_id[:60]!r} cannot name a page "
                                 "(lowercase letters, digits and single hyphens only)")
    site = _Site(package, data, stage)
    site.write_all()
    return sorted(site.written)


class _Site:
    """One build: the package, its records, the template environment and the output folder."""

    def __init__(self, package: DataPackage, data: RecordSet, stage: Path) -> None:
        import jinja2

        self.package, self.data, self.stage = package, data, stage
        self.written: list[str] = []
        self.env = jinja2.Environment(
            loader=jinja2.PackageLoader("kdata.site", "templates"),
            autoescape=True, undefined=jinja2.StrictUndefined,
            trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        )
        self.env.globals.update(version=package.version, title=package.descriptor.get("title", "kdata"),
                                label=_label, dates=_dates, actors=data.actors,
                                publications=data.publications, events=data.events, sites=data.sites)

    def write_all(self) -> None:
        self.static_files()
        self.timeline()
        for event_id in self.data.events:
            self.event_page(event_id)
        self.map_page()
        self.proposal_pages()
        self.actor_pages()
        self.publication_pages()
        self.downloads()
        self.about_page()

    # -- writing ---------------------------------------------------------------------------

    def page(self, relative: str, template: str, **context: Any) -> None:
        depth = relative.count("/")
        html = self.env.get_template(template).render(root="../" * depth, page=relative, **context)
        self.file(relative, html.encode("utf-8"))

    def file(self, relative: str, content: bytes) -> None:
        target = self.stage / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        self.written.append(relative)

    def static_files(self) -> None:
        from importlib.resources import files

        folder = files("kdata.site") / "static"
        for name in STATIC:
            self.file(f"static/{name}", (folder / name).read_bytes())
        for frame in FRAMES:
            self.file(f"static/map-{frame.name}.svg", base_map_svg(frame).encode("utf-8"))

    # -- pages -----------------------------------------------------------------------------

    def timeline(self) -> None:
        events = self.data.event_list(self.data.events)
        actor_ids = {row["actor_id"] for rows in self.data.by_event.values()
                     for row in rows.get("actors", [])}
        self.page("index.html", "index.html", items=[self._item(e) for e in events],
                  tracks=sorted({e["track"] for e in events}),
                  types=sorted({e["event_type"] for e in events}),
                  actor_choices=sorted((self.data.actors[a] for a in actor_ids),
                                       key=lambda a: (a["name"].casefold(), a["actor_id"])),
                  first_year=events[0]["start_date"][:4] if events else "",
                  last_year=events[-1]["start_date"][:4] if events else "")

    def _item(self, event: Record) -> dict[str, Any]:
        actors = sorted({row["actor_id"] for row in self.data.by_event.get(event["event_id"], {})
                         .get("actors", [])})
        return {"event": event, "actor_ids": " ".join(actors)}

    def event_page(self, event_id: str) -> None:
        event = self.data.events[event_id]
        linked = self.data.by_event.get(event_id, {})
        site = self.data.sites.get(event["site_id"]) if event["site_id"] else None
        pin = None
        if site and site["latitude"] is not None and site["longitude"] is not None:
            frame = frame_for(site["longitude"], site["latitude"])
            pin = {"frame": frame, "xy": frame.percent(site["longitude"], site["latitude"])}
        sources = sorted(linked.get("sources", []),
                         key=lambda s: (_KIND_ORDER.get(s["kind"], 9),
                                        self.data.publications[s["publication_id"]]["published"] or "9",
                                        s["publication_id"]))
        self.page(f"events/{event_id}.html", "event.html", event=event, site=site, pin=pin,
                  roles=sorted(linked.get("actors", []), key=lambda r: (r["role"], r["actor_id"])),
                  sources=sources, proposals=sorted(linked.get("proposals", []), key=itemgetter("proposal_id")),
                  measures=linked.get("measures", []), launches=linked.get("launches", []),
                  un_decisions=linked.get("un_decisions", []), weapons=self.data.weapons)

    def map_page(self) -> None:
        counts = Counter({site: len(ids) for site, ids in self.data.by_site.items()})
        placed: dict[str, list[dict[str, Any]]] = {frame.name: [] for frame in FRAMES}
        unplaced = []
        for site in self.data.sites.values():
            if site["latitude"] is None or site["longitude"] is None:
                unplaced.append(site)
                continue
            frame = frame_for(site["longitude"], site["latitude"])
            x, y = frame.project(site["longitude"], site["latitude"])
            n = counts.get(site["site_id"], 0)
            placed[frame.name].append({"site": site, "x": x, "y": y, "n": n,
                                       "r": round(2.5 + 2.2 * n ** 0.5, 1)})
        for markers in placed.values():  # big circles first, so small ones stay clickable
            markers.sort(key=lambda m: (-m["n"], m["site"]["site_id"]))
        maps = [{"frame": frame, "paths": base_map_paths(frame), "markers": placed[frame.name]}
                for frame in (KOREA, WORLD)]
        listing = [{"site": site, "events": self.data.event_list(self.data.by_site.get(site_id, []))}
                   for site_id, site in self.data.sites.items()]
        self.page("map.html", "map.html", maps=maps, listing=listing, unplaced=unplaced)

    def proposal_pages(self) -> None:
        packages = []
        for package_id in sorted(self.data.packages):
            items = sorted(self.data.packages[package_id], key=itemgetter("proposal_id"))
            events = self.data.event_list(i["event_id"] for i in items if i["event_id"])
            statuses = Counter(i["status"] for i in items)
            packages.append({"id": package_id, "items": items, "events": events,
                             "statuses": sorted(statuses.items())})
            self.page(f"proposals/{package_id}.html", "package.html", package_id=package_id,
                      items=items, events=events, proposals=self.data.proposals,
                      followers=self.data.followers)
        self.page("proposals.html", "proposals.html", packages=packages)

    def actor_pages(self) -> None:
        for actor_id, actor in self.data.actors.items():
            roles: dict[str, list[str]] = {}
            for event_id, role in self.data.by_actor.get(actor_id, []):
                roles.setdefault(event_id, []).append(role)
            events = [(e, sorted(roles[e["event_id"]])) for e in self.data.event_list(roles)]
            self.page(f"actors/{actor_id}.html", "actor.html", actor=actor, roles=events,
                      offices=sorted(self.data.offices.get(actor_id, []),
                                     key=lambda o: (o["start_date"], o["office"])))
        counts = {a: len({e for e, _ in rows}) for a, rows in self.data.by_actor.items()}
        self.page("actors.html", "actors.html", counts=counts,
                  listing=sorted(self.data.actors.values(),
                                 key=lambda a: (a["name"].casefold(), a["actor_id"])))

    def publication_pages(self) -> None:
        for publication_id, publication in self.data.publications.items():
            citing = self.data.event_list(self.data.by_publication.get(publication_id, []))
            proposals = self.data.proposals_citing.get(publication_id, [])  # in proposal_id order
            self.page(f"publications/{publication_id}.html", "publication.html",
                      publication=publication, citing=citing, citing_proposals=proposals)
        self.page("publications.html", "publications.html",
                  listing=sorted(self.data.publications.values(),
                                 key=lambda p: (p["published"] or "", p["publication_id"])),
                  counts={k: len(v) for k, v in self.data.by_publication.items()})

    def downloads(self) -> None:
        """The raw package (CSV, schemas, datapackage.json) file by file, and the SQLite export
        zipped (a deterministic zip: the database is a third of the site's size unpacked)."""
        import tempfile

        from kdata.exports import WRITERS
        from kdata.exports.zipfiles import package_date, zip_bytes

        raw = [DESCRIPTOR] + [t.path for t in self.package.tables.values()]
        raw += sorted({t.schema_path for t in self.package.tables.values() if t.schema_path})
        for relative in raw:
            self.file(f"downloads/package/{relative}", self.package.file(relative).read_bytes())
        for fmt in DOWNLOADS:
            with tempfile.TemporaryDirectory(prefix="kdata-site-") as folder:
                WRITERS[fmt](self.package, Path(folder))
                entries = {p.name: p.read_bytes() for p in sorted(Path(folder).iterdir())}
            archive = zip_bytes(entries, package_date(self.package.created))
            self.file(f"downloads/kdata-{self.package.version}-{fmt}.zip", archive)

    def about_page(self) -> None:
        from kdata.citation import cite

        root = self.package.root
        downloads = [w for w in sorted(self.written) if w.startswith("downloads/")]
        self.page("about.html", "about.html", coverage=coverage_classes(self.package.descriptor),
                  series=coverage_series(self.package.descriptor),
                  coverage_note=self.package.descriptor.get("coverage", {}).get("description", ""),
                  citation=cite("text", root), bibtex=cite("bibtex", root),
                  licenses=self.package.descriptor.get("licenses", []),
                  description=self.package.descriptor.get("description", ""),
                  tables=[(name, self.package.tables[name].description,
                           f"downloads/package/{self.package.tables[name].path}")
                          for name in self.package.tables],
                  downloads=downloads, formats=DOWNLOADS,
                  sizes={w: (self.stage / w).stat().st_size for w in downloads})


_KIND_ORDER = {"text": 0, "report": 1, "reference": 2, "background": 3}


def _label(value: object) -> str:
    """A code as words: ``bilateral-talks`` → ``bilateral talks``."""
    return "" if value is None else str(value).replace("-", " ")


def _dates(record: Record, start: str = "start_date", end: str = "end_date") -> str:
    """A record's dates as written at their precision: ``1950-06``, ``2018-06-12``, or a span."""
    precision = record.get("date_precision") or "day"
    cut = {"year": 4, "month": 7}.get(precision, 10)
    first = (record.get(start) or "")[:cut]
    last = (record.get(end) or "")[:cut]
    return f"{first} – {last}" if last and last != first else first


