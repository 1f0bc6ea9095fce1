"""pytest set-up shared by the tests and the doctests of ``kg``.

The examples in kg's docstrings name the bundled sample as a user in a
checkout writes it, ``kg.build("examples/wcep-2015-09")``.  Each doctest runs
from the repository root, so that they pass wherever pytest is started
(``cd /tmp && pytest --doctest-modules /path/to/kg``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent


@pytest.fixture(autouse=True)
def _doctests_run_from_the_repository(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if isinstance(request.node, pytest.DoctestItem):
        monkeypatch.chdir(REPO)
