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

    def file(self, relative: str) -> Path:
        return self.root / relative


def read_json(path: Path) -> dict[str, Any]:
    """Read a JSON object from ``path``, raising ``PackageUnreadable`` with a one-line reason."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PackageUnreadable(f"{path}: cannot be read ({exc.__class__.__name__})") from None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PackageUnreadable(
            f"{path}:{exc.lineno}: invalid JSON: {exc.msg} (column {exc.colno})"
        ) from None
    if not isinstance(value, dict):
        raise PackageUnreadable(f"{path}: expected a JSON object, found {type(value).__name__}")
    return value


def is_safe_relative_path(path: object) -> bool:
    """True for a relative path that stays inside the package folder (no URL, no '..')."""
    if not isinstance(path, str) or not path or "://" in path or "\\" in path:
        return False
    p = Path(path)
    return not p.is_absolute() and ".." not in p.parts and not path.startswith("~")


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
    for resource in descriptor.get("resources", []):
        schema = resource.get("schema", {})
        if isinstance(schema, str):
            if not is_safe_relative_path(schema):
                raise PackageUnreadable(f"{descriptor_path}: unsafe schema path {schema!r}")
            schema = read_json(root / schema)
        tables[resource["name"]] = parse_table(root, resource, schema)
    return DataPackage(root=root, descriptor=descriptor, tables=tables)


def table_names() -> list[str]:
    """Names of the bundled tables, in the descriptor's order."""
    return list(open_package().tables)
