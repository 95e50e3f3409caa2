"""``kdata.validate``: check a data package and return a report of every problem found.

The pipeline, in order: the descriptor (JSON, safe paths, and frictionless's own metadata
checks), each file (size, hash, encoding, structure, header), each cell (types, text hygiene,
then the Table Schema's constraints, all as polars expressions), and the rules across
rows and tables. Row-level checks are vectorised; frictionless's row-by-row validation would
take minutes at a million rows and adds nothing these checks miss (the test suite runs both on
every broken fixture). Validation reads and never writes.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

from kdata.errors import PackageUnreadable
from kdata.package import (
    DESCRIPTOR,
    DataPackage,
    Table,
    is_safe_relative_path,
    parse_table,
    read_json,
    resolve_descriptor,
)
from kdata.paths import UnsafePath, inside, unsafe_name
from kdata.validation import metadata
from kdata.validation.csvtext import MAX_FILE_BYTES, read_text_table
from kdata.validation.report import Problem, Report

#: MAJOR.MINOR.PATCH for a release; between releases, MAJOR.MINOR.PATCH.devN of the next one.
VERSION = re.compile(r"^\d+\.\d+\.\d+(\.dev\d+)?$")


def validate(path: str | Path | None = None, *, max_errors: int | None = None,
             orphans: bool = False, frictionless_in_child: bool = False) -> Report:
    """Validate the package at ``path`` (a datapackage.json or its folder; default: bundled).

    ``orphans`` adds a warning for each row that no other row refers to (a hint for curators,
    off by default so that a valid package reports nothing). ``frictionless_in_child`` runs
    frictionless's metadata checks in a child interpreter while the tables are read, which
    saves a one-shot command the import of frictionless (see ``metadata``); the report is the
    same either way. Returns a ``Report``; bad data
    never raises. A descriptor that cannot be found or parsed
    raises ``PackageUnreadable``, since there is nothing to validate.

    >>> import kdata
    >>> report = kdata.validate()
    >>> report.ok, report.errors
    (True, [])
    """
    descriptor_path = resolve_descriptor(path)
    descriptor = read_json(descriptor_path)
    root = descriptor_path.parent
    problems, tables, frictionless_messages = _descriptor_problems(descriptor, root,
                                                                   frictionless_in_child)
    package = DataPackage(root=root, descriptor=descriptor, tables=tables)

    from kdata.validation.checks import Located, constraint_problems, typed_columns
    from kdata.validation.rules import Loaded, cross_table_problems

    loaded: dict[str, Loaded] = {}
    hashing = ThreadPoolExecutor(max_workers=1)
    for table in tables.values():
        raw, file_problems = _read_checked(root, table)
        problems += file_problems
        if raw is None:
            continue
        digest = hashing.submit(_digest_problems, table, raw)
        text = read_text_table(raw, table.path, table.name, table.field_names)
        problems += digest.result()
        del raw, digest  # a million rows' bytes need not outlive their frame (peak memory)
        problems += text.problems
        if text.frame is None:
            continue
        where = Located(table.path, table.name, text.lines)
        columns, cell_problems = typed_columns(text.frame, table, where,
                                              may_break_lines=text.may_break_lines)
        problems += cell_problems
        problems += constraint_problems(columns, table, where, text.frame)
        loaded[table.name] = Loaded(table, columns, where)
        del text, columns  # nor the text frame the next table's read
    hashing.shutdown()
    problems += cross_table_problems(package, loaded, orphans=orphans)
    problems += [Problem(DESCRIPTOR, None, None, None, "descriptor", message)
                 for message in frictionless_messages()]
    return Report(str(descriptor_path), problems, max_errors)


def _descriptor_problems(descriptor: dict[str, Any], root: Path, frictionless_in_child: bool
                         ) -> tuple[list[Problem], dict[str, Table], Callable[[], list[str]]]:
    """Check the descriptor and read each resource's schema; unsafe paths are never opened.
    frictionless's own checks run meanwhile: the function returned waits for their messages."""
    problems: list[Problem] = []

    def problem(rule: str, message: str, value: str | None = None) -> None:
        problems.append(Problem(DESCRIPTOR, None, None, value, rule, message))

    version = descriptor.get("version")
    if not isinstance(version, str) or not VERSION.match(version):
        problem("version", "the package needs a version of the form MAJOR.MINOR.PATCH "
                "(or MAJOR.MINOR.PATCH.devN between releases)", str(version))
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        problem("resources", "the descriptor lists no resources")
        return problems, {}, lambda: []

    tables: dict[str, Table] = {}
    inlined = dict(descriptor, resources=[])
    for i, resource in enumerate(resources):
        where = f"resources[{i}]"
        if not isinstance(resource, dict) or not isinstance(resource.get("name"), str):
            problem("resource", f"{where} needs a name")
            continue
        name, path, schema = resource["name"], resource.get("path"), resource.get("schema")
        if unsafe_name(name):
            problem("resource-name", f"{where}: {unsafe_name(name)}; refused", name)
            continue
        if not is_safe_relative_path(path):
            problem("unsafe-path", f"{where} ({name}): the path must be relative and stay inside "
                    "the package folder; refused without reading", str(path))
            continue
        if isinstance(schema, str):
            if not is_safe_relative_path(schema):
                problem("unsafe-path", f"{where} ({name}): the schema path must be relative and "
                        "stay inside the package folder; refused without reading", schema)
                continue
            try:
                schema = read_json(inside(root, schema))
            except PackageUnreadable as exc:
                problem("schema-unreadable", str(exc).replace(str(root) + "/", ""))
                continue
        if not isinstance(schema, dict):
            problem("schema", f"{where} ({name}) has no Table Schema")
            continue
        if name in tables:
            problem("resource", f"{where}: the name {name!r} is used twice")
            continue
        problems += _category_problems(name, schema)
        inlined["resources"].append(dict(resource, schema=schema))
        try:
            tables[name] = parse_table(root, resource, schema)
        except (KeyError, TypeError) as exc:
            problem("schema", f"{where} ({name}): malformed Table Schema ({exc})")
    names = {r["name"] for r in resources if isinstance(r, dict) and isinstance(r.get("name"), str)}
    problems += _reference_problems(tables, names)
    from kdata.coverage import coverage_problems  # coverage imports this package's report

    problems += _profile_problems(inlined)
    # a child saves only frictionless's import: once it is imported here, the check runs here
    beside = frictionless_in_child and "frictionless" not in sys.modules
    frictionless_messages = metadata.start(inlined, beside=beside)
    events = tables.get("events")
    event_types = events.field("event_type").enum if events and "event_type" in events.field_names else None
    problems += coverage_problems(descriptor, event_types)
    return problems, tables, frictionless_messages


