"""Tests of openrec2.datasets.data_home: precedence and the missing-file error."""

import pytest

from openrec2.datasets.data_home import dataset_file, get_data_home
from openrec2.errors import DataFileNotFoundError


def test_argument_beats_environment(monkeypatch, tmp_path):
    monkeypatch.setenv('OPENREC2_DATA', str(tmp_path / 'env'))
    assert get_data_home(tmp_path / 'arg') == (tmp_path / 'arg').resolve()
    assert get_data_home() == (tmp_path / 'env').resolve()


def test_default_is_under_home(monkeypatch, tmp_path):
    monkeypatch.delenv('OPENREC2_DATA', raising=False)
    monkeypatch.setenv('HOME', str(tmp_path))
    assert get_data_home() == (tmp_path / '.openrec2' / 'datasets').resolve()


def test_missing_file_names_path_and_download_script(tmp_path):
    with pytest.raises(DataFileNotFoundError, match=r"my_loader: expected file .*ml-100k/u\.data.*download\.py"):
        dataset_file('ml-100k', 'u.data', tmp_path, loader='my_loader')
    (tmp_path / 'ml-100k').mkdir()
    (tmp_path / 'ml-100k' / 'u.data').write_text('1\t1\t5\t0\n')
    assert dataset_file('ml-100k', 'u.data', tmp_path).name == 'u.data'
