"""The benchmark scripts of ``benchmarks/``, imported as modules for their tests."""

import importlib.util
from pathlib import Path

#: The project's ``benchmarks/`` folder.
BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def load_script(name: str, path) -> object:
    """Import the Python file at ``path`` as a module called ``name`` (scripts are no package)."""
    spec = importlib.util.spec_from_file_location(name, str(path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
