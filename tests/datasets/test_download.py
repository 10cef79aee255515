"""Tests of the checking (and preparing) part of datasets/download.py; no network is used."""

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest
from split_checks import requires_data

from openrec2.datasets import get_data_home, load_ml1m_ratings3

SCRIPT = Path(__file__).resolve().parents[2] / 'datasets' / 'download.py'


@pytest.fixture(scope='module')
def download():
    spec = importlib.util.spec_from_file_location('openrec2_download_script', SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


@requires_data
@pytest.mark.parametrize('name', ['ml-100k', 'ml-1m-ratings3', 'citeulike-a', 'amazon-beauty'])
def test_real_copies_pass(download, name):
    ok, lines = download.check_dataset(name, get_data_home())
    assert ok, lines
    assert lines[-1].startswith(f'{name}: OK')


@requires_data
def test_other_md5_passes_on_counts_and_truncation_fails(download, tmp_path):
    folder = tmp_path / 'citeulike-a'
    folder.mkdir()
    for name in ('item-tag.dat', 'tags.dat'):
        shutil.copy(get_data_home() / 'citeulike-a' / name, folder / name)
    text = (get_data_home() / 'citeulike-a' / 'users.dat').read_text()
    (folder / 'users.dat').write_text(text.replace(' ', '  ', 1))  # same content, other bytes
    ok, lines = download.check_dataset('citeulike-a', tmp_path)
    assert ok and any('md5' in line and 'differs' in line for line in lines)
    (folder / 'users.dat').write_text('\n'.join(text.splitlines()[:-1]))
    ok, lines = download.check_dataset('citeulike-a', tmp_path)
    assert not ok
    assert any('users.dat lines (users) = 5550 (expected 5551)' in line for line in lines)


def test_missing_files_are_listed(download, tmp_path):
    ok, lines = download.check_dataset('amazon-beauty', tmp_path)
    assert not ok and 'Beauty.txt' in lines[0] and 'Beauty_item2attributes.json' in lines[0]
    assert download.main(['--check', '--data-home', str(tmp_path), 'amazon-beauty']) == 1


def test_unknown_dataset_name_is_refused(download, tmp_path):
    with pytest.raises(SystemExit):
        download.main(['--check', '--data-home', str(tmp_path), 'netflix'])


def test_prepare_ratings3_filters_renumbers_and_loads(download, tmp_path):
    rows = [(u, i, r) for u in (7, 3, 9) for i, r in zip(range(100, 130), [5, 4, 3, 2, 1] * 6)]
    ratings = ''.join(f'{u}::{i}::{r}::97830{k}\n' for k, (u, i, r) in enumerate(rows)).encode()
    folder = tmp_path / 'ml-1m-ratings3'
    folder.mkdir()
    download.prepare_ratings3(ratings, folder)
    split = load_ml1m_ratings3(data_home=tmp_path)
    assert (split.max_user, split.max_item) == (3, 18)  # 18 of 30 items are rated >= 3
    assert [len(split.train), len(split.validation), len(split.test)] == [3 * 16, 3, 3]  # RecBole rule on 18: 16/1/1
    assert (folder / 'train.txt').read_text().startswith('0 ')
    shutil.rmtree(folder)
