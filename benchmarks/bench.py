"""Speed of kdata, as ratios against baselines run in the same invocation.

Prints, for cold processes (median and min–max over --repeat runs): import kdata vs import
pandas; load_events vs a bare pandas.read_csv; kdata validate vs a process that only imports
its dependencies (the floor), and vs ``frictionless validate datapackage.json`` on the same
package. Then validation throughput on synthetic packages with valid keys
(rows/s for kdata, frictionless and pandas.read_csv alone), the growth ratio, and peak memory;
then the growth of validation time with a header of more and more columns and with one ever
longer cell (linear growth gives the ratio of the sizes; less is better).

    python benchmarks/bench.py            # full run: 10k, 100k and 1M synthetic events
    python benchmarks/bench.py --quick    # CI: small sizes, same code paths
    python benchmarks/bench.py --python /tmp/u/bin/python   # cold figures in a user's install
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import kdata  # noqa: E402

PY = sys.executable
#: The interpreter of the cold-process measurements (``--python``): by default this one.
COLD_PY = [sys.executable]
#: A process that only imports kdata validate's dependencies.
IMPORT_FLOOR = "import polars, frictionless, click"
#: A process that imports kdata's dependencies and uses each once on a one-row table.
FIRST_USE = """
import click, polars as pl
from frictionless import Package
list(Package.metadata_validate({"name": "p", "resources": [{"name": "t", "path": "t.csv",
     "schema": {"fields": [{"name": "a", "type": "string"}]}}]}))
frame = pl.read_csv(b"a,d\\nx,2019-02-27\\n", infer_schema=False, empty_string_is_null=False)
a = pl.col("a")
frame.select(pl.col("d").str.to_date("%Y-%m-%d", strict=False), (a != a.str.strip_chars()).alias("b"),
             a.str.contains("^x$").alias("c"), a.is_in(["x"]).alias("e"), a.is_duplicated().alias("f"),
             a.cast(pl.Categorical).alias("g"))
"""


def cold(code: str, repeat: int) -> list[float]:
    """Wall times of ``repeat`` fresh interpreters running ``code``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([COLD_PY[0], "-c", code], check=True, cwd=HERE.parent)
        times.append(time.perf_counter() - start)
    return times


def show(label: str, ours: list[float], base: list[float], goal: float) -> None:
    m, b = statistics.median(ours), statistics.median(base)
    print(f"{label:<44} {m * 1000:8.0f} ms ({min(ours) * 1000:.0f}–{max(ours) * 1000:.0f})"
          f"  baseline {b * 1000:6.0f} ms  ratio {m / b:5.2f}  goal ≤ {goal}")


def synthetic_package(rows: int, dest: Path) -> Path:
    """The bundled package plus ``rows`` synthetic events, each sourced; keys all valid."""
    copy_bundled(dest)
    descriptor = json.loads((dest / "datapackage.json").read_text(encoding="utf-8"))
    publication = kdata.load_publications()["publication_id"].iloc[0]
    sites = kdata.load_sites()
    site = sites.loc[sites["site_type"] == "city", "site_id"].iloc[0]
    tables = {r["name"]: r for r in descriptor["resources"]}
    columns = {name: [f["name"] for f in json.loads((dest / tables[name]["schema"]).read_text())["fields"]]
               for name in ("events", "event_sources")}
    events = dest / "data/events.csv"
    sources = dest / "data/event_sources.csv"
    with events.open("a", newline="", encoding="utf-8") as fe, sources.open("a", newline="", encoding="utf-8") as fs:
        we = csv.DictWriter(fe, columns["events"], restval="", lineterminator="\n")
        ws = csv.DictWriter(fs, columns["event_sources"], restval="", lineterminator="\n")
        for i in range(rows):
            eid = f"{1950 + i % 70}-synthetic-{i:07d}"
            day = f"{1950 + i % 70}-{1 + i % 12:02d}-{1 + i % 28:02d}"
            we.writerow({"event_id": eid, "title": f"Synthetic event {i}", "start_date": day,
                         "date_precision": "day", "event_type": "declaration", "track": "us-dprk",
                         "plover_category": "AGREE", "site_id": site, "site_precision": "city",
                         "country": "PRK", "summary": "A synthetic row for measuring speed."})
            ws.writerow({"event_id": eid, "publication_id": publication, "kind": "report"})
    refresh_hashes(dest, descriptor)
    return dest


