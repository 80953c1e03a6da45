"""Loaders: read and check every input (national CSVs, the dashboard export, reference tables,
finance workbooks, boundaries); bad input stops here with one line. The bottom layer."""
