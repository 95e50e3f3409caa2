"""The atomic writers: files and folders get the modes a plain write would give them."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from kdata.atomic import staged_destination, write_bytes_atomic


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_new_file_is_readable_by_others(tmp_path: Path, umask_022: None) -> None:
    """Regression: files were left 0600 by tempfile.mkstemp, so a codebook or figure written
    for a web server or a shared folder could not be read by anyone else."""
    target = tmp_path / "codebook.md"
    write_bytes_atomic(target, b"text")
    assert target.read_bytes() == b"text"
    assert target.stat().st_mode & 0o777 == 0o644


def test_replaced_file_keeps_its_mode(tmp_path: Path, umask_022: None) -> None:
    target = tmp_path / "events.csv"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_bytes_atomic(target, b"new")
    assert (target.read_bytes(), target.stat().st_mode & 0o777) == (b"new", 0o640)


def test_staged_folder_gets_the_usual_mode(tmp_path: Path, umask_022: None) -> None:
    """Regression: exports were left 0700 by tempfile.mkdtemp."""
    dest = tmp_path / "export"
    with staged_destination(dest, force=False) as staging:
        (staging / "a.csv").write_text("x")
    assert dest.stat().st_mode & 0o777 == 0o755
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export"]


def test_a_failed_export_leaves_no_parent_folder_it_created(tmp_path: Path) -> None:
    import pytest

    from kdata.atomic import staged_destination

    dest = tmp_path / "new" / "deeper" / "out"
    with pytest.raises(RuntimeError), staged_destination(dest, force=False) as stage:
        (stage / "half.txt").write_text("x")
        raise RuntimeError("disk full")
    assert list(tmp_path.iterdir()) == []


def test_a_second_writer_to_the_same_destination_is_refused(tmp_path: Path) -> None:
    import pytest

    from kdata.atomic import staged_destination
    from kdata.errors import DestinationExists

    dest = tmp_path / "out"
    with staged_destination(dest, force=False) as stage:
        (stage / "a.txt").write_text("first")
        with pytest.raises(DestinationExists, match="another kdata process"):
            with staged_destination(dest, force=True):
                pass  # pragma: no cover
    assert (dest / "a.txt").read_text() == "first"
