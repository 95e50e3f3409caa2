"""``kdata info``: a short, human summary of the bundled package."""

from __future__ import annotations

from kdata.coverage import coverage_lines
from kdata.package import open_package


def package_info() -> str:
    """Version, tables with row counts, events' date range, coverage, licenses, and the citation."""
    from kdata.citation import cite
    from kdata.loaders import load_all

    package = open_package()
    d = package.descriptor
    frames = load_all()
    lines = [f"{d.get('title', d.get('name'))}", f"version {package.version}", "", "tables:"]
    for name, table in package.tables.items():
        lines.append(f"  {name:<14} {len(frames[name]):>6} rows  {table.description}")
    events = frames.get("events")
    if events is not None and len(events):
        first, last = events["start_date"].min(), events["start_date"].max()
        lines += ["", f"events from {first:%Y-%m-%d} to {last:%Y-%m-%d}"]
    if coverage := coverage_lines(d):
        lines += ["", "coverage (what the events claim to hold):", *coverage]
    lines += ["", "licenses:"]
    lines += [f"  {lic.get('title', lic.get('name'))}" for lic in d.get("licenses", [])]
    lines += ["", "cite as:", f"  {cite()}"]
    return "\n".join(lines)
