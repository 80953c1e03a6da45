"""Theme analyses: pure functions from the national (and per-entity) frames to result tables."""
