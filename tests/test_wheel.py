"""The built wheel, installed in a clean virtual environment, works outside the checkout."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_wheel_installs_loads_and_validates_outside_the_checkout(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path / "dist"), str(REPO)],
                   check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("kdata-*.whl"))
    env = tmp_path / "venv"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "--quiet", str(wheel)], check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    kdata_cli = env / "bin" / "kdata"
    done = subprocess.run([kdata_cli, "validate"], cwd=elsewhere, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr + done.stdout
    code = ("import kdata, pathlib; e = kdata.load_events(); assert len(e) > 300; "
            "p = kdata.data_path(); assert 'site-packages' in str(p), p; print(kdata.__version__)")
    out = subprocess.run([python, "-c", code], cwd=elsewhere, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == __import__("kdata").__version__
