"""Base maps for the site, as SVG drawn from the coastlines the ``plot`` extra ships: no
tiles, no network. Two frames: the Korean Peninsula, and the world for every site outside it.

Both are plate carrée (the peninsula's longitudes scaled by the cosine of its middle latitude,
so that it is not stretched). Polygons are clipped to the frame before they are written, so a
file holds only what it shows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kdata.figures.coastlines import LAKE, POND, Bounds, borders, shorelines

Point = tuple[float, float]


@dataclass(frozen=True)
class Frame:
    """A map: which part of the world, how wide in SVG units, and at what coastline detail."""

    name: str
    title: str
    bounds: Bounds
    width: float
    resolution: str

    @property
    def x_scale(self) -> float:
        """SVG units per degree of longitude."""
        return self.width / (self.bounds.east - self.bounds.west)

    @property
    def y_scale(self) -> float:
        """SVG units per degree of latitude (the cosine keeps the peninsula's shape)."""
        middle = math.radians((self.bounds.north + self.bounds.south) / 2)
        return self.x_scale / max(math.cos(middle), 0.5) if self.name == "korea" else self.x_scale

    @property
    def height(self) -> float:
        return round((self.bounds.north - self.bounds.south) * self.y_scale, 1)

    def contains(self, longitude: float, latitude: float) -> bool:
        b = self.bounds
        return b.west <= longitude <= b.east and b.south <= latitude <= b.north

    def project(self, longitude: float, latitude: float) -> Point:
        """SVG coordinates of a point, rounded to a tenth of a unit."""
        x = (longitude - self.bounds.west) * self.x_scale
        y = (self.bounds.north - latitude) * self.y_scale
        return round(x, 1), round(y, 1)

    def percent(self, longitude: float, latitude: float) -> Point:
        """A point's place as percentages of the width and height, for a pin over an image."""
        x, y = self.project(longitude, latitude)
        return round(100 * x / self.width, 2), round(100 * y / self.height, 2)


KOREA = Frame("korea", "The Korean Peninsula", Bounds(124.0, 131.0, 33.0, 43.1), 400, "l")
WORLD = Frame("world", "The world", Bounds(-180.0, 180.0, -58.0, 78.0), 1000, "c")
FRAMES = (KOREA, WORLD)


def frame_for(longitude: float, latitude: float) -> Frame:
    """The peninsula's frame for a site on it, the world's for any other."""
    return KOREA if KOREA.contains(longitude, latitude) else WORLD


def base_map_paths(frame: Frame) -> dict[str, str]:
    """SVG path data of the frame's land, water (lakes) and borders."""
    b = frame.bounds
    land, water = [], []
    for shape in shorelines(frame.bounds, frame.resolution):
        ring = _clip([(float(x), float(y)) for x, y in shape.points], b)
        path = _path(frame, ring, closed=True)
        if path:
            (water if shape.level in (LAKE, POND) else land).append(path)
    lines = []
    for shape in borders(frame.bounds, frame.resolution):
        for run in _inside_runs([(float(x), float(y)) for x, y in shape.points], b):
            path = _path(frame, run, closed=False)
            if path:
                lines.append(path)
    return {"land": "".join(land), "water": "".join(water), "borders": "".join(lines)}


def base_map_svg(frame: Frame) -> str:
    """A standalone SVG of the frame's base map (used under the pin on event pages)."""
    paths = base_map_paths(frame)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {frame.width} {frame.height}" '
            f'role="img" aria-label="{frame.title}">'
            f'<rect width="100%" height="100%" fill="#dbe9f4"/>'
            f'<path d="{paths["land"]}" fill="#f4f1ea" stroke="#8a8a8a" stroke-width="0.5"/>'
            f'<path d="{paths["water"]}" fill="#dbe9f4"/>'
            f'<path d="{paths["borders"]}" fill="none" stroke="#b0a89a" stroke-width="0.6"/>'
            f"</svg>\n")


def _path(frame: Frame, points: Sequence[Point], closed: bool) -> str:
    """``M x,y L ...`` for the points, dropping those that round onto their predecessor."""
    out: list[Point] = []
    for lon, lat in points:
        p = frame.project(lon, lat)
        if not out or abs(p[0] - out[-1][0]) + abs(p[1] - out[-1][1]) >= 0.6:
            out.append(p)
    if len(out) < (3 if closed else 2):
        return ""
    body = "L".join(f"{_number(x)},{_number(y)}" for x, y in out[1:])
    return f"M{_number(out[0][0])},{_number(out[0][1])}L{body}{'Z' if closed else ''}"


def _number(value: float) -> str:
    text = f"{value:.1f}"
    return text.removesuffix(".0")


def _clip(ring: list[Point], b: Bounds) -> list[Point]:
    """Sutherland–Hodgman: the part of a polygon inside the box ``b``."""
    edges = (
        (lambda p: p[0] >= b.west, lambda p, q: _at_x(p, q, b.west)),
        (lambda p: p[0] <= b.east, lambda p, q: _at_x(p, q, b.east)),
        (lambda p: p[1] >= b.south, lambda p, q: _at_y(p, q, b.south)),
        (lambda p: p[1] <= b.north, lambda p, q: _at_y(p, q, b.north)),
    )
    for keep, cross in edges:
        if not ring:
            break
        clipped: list[Point] = []
        previous = ring[-1]
        for point in ring:
            if keep(point):
                if not keep(previous):
                    clipped.append(cross(previous, point))
                clipped.append(point)
            elif keep(previous):
                clipped.append(cross(previous, point))
            previous = point
        ring = clipped
    return ring


def _at_x(p: Point, q: Point, x: float) -> Point:
    return x, p[1] + (q[1] - p[1]) * (x - p[0]) / (q[0] - p[0])


def _at_y(p: Point, q: Point, y: float) -> Point:
    return p[0] + (q[0] - p[0]) * (y - p[1]) / (q[1] - p[1]), y


def _inside_runs(line: Iterable[Point], b: Bounds) -> list[list[Point]]:
    """A line cut into the runs of consecutive points inside the box ``b``."""
    runs: list[list[Point]] = [[]]
    for lon, lat in line:
        if b.west <= lon <= b.east and b.south <= lat <= b.north:
            runs[-1].append((lon, lat))
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if len(run) > 1]
