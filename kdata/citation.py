"""How to cite kdata, derived from ``datapackage.json`` so that it always names the version."""

from __future__ import annotations

from pathlib import Path

from kdata.package import DISTRIBUTION, open_package

FORMATS = ("text", "apa", "bibtex")


def cite(fmt: str = "text", path: str | Path | None = None) -> str:
    """Return a citation of the package at ``path`` (bundled by default) in ``fmt`` (text, apa
    or bibtex).

    >>> import kdata
    >>> kdata.__version__ in kdata.cite()
    True
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown citation format {fmt!r}; use one of: {', '.join(FORMATS)}")
    package = open_package(path)
    d = package.descriptor
    authors = [c.get("title", "") for c in d.get("contributors", []) if c.get("role", "author") == "author"]
    author = "; ".join(authors) or "The kdata team"
    year = package.created[:4]
    title, version = d.get("title", "kdata"), package.version
    if fmt == "bibtex":
        key = f"kdata_{version.replace('.', '_')}"
        return (f"@misc{{{key},\n  author = {{{{{author}}}}},\n  title = {{{title}}},\n"
                f"  year = {{{year}}},\n  version = {{{version}}},\n"
                f"  note = {{Data package; pip install {DISTRIBUTION}=={version}}}\n}}")
    if fmt == "apa":
        return (f"{author}. ({year}). {title} (Version {version}) [Data set]. "
                f"Python distribution {DISTRIBUTION}.")
    return (f"{author} ({year}). {title}. Version {version}. Data package "
            f"(pip install {DISTRIBUTION}=={version}).")
