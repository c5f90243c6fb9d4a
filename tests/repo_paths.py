"""Where the repository's own files are, for tests that read them.

Everything a test reads lives inside the repository (the seed under tests/fixtures,
the bundled samples, pyproject.toml), so a fresh clone tests itself.  Naming these
places once keeps every test pointed inside the tree.
"""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
SEED = FIXTURES / "000_43ec0b9f999082d5.txt"
SAMPLES = REPO / "sample_threads"
