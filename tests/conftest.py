"""Fixtures shared by the test modules."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def seed_path() -> Path:
    """The scraped seed thread kept beside the project, so tests read a real file."""
    return Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_43ec0b9f999082d5.txt"
