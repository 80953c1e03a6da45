import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DXKIT_SHARED", ROOT.parent / "shared"))
SEEDS = SHARED / "seeds"
DASHBOARD = SHARED / "data" / "dashboard"

os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture
def shared_seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"source documents not found at {SEEDS} (../shared is absent on this machine)")
    return SEEDS


@pytest.fixture
def dashboard_dir() -> Path:
    if not DASHBOARD.is_dir():
        pytest.skip(f"dashboard export not found at {DASHBOARD} (../shared is absent on this machine)")
    return DASHBOARD
