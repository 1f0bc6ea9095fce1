"""pytest set-up shared by the tests and the doctests of ``kg``.

The examples in kg's docstrings name the bundled sample as a user in a
checkout writes it, ``kg.build("examples/wcep-2015-09")``.  Each doctest runs
from the repository root, so that they pass wherever pytest is started
(``cd /tmp && pytest --doctest-modules /path/to/kg``).
"""

from __future__ import annotations

import signal
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent


def pytest_configure(config: pytest.Config) -> None:
    # A test runner started as a background job of a script inherits SIGINT ignored, and so
    # would every kg it starts (an ignored signal stays ignored across exec, and kg leaves it
    # so on purpose). The tests of Ctrl-C are about kg as a terminal user runs it: Python's
    # own handler here means SIGINT's default action in each process started from here.
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    # No per-example deadline (Hypothesis' default is 200 ms): the properties are about values,
    # and a shared, loaded CI machine would fail them on time alone. Times go in benchmarks/.
    # Derandomized: a run draws the same examples as the last, so that a test fails on a change, not
    # on the examples one run happened to draw (the fuzzer found a new odd page in one run of many);
    # --hypothesis-profile=explore draws new ones, a thousand a property.
    from hypothesis import settings

    settings.register_profile("kg", deadline=None, derandomize=True)
    settings.register_profile("explore", deadline=None, max_examples=1000)
    settings.load_profile("kg")


@pytest.fixture(autouse=True)
def _doctests_run_from_the_repository(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch,
                                      tmp_path_factory: pytest.TempPathFactory) -> None:
    if isinstance(request.node, pytest.DoctestItem):
        monkeypatch.chdir(REPO)
        # The examples make their folders as a user would (tempfile.mkdtemp()): here they are
        # made under pytest's own temporary folder, which it cleans, not left in /tmp.
        monkeypatch.setattr(tempfile, "tempdir", str(tmp_path_factory.mktemp("doctest")))
