"""Compile a custom TensorFlow kernel of openrec2 on first use and load it.

The C++ sources ship with the package (``openrec2/ops/*.cc``). The first time a kernel is
asked for on a machine it is compiled against the installed TensorFlow's headers with the
system C++ compiler (about ten seconds) and cached as a shared library; later processes
load the cached library. The cache key covers the source, the TensorFlow version, the
compiler and its flags, so upgrading any of them rebuilds.

When a kernel cannot be had (no compiler, a failed build or load, or the environment
variable ``OPENREC2_CUSTOM_OPS=0``) :func:`load_custom_op` returns None after one warning,
and callers fall back to plain TensorFlow operations: slower, never different.

Environment:
    OPENREC2_CUSTOM_OPS: ``0``/``false``/``off`` disables the custom kernels.
    OPENREC2_CACHE: cache folder (default ``~/.cache/openrec2``); libraries go to ``ops/``.
    CXX: the C++ compiler (default ``g++``).
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path
from typing import List

SOURCE_DIR = Path(__file__).resolve().parent
#: Seconds a compilation may take before it is abandoned.
COMPILE_TIMEOUT = 600
#: Libraries loaded in this process, by file name. TensorFlow registers an op once per
#: process, so the same library found again (e.g. in another cache folder) is not reloaded.
_LOADED = {}


def custom_ops_enabled() -> bool:
    """False when ``OPENREC2_CUSTOM_OPS`` switches the custom kernels off."""
    return os.environ.get("OPENREC2_CUSTOM_OPS", "1").strip().lower() not in ("0", "false", "off", "no")


def cache_dir() -> Path:
    """Folder holding compiled kernels: ``$OPENREC2_CACHE/ops`` or ``~/.cache/openrec2/ops``."""
    root = os.environ.get("OPENREC2_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "openrec2")
    return Path(root) / "ops"


def _vector_flags() -> List[str]:
    """AVX2/FMA code generation when this CPU has both (the update loop vectorises)."""
    try:
        cpu = Path("/proc/cpuinfo").read_text()
    except OSError:
        return []
    flags = set(next((line.split(":", 1)[1].split() for line in cpu.splitlines() if line.startswith("flags")), []))
    return ["-mavx2", "-mfma"] if {"avx2", "fma"} <= flags else []


def compile_command(source: Path, output: Path, compiler: str) -> List[str]:
    """The compiler invocation building ``source`` into the shared library ``output``."""
    import tensorflow as tf

    return [compiler, "-std=c++17", "-shared", "-fPIC", "-O3", "-fno-math-errno", "-w", "-DNDEBUG", *_vector_flags(),
            *[flag for flag in tf.sysconfig.get_compile_flags() if not flag.startswith("--std")],
            str(source), "-o", str(output), *tf.sysconfig.get_link_flags()]


def _library_path(name: str, source: Path, compiler: str) -> Path:
    """Cache path of the library built from ``source``: named by everything that shapes it."""
    import tensorflow as tf

    digest = hashlib.sha256()
    digest.update(source.read_bytes())
    digest.update(tf.__version__.encode())
    digest.update(" ".join(compile_command(Path("source.cc"), Path("library.so"), compiler)).encode())
    return cache_dir() / f"{name}-{digest.hexdigest()[:16]}.so"


def _compile(source: Path, target: Path, compiler: str) -> None:
    """Build ``source`` into a temporary file, then move it to ``target`` atomically (so
    concurrent processes never load a half-written library)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(suffix=".so", dir=target.parent)
    os.close(handle)
    try:
        command = compile_command(source, Path(temporary), compiler)
        # A pause of ~10 s deserves a word: the user would otherwise think it hung.
        print(f"openrec2: compiling the custom kernel {target.name} into {target.parent} "
              "(once per machine, about 10 s)", file=sys.stderr, flush=True)
        result = subprocess.run(command, capture_output=True, text=True, timeout=COMPILE_TIMEOUT)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stderr[-2000:]}")
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


@functools.lru_cache(maxsize=None)
def load_custom_op(name: str):
    """Load the kernel library ``openrec2/ops/<name>.cc``, compiling it first if needed.

    Args:
        name: Base name of the C++ source in ``openrec2/ops``.

    Returns:
        The module returned by ``tf.load_op_library`` (its ops as snake_case functions), or
        None when custom kernels are disabled or unavailable; the reason is given in one
        ``RuntimeWarning``.
    """
    if not custom_ops_enabled():
        return None
    source = SOURCE_DIR / f"{name}.cc"
    try:
        compiler = os.environ.get("CXX") or "g++"
        if shutil.which(compiler) is None:
            raise RuntimeError(f"no C++ compiler {compiler!r} on PATH (set CXX to one)")
        library = _library_path(name, source, compiler)
        if not library.exists():
            _compile(source, library, compiler)
        if library.name not in _LOADED:
            import tensorflow as tf

            _LOADED[library.name] = tf.load_op_library(str(library))
        return _LOADED[library.name]
    except Exception as error:  # noqa: BLE001 - any failure means "use the TensorFlow-only path"
        warnings.warn(f"openrec2: custom kernel {name!r} unavailable, using plain TensorFlow ops instead "
                      f"(correct but slower): {error}", RuntimeWarning, stacklevel=2)
        return None
