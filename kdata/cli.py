"""The ``kdata`` command: a thin layer that parses options, calls the library, and formats
its answer. Exit codes: 0 done or valid, 1 the data is invalid, 2 unreadable input or misuse.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from kdata.errors import KdataError, PackageUnreadable

F = TypeVar("F", bound=Callable[..., Any])

EXIT_INVALID = 1
EXIT_UNUSABLE = 2


class Unusable(click.ClickException):
    """Input that cannot be read, or an output that may not be written: exit 2."""

    exit_code = EXIT_UNUSABLE


def library_errors(command: F) -> F:
    """Turn the library's named errors into one-line messages with the right exit code."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except KdataError as exc:
            raise Unusable(str(exc)) from None
        except OSError as exc:
            raise Unusable(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": ")) from None

    return wrapper  # type: ignore[return-value]


def format_option(*choices: str) -> Callable[[F], F]:
    """The shared ``--format`` option, spelled the same way by every command."""
    return click.option(
        "--format", "fmt", type=click.Choice(choices), default=choices[0], show_default=True,
        help="Output format.",
    )


def _version() -> str:
    from kdata import __version__

    return __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version=_version(), prog_name="kdata", message="%(prog)s %(version)s")
def cli() -> None:
    """kdata: diplomacy and security on the Korean Peninsula, as a validated data package."""


@cli.command()
@library_errors
def path() -> None:
    """Print the folder of the bundled package (raw CSVs and datapackage.json)."""
    from kdata.package import data_path

    click.echo(str(data_path()))


@cli.command()
@library_errors
def info() -> None:
    """Version, tables with row counts, date range, license, and how to cite."""
    from kdata.summary import package_info

    click.echo(package_info())


@cli.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@format_option("text", "json")
@click.option("--max-errors", type=click.IntRange(min=1), default=None,
              help="Show at most N errors (all are still counted).")
@click.option("--orphans", is_flag=True, help="Also warn about rows that no other row refers to.")
@library_errors
def validate(path: Path | None, fmt: str, max_errors: int | None, orphans: bool) -> None:
    """Validate a package: PATH is a datapackage.json or a folder holding one (default: the
    bundled package). Exit 0 if valid, 1 if not, 2 if it cannot be read."""
    from kdata.validation import validate as run

    report = run(path, max_errors=max_errors, orphans=orphans, frictionless_in_child=True)
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:  # one pass: report.ok and report.errors each count every problem
        to_stderr, shown = not report.ok, report.errors
        lines = [problem.format() for problem in shown + report.warnings]
        if report.error_count > len(shown):
            lines.append(f"... and {report.error_count - len(shown)} more errors")
        lines.append(report.summary())
        click.echo("\n".join(lines), err=to_stderr)
    sys.exit(0 if report.ok else EXIT_INVALID)


@cli.command(name="format")
@click.argument("path", required=False, default=".", type=click.Path(path_type=Path))
@click.option("--check", is_flag=True, help="Write nothing; exit 1 and list the files that would change.")
@library_errors
def format_command(path: Path, check: bool) -> None:
    """Rewrite the CSVs of the package at PATH (default: the current folder) in canonical
    form (schema column order, rows sorted by key, LF, UTF-8) and refresh the hashes."""
    from kdata.canonical import NotFormattable, format_package

    try:
        result = format_package(path, check=check)
    except NotFormattable as exc:
        for problem in exc.problems:
            click.echo(problem.format(), err=True)
        raise Unusable(str(exc)) from None
    for changed in result.changed:
        click.echo(f"{'would reformat' if check else 'reformatted'} {changed}")
    if check and result.changed:
        sys.exit(EXIT_INVALID)
    if not result.changed:
        click.echo("already canonical")


@cli.command()
@click.argument("dest", type=click.Path(path_type=Path))
@format_option("csv", "excel-csv", "json", "parquet", "sqlite", "dta", "xlsx")
@click.option("--force", is_flag=True, help="Replace DEST if it exists and is not empty.")
@library_errors
def export(dest: Path, fmt: str, force: bool) -> None:
    """Write the bundled package to the folder DEST: csv (the release as downloaded),
    excel-csv (CSV with a byte-order mark, for spreadsheets), json (typed, pandas' table
    orient), parquet, sqlite (with full-text search, views and a Datasette metadata.json),
    dta (Stata) or xlsx (one sheet per table and a codebook sheet)."""
    from kdata.exports import export as run

    click.echo(f"wrote {run(dest, fmt, force=force)} ({fmt})")


