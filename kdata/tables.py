"""The loader list: every table of the package that gets a ``kdata.load_<name>()`` function.

Adding a table takes its Table Schema, its CSV, its resource in ``datapackage.json`` and one
line here; loaders, exports, the codebook, ``kdata diff`` and the validator read everything
else from the schemas. A test checks that this list and the descriptor name the same tables.
This module imports nothing, so that ``import kdata`` stays light.
"""

TABLES: tuple[str, ...] = (
    "events",
    "actors",
    "sites",
    "proposals",
    "publications",
    "event_actors",
    "event_sources",
    "weapons",
    "launches",
    "measures",
    "un_decisions",
    "offices",
)
