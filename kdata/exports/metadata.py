"""The package's metadata as every export carries it: title, version, licenses, citation,
and each column's description and allowed values."""

from __future__ import annotations

from typing import Any

from kdata.package import DISTRIBUTION, DataPackage, Table


def package_metadata(package: DataPackage) -> dict[str, str]:
    """Flat text metadata of the package (for key-value stores and metadata tables)."""
    from kdata.citation import cite

    d = package.descriptor
    licenses = "; ".join(f"{lic.get('title', lic.get('name'))} <{lic.get('path', '')}>"
                         for lic in d.get("licenses", []))
    return {"title": str(d.get("title", d.get("name", ""))), "version": package.version,
            "created": package.created, "distribution": DISTRIBUTION,
            "license": licenses, "citation": cite(), "description": str(d.get("description", ""))}


def column_descriptions(table: Table) -> dict[str, str]:
    """Each column's description, with its allowed values where it is an enumeration."""
    out = {}
    for f in table.fields:
        text = f.description
        if f.enum and len(f.enum) <= 30:
            text += " Values: " + ", ".join(f.enum) + "."
        out[f.name] = text
    return out


def datasette_metadata(package: DataPackage, database: str) -> dict[str, Any]:
    """A Datasette ``metadata.json``: title, license, source and every table's and column's
    description (``datasette kdata.sqlite -m metadata.json``)."""
    meta = package_metadata(package)
    licenses = package.descriptor.get("licenses", [{}])
    return {
        "title": f"{meta['title']} ({meta['version']})",
        "description": meta["description"],
        "license": licenses[0].get("name", ""),
        "license_url": licenses[0].get("path", ""),
        "source": meta["citation"],
        "databases": {database: {"tables": {
            name: {"description": table.description, "columns": column_descriptions(table)}
            for name, table in package.tables.items()}}},
    }
