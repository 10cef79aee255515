"""Tests of compiling and loading the custom kernels."""

import os
import warnings

import pytest

from openrec2.ops import build


@pytest.fixture
def fresh_loader(monkeypatch, tmp_path):
    """A loader with an empty cache folder and no memory of earlier loads."""
    monkeypatch.setenv("OPENREC2_CACHE", str(tmp_path))
    build.load_custom_op.cache_clear()
    yield tmp_path
    build.load_custom_op.cache_clear()


def test_kernels_can_be_switched_off(fresh_loader, monkeypatch):
    monkeypatch.setenv("OPENREC2_CUSTOM_OPS", "0")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # switched off on purpose: no warning
        assert build.load_custom_op("sparse_lazy_adam") is None
    assert not (fresh_loader / "ops").exists()


def test_a_missing_compiler_warns_once_and_falls_back(fresh_loader, monkeypatch):
    monkeypatch.setenv("CXX", "no-such-compiler-here")
    with pytest.warns(RuntimeWarning, match="plain TensorFlow.*no C\\+\\+ compiler 'no-such-compiler-here' on PATH"):
        assert build.load_custom_op("sparse_lazy_adam") is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert build.load_custom_op("sparse_lazy_adam") is None  # remembered, not retried


def test_a_failed_compilation_names_the_command_and_leaves_no_files(fresh_loader, monkeypatch):
    monkeypatch.setenv("CXX", "false")  # a "compiler" that always fails
    with pytest.warns(RuntimeWarning, match="false -std=c\\+\\+17 .* failed"):
        assert build.load_custom_op("sparse_lazy_adam") is None
    assert os.listdir(fresh_loader / "ops") == []


def test_compiles_into_the_cache_once_and_reuses_the_library(fresh_loader, capsys):
    library = build.load_custom_op("sparse_lazy_adam")
    assert library is not None and hasattr(library, "openrec2_sparse_lazy_adam")
    assert "openrec2: compiling the custom kernel sparse_lazy_adam-" in capsys.readouterr().err
    built = os.listdir(fresh_loader / "ops")
    assert len(built) == 1 and built[0].startswith("sparse_lazy_adam-") and built[0].endswith(".so")
    modified = os.path.getmtime(fresh_loader / "ops" / built[0])
    build.load_custom_op.cache_clear()
    assert build.load_custom_op("sparse_lazy_adam") is not None
    assert os.path.getmtime(fresh_loader / "ops" / built[0]) == modified
    assert "compiling" not in capsys.readouterr().err