def _reference_problems(tables: dict[str, Table], names: set[str]) -> list[Problem]:
    """Foreign keys that point at nothing (a table the package does not have, or a column that
    the table referred to does not have), so that their values could not be checked; a key
    naming a column of its own table that is not there, frictionless reports."""
    problems = []
    for table in tables.values():
        for fk in table.foreign_keys:
            target = tables.get(fk.resource)
            their_missing = [f for f in fk.reference_fields if target and f not in target.field_names]
            if fk.resource not in names:
                message = f"the foreign key refers to a table {fk.resource!r} that the package does not have"
            elif their_missing:
                message = f"the foreign key refers to {', '.join(their_missing)}, which {fk.resource} does not have"
            else:
                continue
            problems.append(Problem(DESCRIPTOR, None, ",".join(fk.fields), fk.resource, "foreign-key",
                                    f"{table.name}: {message}"))
    return problems


#: Profiles frictionless knows by name; anything else (a URL, a local file) could make it fetch.
KNOWN_PROFILES = frozenset({"data-package", "tabular-data-package", "fiscal-data-package",
                            "data-resource", "tabular-data-resource"})


def _profile_problems(inlined: dict[str, Any]) -> list[Problem]:
    """Refuse profiles that are not known names, and take them (and ``$schema``) out of the copy
    that frictionless checks: validating an untrusted package must never make a request."""
    problems = []
    for where, item in [("the package", inlined), *((f"resource {r.get('name')!r}", r)
                                                     for r in inlined["resources"])]:
        for key in ("profile", "$schema"):
            value = item.get(key)
            if value is None:
                continue
            if key == "profile" and value in KNOWN_PROFILES:
                continue
            if key == "profile" or not str(value).startswith("https://datapackage.org/profiles/"):
                problems.append(Problem(DESCRIPTOR, None, key, _short(value), "profile",
                                        f"{where}: {key} must name a standard profile; "
                                        "not fetched"))
            item.pop(key)
    return problems


def _short(value: object) -> str:
    text = str(value)
    return text if len(text) <= 80 else text[:79] + "…"


def _category_problems(name: str, schema: dict[str, Any]) -> list[Problem]:
    """A field's Data Package v2 ``categories`` list exactly its enum's values, in order, so
    that tools building labelled factors from them and the validator agree."""
    problems = []
    for f in schema.get("fields", []):
        if not isinstance(f, dict) or "categories" not in f:
            continue
        values = [c.get("value") if isinstance(c, dict) else c for c in f["categories"]]
        enum = f.get("constraints", {}).get("enum")
        if values != enum:
            problems.append(Problem(DESCRIPTOR, None, f.get("name"), None, "categories",
                                    f"{name}: the field's categories must list its enum's values in order"))
    return problems


def _file_problem(table: Table, rule: str, message: str) -> list[Problem]:
    """A problem with a table's file as a whole (no row, no column)."""
    return [Problem(table.path, None, None, None, rule, message, table.name)]


def _read_checked(root: Path, table: Table) -> tuple[bytes | None, list[Problem]]:
    """The file's bytes, after checking that it exists and is not too large."""
    problem = partial(_file_problem, table)

    try:
        path = inside(root, table.path)
    except UnsafePath as exc:
        return None, problem("unsafe-path", str(exc).split(": ", 1)[-1])
    except PackageUnreadable:
        return None, problem("missing-file", "the descriptor names this file, but it does not exist")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return None, problem("file-size", f"{size} bytes, over the limit of {MAX_FILE_BYTES}; not read")
    return path.read_bytes(), []


def _digest_problems(table: Table, raw: bytes) -> list[Problem]:
    """The file's bytes against the descriptor's hash and size (run beside the parsing: hashlib
    lets other threads run while it hashes a large file)."""
    problem = partial(_file_problem, table)

    found: list[Problem] = []
    if table.hash:
        algorithm, _, expected = table.hash.rpartition(":")
        algorithm = algorithm or "md5"
        if algorithm not in hashlib.algorithms_available:
            found += problem("hash", f"unknown hash algorithm {algorithm!r}; use sha256")
        elif (actual := hashlib.new(algorithm, raw).hexdigest()) != expected:
            found += problem("hash", f"the file's {algorithm} is {actual}, the descriptor says "
                             f"{expected}; run `kdata format` after editing data")
    if table.bytes is not None and table.bytes != len(raw):
        found += problem("bytes", f"the file has {len(raw)} bytes, the descriptor says {table.bytes}")
    return found
