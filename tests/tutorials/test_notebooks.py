"""Execute every notebook under tutorials/ and fail on any cell error."""

import os
import pathlib
import subprocess
import sys

import pytest

nbformat = pytest.importorskip('nbformat')
nbclient = pytest.importorskip('nbclient')

TUTORIALS = pathlib.Path(__file__).resolve().parents[2] / 'tutorials'
NOTEBOOKS = sorted(TUTORIALS.glob('*.ipynb'))
KERNEL = 'python3'
#: Environment variable set while the suite executes a notebook: run the quick settings.
FAST_FLAG = 'OPENREC2_TUTORIAL_FAST'


def ensure_kernelspec() -> None:
    """Install the ipykernel kernelspec into this interpreter's prefix when it is missing."""
    from jupyter_client.kernelspec import KernelSpecManager
    if KERNEL not in KernelSpecManager().find_kernel_specs():
        subprocess.run([sys.executable, '-m', 'ipykernel', 'install', '--sys-prefix'], check=True)


def test_there_are_tutorials():
    assert NOTEBOOKS, f'no notebook found under {TUTORIALS}'


@pytest.mark.skipif(not os.environ.get('OPENREC2_DATA'),
                    reason='the tutorials read real datasets: set OPENREC2_DATA to the data home')
@pytest.mark.parametrize('path', NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_without_error(path, tmp_path, monkeypatch):
    ensure_kernelspec()
    monkeypatch.setenv('MPLBACKEND', 'Agg')  # no display in the kernel
    monkeypatch.setenv('TF_CPP_MIN_LOG_LEVEL', '2')
    # Notebooks read this to run smaller settings under test than in their text (each says which).
    monkeypatch.setenv(FAST_FLAG, '1')
    # The kernel runs in tmp_path: a relative data home (CI uses ../shared/datasets) must
    # be made absolute against the test's working directory first.
    monkeypatch.setenv('OPENREC2_DATA', os.path.abspath(os.environ['OPENREC2_DATA']))
    notebook = nbformat.read(str(path), as_version=4)
    # The kernel is started with this interpreter (jupyter_client maps 'python' to sys.executable).
    client = nbclient.NotebookClient(notebook, timeout=600, kernel_name=KERNEL,
                                     resources={'metadata': {'path': str(tmp_path)}})
    client.execute()  # raises CellExecutionError naming the failing cell
    errors = [output for cell in notebook.cells if cell.cell_type == 'code'
              for output in cell.get('outputs', []) if output.get('output_type') == 'error']
    assert not errors
