"""Derive kdata/country_bounds.csv: a bounding box per country, for the validator's
"coordinates inside their country" rule.

Source: Natural Earth 1:110m admin-0 countries (public domain), as shipped in pyogrio's test
fixtures (`pip install pyogrio`); run once by a maintainer, the output is committed. Countries
that the 1:110m map leaves out (small states such as Singapore) get no box, and the rule then
cannot judge their sites. Boxes of countries that cross the antimeridian (Russia, the USA, Fiji)
are widened to the whole range of longitudes by Natural Earth itself.
"""

import csv
import sys
from pathlib import Path

import pyogrio

SHAPEFILE = Path(pyogrio.__file__).parent / "tests/fixtures/naturalearth_lowres/naturalearth_lowres.shp"
OUT = Path(__file__).resolve().parent.parent / "kdata" / "country_bounds.csv"


def main() -> int:
    _meta, _fids, _geometry, (codes,) = pyogrio.raw.read(
        SHAPEFILE, columns=["iso_a3"], read_geometry=False
    )
    _fids, bounds = pyogrio.read_bounds(SHAPEFILE)
    rows = {}
    for i, code in enumerate(codes):
        if not isinstance(code, str) or len(code) != 3 or code == "-99":
            continue
        box = [round(float(bounds[k][i]), 4) for k in range(4)]
        if code in rows:  # a country in several records: merge the boxes
            old = rows[code]
            box = [min(old[0], box[0]), min(old[1], box[1]), max(old[2], box[2]), max(old[3], box[3])]
        rows[code] = box
    with OUT.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["country", "min_longitude", "min_latitude", "max_longitude", "max_latitude"])
        for code in sorted(rows):
            w.writerow([code, *rows[code]])
    print(f"wrote {len(rows)} countries to {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