def refresh_hashes(package: Path, descriptor: dict) -> None:
    """Write ``descriptor`` with the hash and size of every data file as it now is."""
    for resource in descriptor["resources"]:
        data = (package / resource["path"]).read_bytes()
        resource["hash"] = "sha256:" + hashlib.sha256(data).hexdigest()
        resource["bytes"] = len(data)
    (package / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")


def broken_package(errors: int, dest: Path) -> Path:
    """A synthetic package whose ``errors`` extra events each have an unknown event type."""
    package = synthetic_package(errors, dest)
    events = package / "data/events.csv"
    lines = events.read_text(encoding="utf-8").split("\n")
    lines = [line.replace(",declaration,us-dprk,", ",party,us-dprk,") if "-synthetic-" in line else line
             for line in lines]
    events.write_text("\n".join(lines), encoding="utf-8")
    refresh_hashes(package, json.loads((package / "datapackage.json").read_text(encoding="utf-8")))
    return package


def copy_bundled(dest: Path) -> Path:
    """The bundled package as released (datapackage.json, data/, schemas/), written to ``dest``."""
    return kdata.export(dest, "csv")


def wide_package(columns: int, dest: Path) -> Path:
    """The bundled package with ``columns`` extra, unknown columns in weapons.csv (each an error)."""
    copy_bundled(dest)
    path = dest / "data/weapons.csv"
    lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
    extra = ",".join(f"x{i}" for i in range(columns))
    pad = "," * columns
    path.write_text("\n".join([lines[0] + "," + extra] + [line + pad for line in lines[1:]]) + "\n",
                    encoding="utf-8")
    refresh_hashes(dest, json.loads((dest / "datapackage.json").read_text(encoding="utf-8")))
    return dest


def long_field_package(chars: int, dest: Path) -> Path:
    """The bundled package with one weapons description ``chars`` characters long (an error past
    the cell limit)."""
    copy_bundled(dest)
    path = dest / "data/weapons.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[1] = lines[1].replace("Chollima-1", "Chollima-1 " + "a" * chars, 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    refresh_hashes(dest, json.loads((dest / "datapackage.json").read_text(encoding="utf-8")))
    return dest


def growth(label: str, sizes: list[int], make, tmp: Path) -> None:  # noqa: ANN001
    """Validation time at each size, and the ratio of each time to the one before (linear growth
    gives the ratio of the sizes)."""
    times = []
    for n in sizes:
        package = make(n, tmp / f"{label}-{n}")
        times.append(timed(lambda: kdata.validate(package)))
    steps = ", ".join(f"t({b:,})/t({a:,}) = {tb / ta:.1f}" for a, b, ta, tb in
                      zip(sizes, sizes[1:], times, times[1:]))
    print(f"{label:<44} " + ", ".join(f"{n:,}: {t:.2f} s" for n, t in zip(sizes, times)) + f"; {steps}")


def timed(fn) -> float:  # noqa: ANN001
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


#: The peak resident memory of the process itself. Linux keeps ``ru_maxrss`` across exec, so a
#: child started from this (large) benchmark process would report the parent's peak as its own;
#: VmHWM belongs to the new program alone.
PEAK_OF_THIS_PROCESS = (
    "import resource\n"
    "try: peak = int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])\n"
    "except OSError: peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "print(peak)")


def peak_rss_mb(package: Path) -> float:
    code = ("import kdata, sys; r = kdata.validate(sys.argv[1]); assert r.ok, r.summary()\n"
            + PEAK_OF_THIS_PROCESS)
    out = subprocess.run([PY, "-c", code, str(package)], check=True, capture_output=True, text=True,
                         cwd=HERE.parent)
    return int(out.stdout.strip()) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes for CI")
    parser.add_argument("--repeat", type=int, default=None)
    parser.add_argument("--python", default=sys.executable,
                        help="interpreter for the cold-process figures, e.g. a fresh venv with only "
                             "`pip install .`, as a user has it")
    parser.add_argument("--skip-frictionless", action="store_true",
                        help="skip frictionless's row-by-row validation (minutes at 1M rows)")
    args = parser.parse_args()
    COLD_PY[0] = args.python
    repeat = args.repeat or (3 if args.quick else 7)
    sizes = [1_000, 5_000] if args.quick else [10_000, 100_000, 1_000_000]
    events_csv = str(kdata.data_path() / "data/events.csv")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"pandas {__import__('pandas').__version__}, polars {__import__('polars').__version__}; "
          f"{repeat} cold runs each")

    show("import kdata vs import pandas", cold("import kdata", repeat), cold("import pandas", repeat), 1.10)
    show("kdata.load_events() vs pandas.read_csv",
         cold("import kdata; kdata.load_events()", repeat),
         cold(f"import pandas; pandas.read_csv({events_csv!r})", repeat), 1.25)
    validate_cli = cold("from kdata.cli import main; import sys; sys.argv=['kdata','validate']; "
                        "sys.stdout=open('/dev/null','w'); sys.stderr=sys.stdout\ntry: main()\n"
                        "except SystemExit: pass", repeat)
    show("kdata validate vs import floor", validate_cli,
         cold(IMPORT_FLOOR, repeat), 1.3)
    # The import floor leaves out what the libraries load on first use (frictionless's plugins,
    # polars' expression and CSV machinery); this floor includes it.
    show("kdata validate vs first-use floor", validate_cli, cold(FIRST_USE, repeat), 1.3)
    descriptor = str(kdata.data_path() / "datapackage.json")
    frictionless_cli = cold("import sys, os; sys.stdout = open(os.devnull, 'w')\n"
                            "from frictionless.__main__ import console\n"
                            f"sys.argv = ['frictionless', 'validate', {descriptor!r}]\n"
                            "try: console()\nexcept SystemExit: pass", repeat)
    show("kdata validate vs frictionless validate", validate_cli, frictionless_cli, 0.8)
    warm = [timed(kdata.load_all) for _ in range(repeat)]
    print(f"{'kdata.load_all() warm':<44} {statistics.median(warm) * 1000:8.1f} ms")

    import pandas as pd
    from frictionless import validate as fl_validate

    warnings.simplefilter("ignore", pd.errors.DtypeWarning)  # the baseline read keeps its defaults

    times = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            package = synthetic_package(n, Path(tmp) / f"p{n}")
            assert kdata.validate(package).ok, "the synthetic package must be valid"
            t_kdata = timed(lambda: kdata.validate(package))
            t_read = timed(lambda: pd.read_csv(package / "data/events.csv"))
            # validation reads event_sources.csv too (a row per event): a bare read of both
            t_both = t_read + timed(lambda: pd.read_csv(package / "data/event_sources.csv"))
            times[n] = t_kdata
            line = (f"validate {n:>9,} events: kdata {n / t_kdata:>10,.0f} rows/s, read_csv "
                    f"{n / t_read:>10,.0f} rows/s, kdata/read_csv {t_kdata / t_read:6.1f}× (goal ≤ 3× at 1M), "
                    f"/read_csv of both files {t_kdata / t_both:4.1f}×")
            if not args.skip_frictionless:
                t_fl = timed(lambda: fl_validate(str(package / "datapackage.json")))
                line += f", frictionless {n / t_fl:,.0f} rows/s"
            print(line)
        big, small = sizes[-1], sizes[-2]
        print(f"growth t({big:,})/t({small:,}) = {times[big] / times[small]:.1f} (linear = {big / small:.0f})")
        print(f"peak RSS of kdata validate at {big:,} events: {peak_rss_mb(Path(tmp) / f'p{big}'):.0f} MB (goal ≤ 1000)")
        errors = 3_000 if args.quick else 30_000
        broken = broken_package(errors, Path(tmp) / "broken")
        text = timed(lambda: subprocess.run([PY, "-m", "kdata.cli", "validate", str(broken)],
                                            capture_output=True, cwd=HERE.parent))
        as_json = timed(lambda: subprocess.run([PY, "-m", "kdata.cli", "validate", "--format", "json",
                                                str(broken)], capture_output=True, cwd=HERE.parent))
        print(f"report of {errors:,} errors: text {text:.1f} s, json {as_json:.1f} s, "
              f"text/json {text / as_json:.2f} (was 15 for 30,000 before 1.1.0; goal ≤ 2)")
        wide = [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000]
        growth("a header of N unknown columns", wide, wide_package, Path(tmp))
        long = [100_000, 1_000_000] if args.quick else [100_000, 1_000_000, 10_000_000]
        growth("one cell of N characters", long, long_field_package, Path(tmp))
    return 0


if __name__ == "__main__":
    sys.exit(main())
