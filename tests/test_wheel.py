"""The built wheel, installed in a clean virtual environment, works outside the checkout: every
command, first without extras (a figure then asks for its extra), then with them."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_wheel_installs_and_every_command_works_outside_the_checkout(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path / "dist"), str(REPO)],
                   check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("kdata_korea-*.whl"))
    env = tmp_path / "venv"
    venv.create(env, with_pip=True)
    python, kdata_cli = env / "bin" / "python", env / "bin" / "kdata"
    subprocess.run([python, "-m", "pip", "install", "--quiet", str(wheel)], check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    def kdata(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([kdata_cli, *args], cwd=elsewhere, capture_output=True, text=True)

    done = kdata("validate")
    assert done.returncode == 0, done.stderr + done.stdout
    code = ("import kdata, pathlib; e = kdata.load_events(); assert len(e) > 300; "
            "p = kdata.data_path(); assert 'site-packages' in str(p), p; print(kdata.__version__)")
    out = subprocess.run([python, "-c", code], cwd=elsewhere, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == __import__("kdata").__version__

    no_extra = kdata("plot", "map", "map.png")
    assert no_extra.returncode == 2
    assert len(no_extra.stderr.strip().splitlines()) == 1, no_extra.stderr
    assert "pip install 'kdata-korea[plot]'" in no_extra.stderr and "Traceback" not in no_extra.stderr

    subprocess.run([python, "-m", "pip", "install", "--quiet", f"{wheel}[plot,parquet,xlsx]"], check=True)
    bundled = kdata("path").stdout.strip()
    assert "site-packages" in bundled
    for args, made in [
        (("info",), None),
        (("cite", "--format", "bibtex"), None),
        (("codebook", "-o", "codebook.md"), "codebook.md"),
        (("export", "csv-out"), "csv-out/datapackage.json"),
        (("export", "pq", "--format", "parquet"), "pq/events.parquet"),
        (("export", "db", "--format", "sqlite"), "db/kdata.sqlite"),
        (("export", "js", "--format", "json"), "js/events.json"),
        (("export", "xcsv", "--format", "excel-csv"), "xcsv/events.csv"),
        (("export", "dta", "--format", "dta"), "dta/events.dta"),
        (("export", "xl", "--format", "xlsx"), "xl/kdata.xlsx"),
        (("diff", bundled, "csv-out"), None),
        (("plot", "timeline", "timeline.png"), "timeline.png"),
        (("plot", "map", "map.png"), "map.png"),
        (("plot", "launches", "launches.png"), "launches.png"),
    ]:
        done = kdata(*args)
        assert done.returncode == 0, (args, done.stderr)
        assert made is None or (elsewhere / made).stat().st_size > 0, args

    version = __import__("kdata").__version__
    released = kdata("release", "rel")  # the wheel carries releases.json, the licenses and citation
    if ".dev" in version:
        assert released.returncode == 2 and "development version" in released.stderr
        assert len(released.stderr.strip().splitlines()) == 1
    else:
        assert released.returncode == 0, released.stderr
        assert (elsewhere / "rel" / f"kdata-korea-{version}.zip").stat().st_size > 0
