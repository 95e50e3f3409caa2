"""Cold ``kdata validate`` in two installs, run in turn, against the floors of bench.py.

A change meant to speed validation up is measured here: each round runs the command once in
each interpreter (two fresh venvs with ``pip install .`` of the two versions), each validating
its own bundled package, then the import floor and the first-use floor. Running them in turn
shares the machine's drift between them, which separate runs of bench.py do not (on a busy
2-core machine, the same version's ratio to the import floor moved between 1.29 and 1.50 from
one run to the next).

    python benchmarks/compare.py OLD_PYTHON NEW_PYTHON [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time

from bench import FIRST_USE, IMPORT_FLOOR

VALIDATE = ("import os, sys, kdata; from kdata.cli import main; "
            "sys.argv = ['kdata', 'validate', str(kdata.data_path())]; "
            "sys.stdout = sys.stderr = open(os.devnull, 'w')\n"
            "try: main()\nexcept SystemExit: pass")


def cold(python: str, code: str, where: str) -> float:
    """Wall time of a fresh ``python`` running ``code`` in the folder ``where`` (outside any
    checkout, so that each interpreter imports its own kdata)."""
    start = time.perf_counter()
    subprocess.run([python, "-c", code], check=True, cwd=where)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    runs = {"validate, old": (args.old, VALIDATE), "validate, new": (args.new, VALIDATE),
            "import floor": (args.new, IMPORT_FLOOR), "first-use floor": (args.new, FIRST_USE)}
    times: dict[str, list[float]] = {label: [] for label in runs}
    with tempfile.TemporaryDirectory() as where:
        for _ in range(args.repeat):
            for label, (python, code) in runs.items():
                times[label].append(cold(python, code, where))
    median = {label: statistics.median(t) * 1000 for label, t in times.items()}
    for label, ms in median.items():
        print(f"{label:<16} {ms:6.0f} ms   / import floor {ms / median['import floor']:.2f}"
              f"   / first-use floor {ms / median['first-use floor']:.2f}")


if __name__ == "__main__":
    main()