@cli.command(name="release")
@click.argument("dest", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace DEST if it exists and is not empty.")
@library_errors
def release_command(dest: Path, force: bool) -> None:
    """Write the release zip of this version to the folder DEST: the package, Parquet, SQLite
    and Excel exports, codebook, citation, licenses and SHA256SUMS; the same bytes every build.
    Refused for a development version or files that differ from releases.json."""
    from kdata.exports.release import release

    click.echo(f"wrote {release(dest, force=force)}")


@cli.command()
@click.argument("dest", type=click.Path(path_type=Path))
@click.option("--package", "package_path", type=click.Path(path_type=Path),
              help="Build from this package (a datapackage.json or its folder) instead of the bundled one.")
@click.option("--force", is_flag=True, help="Replace DEST if it exists and is not empty.")
@library_errors
def site(dest: Path, package_path: Path | None, force: bool) -> None:
    """Write the record as a static web site to the folder DEST: timeline with filters and
    search, a page per event, actor and source, the map, the proposals tracker, and the
    downloads. Opens from disk; no request leaves the page. Needs the ``site`` extra."""
    from kdata.site import InvalidPackage, build_site

    try:
        result = build_site(dest, package_path, force=force)
    except InvalidPackage as exc:
        lines = [problem.format() for problem in exc.report.errors] + [exc.report.summary()]
        click.echo("\n".join(lines), err=True)
        sys.exit(EXIT_INVALID)
    click.echo(f"wrote {result.dest}: {result.pages} pages, {result.files} files, "
               f"{result.size / 1e6:.1f} MB")


@cli.command()
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to FILE instead of stdout.")
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@library_errors
def codebook(output: Path | None, force: bool) -> None:
    """The codebook (Markdown): every table, column, type, rule and value, from the schemas."""
    from kdata.docs import codebook as build

    write_or_echo(build(), output, force)


@cli.command()
@format_option("text", "apa", "bibtex")
@library_errors
def cite(fmt: str) -> None:
    """How to cite this version of kdata."""
    from kdata.citation import cite as build

    click.echo(build(fmt))


@cli.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@format_option("text", "json")
@library_errors
def diff(old: Path, new: Path, fmt: str) -> None:
    """Compare two versions of the package (folders or datapackage.json files)."""
    from kdata.release_diff import diff as run

    result = run(old, new)
    click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) if fmt == "json" else result.to_text())


@cli.group()
def plot() -> None:
    """Figures of the bundled package, written to OUT in the format its suffix names (png,
    svg, pdf, ...). Needs: pip install 'kdata-korea[plot]'."""


@plot.command()
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace OUT if it exists.")
@library_errors
def timeline(out: Path, force: bool) -> None:
    """The events, 1950-2024: one lane per track, a marker per event type, summits and
    agreements labelled."""
    from kdata.figures.plots import plot_timeline

    click.echo(f"wrote {plot_timeline(out, force=force)}")


@plot.command(name="map")
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace OUT if it exists.")
@library_errors
def map_command(out: Path, force: bool) -> None:
    """The sites on a map of the Korean Peninsula, by type and number of events; East Asia in
    an inset, farther sites listed."""
    from kdata.figures.plots import plot_map

    click.echo(f"wrote {plot_map(out, force=force)}")


@plot.command()
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace OUT if it exists.")
@library_errors
def launches(out: Path, force: bool) -> None:
    """North Korea's launch days per year, 1984-2024, stacked by weapon class, with the nuclear
    tests and the summits on the same time axis."""
    from kdata.figures.plots import plot_launches

    click.echo(f"wrote {plot_launches(out, force=force)}")


def write_or_echo(text: str, output: Path | None, force: bool) -> None:
    """Print ``text``, or write it atomically to ``output`` (refusing to overwrite unless forced)."""
    from kdata.atomic import refuse_existing, write_bytes_atomic

    if output is None:
        click.echo(text, nl=False)
        return
    refuse_existing(output, force)
    write_bytes_atomic(output, text.encode("utf-8"))
    click.echo(f"wrote {output}")


def main() -> None:
    """Console-script entry point."""
    try:
        cli.main(standalone_mode=True)
    except PackageUnreadable as exc:  # raised before a command's own handler could run
        click.echo(f"Error: {exc}", err=True)
        sys.exit(EXIT_UNUSABLE)


if __name__ == "__main__":
    main()
