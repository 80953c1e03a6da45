"""Report wording of the municipal-panel theme (ja/en)."""

TEXT: dict[str, dict[str, str]] = {
}
