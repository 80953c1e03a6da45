"""The loaders' own exceptions, in a module that imports nothing, so any loader may raise them
without importing another loader (no cycles)."""


class DashboardError(ValueError):
    """The file is not a dashboard export this toolkit understands."""
