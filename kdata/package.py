"""The data package as a registry: where it lives, its tables, and their Table Schemas.

`datapackage.json` and `schemas/*.json` are the single source of truth. Everything else in
kdata (loaders' dtypes, validation rules, the codebook, `kdata info`) is derived from the
objects this module builds from them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from kdata.errors import PackageUnreadable, UnknownTable

DESCRIPTOR = "datapackage.json"
#: The name kdata is installed by from the package index (the import name and the command are
#: ``kdata``; the index's own "kdata" is an unrelated project).
DISTRIBUTION = "kdata-korea"
#: Folder inside the installed wheel that holds the bundled package.
BUNDLED_DIR = "package"


def data_path() -> Path:
    """Return the folder holding the bundled ``datapackage.json``.

    An installed wheel carries it inside the ``kdata`` package; a source checkout keeps it at
    the repository root. This is the only place that decides which.
    """
    bundled = Path(str(resources.files("kdata"))) / BUNDLED_DIR
    if (bundled / DESCRIPTOR).is_file():
        return bundled
    checkout_root = bundled.parent.parent
    if (checkout_root / DESCRIPTOR).is_file():
        return checkout_root
    raise PackageUnreadable(f"no {DESCRIPTOR} found in {bundled} or {checkout_root}")


def resolve_descriptor(path: str | Path | None = None) -> Path:
    """Map a user's PATH (a descriptor, a folder holding one, or None) to a descriptor file."""
    if path is None:
        return data_path() / DESCRIPTOR
    candidate = Path(path)
    if candidate.is_dir():
        candidate = candidate / DESCRIPTOR
    if not candidate.is_file():
        raise PackageUnreadable(f"{path}: no such file or folder holding a {DESCRIPTOR}")
    return candidate


@dataclass(frozen=True)
class Field:
    """One column of a table, as its Table Schema describes it."""

    name: str
    type: str
    description: str = ""
    required: bool = False
    unique: bool = False
    pattern: str | None = None
    enum: tuple[str, ...] | None = None
    enum_descriptions: dict[str, str] | None = None
    minimum: float | None = None
    maximum: float | None = None
    min_length: int | None = None
    max_length: int | None = None
    #: Data Package v2 categories as (value, label) pairs, where the schema gives them.
    categories: tuple[tuple[str, str], ...] | None = None

    @classmethod
    def from_descriptor(cls, d: dict[str, Any]) -> Field:
        c = d.get("constraints", {})
        return cls(
            name=d["name"],
            type=d.get("type", "string"),
            description=d.get("description", ""),
            required=bool(c.get("required", False)),
            unique=bool(c.get("unique", False)),
            pattern=c.get("pattern"),
            enum=tuple(c["enum"]) if "enum" in c else None,
            enum_descriptions=d.get("enumDescriptions"),
            minimum=c.get("minimum"),
            maximum=c.get("maximum"),
            min_length=c.get("minLength"),
            max_length=c.get("maxLength"),
            categories=tuple((str(x.get("value")), str(x.get("label", ""))) if isinstance(x, dict)
                             else (str(x), "") for x in d["categories"])
            if isinstance(d.get("categories"), list) else None,
        )


@dataclass(frozen=True)
class ForeignKey:
    """Columns of one table that must match the key of another (or the same) table."""

    fields: tuple[str, ...]
    resource: str
    reference_fields: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """One resource of the package: a CSV file and its Table Schema."""

    name: str
    path: str
    schema_path: str | None
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...]
    hash: str = ""
    bytes: int | None = None

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


@dataclass(frozen=True)
class DataPackage:
    """A parsed ``datapackage.json`` with its tables, rooted at the folder that holds it."""

    root: Path
    descriptor: dict[str, Any]
    tables: dict[str, Table] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return str(self.descriptor.get("version", ""))

    @property
    def created(self) -> str:
        return str(self.descriptor.get("created", ""))

    def table(self, name: str) -> Table:
        """Return the table called ``name``, or raise ``UnknownTable`` naming the valid ones."""
        try:
            return self.tables[name]
        except KeyError:
            valid = ", ".join(self.tables)
            raise UnknownTable(f"unknown table {name!r}; the tables are: {valid}") from None

    def file(self, relative: str, *, existing: bool = True) -> Path:
        """The package's file at ``relative``, under the one path policy (``kdata.paths``)."""
        from kdata.paths import inside

        return inside(self.root, relative, existing=existing)


