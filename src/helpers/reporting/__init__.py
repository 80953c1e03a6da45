"""Reporting: a theme's report assembled from keyed parts (markdown, HTML, CSV, xlsx), the panel
files, the data audit and the run record. Above the figures, below the runner."""
