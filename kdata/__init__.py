"""kdata: a curated, sourced data package on diplomacy and security on the Korean Peninsula.

``import kdata`` is light: pandas loads with the first table, polars and frictionless only
when validation runs, pandera only when a pandera schema is asked for, matplotlib only when a
figure is drawn.
"""

from __future__ import annotations

from typing import Any

from kdata.package import DESCRIPTOR, data_path, read_json
from kdata.tables import TABLES

__version__: str = str(read_json(data_path() / DESCRIPTOR)["version"])

_LAZY = {
    "load": "kdata.loaders",
    "load_all": "kdata.loaders",
    **{f"load_{name}": "kdata.loaders" for name in TABLES},
    "office_holders": "kdata.offices",
    "events_with_office_holder": "kdata.offices",
    "proposal_lineage": "kdata.lineage",
    "validate": "kdata.validation",
    "pandera_schema": "kdata.validation.frames",
    "cite": "kdata.citation",
    "codebook": "kdata.docs",
    "export": "kdata.exports",
    "diff": "kdata.release_diff",
    "plot_timeline": "kdata.figures.plots",
    "plot_map": "kdata.figures.plots",
    "plot_launches": "kdata.figures.plots",
}

__all__ = ["__version__", "data_path", *_LAZY]


def __getattr__(name: str) -> Any:
    """Import the public functions on first use, so that ``import kdata`` stays light.

    Modules are named apart from the functions they hold (``kdata.validation.validate``), so
    that importing a module never shadows the function of the same name.
    """
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'kdata' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