#: Deeper JSON than this is refused: no descriptor or schema needs it, and Python's parser
#: would run out of stack (RecursionError) on hostile nesting.
MAX_JSON_DEPTH = 64


def read_json(path: Path) -> dict[str, Any]:
    """Read a JSON object from ``path``, raising ``PackageUnreadable`` with a one-line reason.

    Strict JSON only: NaN and Infinity, duplicate keys, nesting deeper than
    :data:`MAX_JSON_DEPTH` and integers too long to convert are refused.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise PackageUnreadable(f"{path}: cannot be read ({exc.__class__.__name__})") from None
    if _depth(text) > MAX_JSON_DEPTH:
        raise PackageUnreadable(f"{path}: JSON nested deeper than {MAX_JSON_DEPTH} levels; refused")
    try:
        value = json.loads(text, parse_constant=_no_constant, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as exc:
        raise PackageUnreadable(
            f"{path}:{exc.lineno}: invalid JSON: {exc.msg} (column {exc.colno})"
        ) from None
    except ValueError as exc:  # NaN, Infinity, a duplicate key, an integer of thousands of digits
        raise PackageUnreadable(f"{path}: invalid JSON: {str(exc).splitlines()[0][:200]}") from None
    if not isinstance(value, dict):
        raise PackageUnreadable(f"{path}: expected a JSON object, found {type(value).__name__}")
    return value


def _depth(text: str) -> int:
    """The deepest nesting of brackets outside strings (a linear scan, no recursion)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        duplicate = next(k for k in keys if keys.count(k) > 1)
        raise ValueError(f"the key {duplicate!r} appears twice in one object")
    return dict(pairs)


def is_safe_relative_path(path: object) -> bool:
    """True for a relative path that stays inside the package folder (no URL, no '..')."""
    from kdata.paths import unsafe_reason

    return unsafe_reason(path) is None


def parse_table(root: Path, resource: dict[str, Any], schema: dict[str, Any]) -> Table:
    """Build a ``Table`` from a resource descriptor and its (already read) Table Schema."""
    fks = tuple(
        ForeignKey(
            fields=tuple(_as_list(fk["fields"])),
            resource=fk["reference"].get("resource", "") or resource["name"],
            reference_fields=tuple(_as_list(fk["reference"]["fields"])),
        )
        for fk in schema.get("foreignKeys", [])
    )
    schema_ref = resource.get("schema")
    return Table(
        name=resource["name"],
        path=resource["path"],
        schema_path=schema_ref if isinstance(schema_ref, str) else None,
        title=resource.get("title", resource["name"]),
        description=resource.get("description", ""),
        fields=tuple(Field.from_descriptor(f) for f in schema.get("fields", [])),
        primary_key=tuple(_as_list(schema.get("primaryKey", []))),
        foreign_keys=fks,
        hash=resource.get("hash", ""),
        bytes=resource.get("bytes"),
    )


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def open_package(path: str | Path | None = None) -> DataPackage:
    """Read a trusted package (by default the bundled one); raise on any structural problem.

    Loaders use this. Validation reads untrusted packages through ``kdata.validate`` instead,
    which reports problems rather than raising.
    """
    descriptor_path = resolve_descriptor(path)
    if path is None:
        return _bundled_package(str(descriptor_path))
    return _read_package(descriptor_path)


@lru_cache(maxsize=1)
def _bundled_package(descriptor_path: str) -> DataPackage:
    return _read_package(Path(descriptor_path))


def _read_package(descriptor_path: Path) -> DataPackage:
    descriptor = read_json(descriptor_path)
    root = descriptor_path.parent
    tables = {}
    from kdata.paths import inside, unsafe_name, unsafe_reason

    for resource in descriptor.get("resources", []):
        name, path = resource.get("name"), resource.get("path")
        for problem in (unsafe_name(name), unsafe_reason(path)):
            if problem:
                raise PackageUnreadable(f"{descriptor_path.name}: resource {name!r}: {problem}")
        schema = resource.get("schema", {})
        if isinstance(schema, str):
            schema = read_json(inside(root, schema))
        tables[resource["name"]] = parse_table(root, resource, schema)
    return DataPackage(root=root, descriptor=descriptor, tables=tables)


def table_names() -> list[str]:
    """Names of the bundled tables, in the descriptor's order."""
    return list(open_package().tables)
