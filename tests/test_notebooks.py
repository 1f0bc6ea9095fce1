"""The example notebooks are stored without outputs and run top to bottom.

Each notebook runs in a kernel of *this* Python (the one running the tests,
normally the project's virtual environment): a kernelspec pointing at
``sys.executable`` is written to a temporary Jupyter path, so a "python3"
kernel installed elsewhere on the machine cannot be picked up by mistake.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

ROOT = Path(__file__).parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
KERNEL = "kg-test-python"


@pytest.fixture
def kernel_name(tmp_path, monkeypatch):
    spec = tmp_path / "jupyter" / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "kg tests", "language": "python",
    }), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    return KERNEL


def _run(path: Path, kernel_name: str, cwd: Path):
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, kernel_name=kernel_name, timeout=300,
                                     resources={"metadata": {"path": str(cwd)}})
    client.execute()
    return nb


def test_there_are_three_notebooks():
    assert [p.name[:2] for p in NOTEBOOKS] == ["01", "02", "03"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    assert nb.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(path, kernel_name, tmp_path, monkeypatch):
    # from notebooks/ for 01 and 03, from the repository root for 02: both must find the corpus
    cwd = ROOT if path.name.startswith("02") else path.parent
    temporary = tmp_path / "tmp"  # (the kernel's: what a notebook writes there, it removes)
    temporary.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))
    nb = _run(path, kernel_name, cwd)  # a failing cell raises CellExecutionError
    assert [p.name for p in temporary.iterdir()] == []
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    figures = [o for o in outputs if "image/png" in o.get("data", {})]
    html = [o for o in outputs if "text/html" in o.get("data", {})]
    assert figures and html  # real plots and tables came out


def test_kernel_is_this_python(kernel_name, tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import sys; print(sys.executable)")])
    path = tmp_path / "probe.ipynb"
    nbformat.write(nb, path)
    ran = _run(path, kernel_name, tmp_path)
    printed = ran.cells[0].outputs[0]["text"].strip()
    assert Path(printed).resolve() == Path(sys.executable).resolve()
