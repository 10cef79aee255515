"""Download the public datasets openrec2 loads, into its data home, and check them.

Usage (from the project root, on a machine with internet)::

    python datasets/download.py                      # every dataset
    python datasets/download.py ml-100k citeulike-a  # some
    python datasets/download.py --check              # only check what is there
    python datasets/download.py --data-home /data/openrec2

The data home is ``--data-home``, else ``$OPENREC2_DATA``, else
``~/.openrec2/datasets`` (the same rule as ``openrec2.datasets.get_data_home``). Each
dataset lands in its own folder. A check verifies that every file is present, then its
md5 against the copy the project was tested with; when the md5 differs (another release
or a re-created split) the file still passes if its line / interaction counts match.
See ``datasets/README.md`` for sources and licences. Checking and downloading use only
the standard library; preparing ml-1m-ratings3 also uses numpy and openrec2's splitter.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import sys
import urllib.request
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

GROUPLENS = 'https://files.grouplens.org/datasets/movielens'
CITEULIKE = 'https://raw.githubusercontent.com/js05212/citeulike-a/master'
S3REC = 'https://raw.githubusercontent.com/RUCAIBox/CIKM2020-S3Rec/master/data'


# ---------------------------------------------------------------------- counting
def count_lines(path: Path) -> int:
    """Number of non-blank lines of a text file."""
    with open(path, 'rb') as handle:
        return sum(1 for line in handle if line.strip())


def count_list_entries(path: Path, skip_first: bool = True) -> int:
    """Total number of entries after the first field, over the lines of a list file."""
    with open(path, 'rb') as handle:
        return sum(len(line.split()) - (1 if skip_first else 0) for line in handle if line.strip())


def count_ratings3(folder: Path) -> tuple[int, int, int]:
    """(interactions, users, items) over train/valid/test of ml-1m-ratings3."""
    users, items, total = set(), set(), 0
    for name in ('train.txt', 'valid.txt', 'test.txt'):
        with open(folder / name, 'rb') as handle:
            for line in handle:
                fields = line.split()
                if fields:
                    users.add(fields[0])
                    items.update(fields[1:])
                    total += len(fields) - 1
    return total, len(users), len(items)


# ---------------------------------------------------------------------- specs
@dataclass
class DatasetSpec:
    """How to fetch one dataset and what a good copy looks like.

    Attributes:
        folder: Folder name inside the data home.
        md5: Expected md5 of each file (the copy the project was tested with).
        counts: Named count checks: ``name -> (function of the folder, expected value)``.
        fetch: Function ``(folder) -> None`` that downloads (and prepares) the files.
    """

    folder: str
    md5: dict[str, str]
    counts: dict[str, tuple[Callable[[Path], object], object]] = field(default_factory=dict)
    fetch: Optional[Callable[[Path], None]] = None


def _download(url: str) -> bytes:
    print(f'  downloading {url}')
    with urllib.request.urlopen(url, timeout=120) as response:
        return response.read()


def _fetch_files(base: str, names: list[str]) -> Callable[[Path], None]:
    def fetch(folder: Path) -> None:
        for name in names:
            (folder / name).write_bytes(_download(f'{base}/{name}'))
    return fetch


def _fetch_ml100k(folder: Path) -> None:
    with zipfile.ZipFile(io.BytesIO(_download(f'{GROUPLENS}/ml-100k.zip'))) as archive:
        for member in archive.namelist():
            name = member.split('/')[-1]
            if name.startswith('u.') or name == 'README':
                (folder / name).write_bytes(archive.read(member))


def prepare_ratings3(ratings_dat: bytes, folder: Path, seed: int = 2020) -> None:
    """Re-create ml-1m-ratings3 from MovieLens 1M ``ratings.dat``.

    Keeps ratings >= 3, numbers users and items from 0 in order of first appearance,
    and splits each user's items at random 8:1:1 with RecBole's per-user count rule
    (``openrec2.datasets.split_random_per_user``). The counts equal the tested copy;
    the split itself is a re-creation, not byte-identical to it.

    Args:
        ratings_dat: Contents of ``ml-1m/ratings.dat`` (``user::item::rating::time``).
        folder: Where to write ``train.txt``, ``valid.txt``, ``test.txt``.
        seed: Seed of the split.
    """
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from openrec2.datasets import split_random_per_user
    from openrec2.utils.dataset import make_interactions

    user_ids: dict[str, int] = {}
    item_ids: dict[str, int] = {}
    users, items = [], []
    for line in ratings_dat.decode('latin-1').splitlines():
        if line.strip():
            user, item, rating, _ = line.split('::')
            if int(rating) >= 3:
                users.append(user_ids.setdefault(user, len(user_ids)))
                items.append(item_ids.setdefault(item, len(item_ids)))
    parts = split_random_per_user(make_interactions(users, items), (0.8, 0.1, 0.1), seed)
    for name, part in zip(('train.txt', 'valid.txt', 'test.txt'), parts):
        lines = {}
        for user, item in zip(part['user_id'].tolist(), part['item_id'].tolist()):
            lines.setdefault(user, [str(user)]).append(str(item))
        (folder / name).write_text(''.join(' '.join(lines[u]) + '\n' for u in sorted(lines)))


def _fetch_ratings3(folder: Path) -> None:
    with zipfile.ZipFile(io.BytesIO(_download(f'{GROUPLENS}/ml-1m.zip'))) as archive:
        prepare_ratings3(archive.read('ml-1m/ratings.dat'), folder)


DATASETS: dict[str, DatasetSpec] = {
    'ml-100k': DatasetSpec(
        folder='ml-100k',
        md5={'u.data': '6e47046882bad158b0efbb84cd5cb987', 'u.item': 'c9e7f390115d79079537301d5204f3f7',
             'u.genre': 'a7578bdb37758741ae9429d2c736af18', 'u.user': '1b53539edc13caad0282c8500608a319',
             'u.occupation': '035abaa2165f35cebce4b91e03481e0a'},
        counts={'u.data lines': (lambda f: count_lines(f / 'u.data'), 100_000),
                'u.item lines': (lambda f: count_lines(f / 'u.item'), 1_682)},
        fetch=_fetch_ml100k),
    'ml-1m-ratings3': DatasetSpec(
        folder='ml-1m-ratings3',
        md5={'train.txt': 'e8585e080e19bea75a6dfea60354d041', 'valid.txt': '9b25ce23ac740323a09bce610c7cec3b',
             'test.txt': 'bbb67b4000ca6fb4e39da9e2df7a0c53'},
        counts={'(interactions, users, items)': (count_ratings3, (836_478, 6_039, 3_628))},
        fetch=_fetch_ratings3),
    'citeulike-a': DatasetSpec(
        folder='citeulike-a',
        md5={'users.dat': 'b384e22f3b6cd9d0c8e11a13066fe70e', 'item-tag.dat': '600433234dda44e846a40aeb2b211ca3',
             'tags.dat': '406562795523497ec00aaa9121cc9b39'},
        counts={'users.dat lines (users)': (lambda f: count_lines(f / 'users.dat'), 5_551),
                'user-article pairs': (lambda f: count_list_entries(f / 'users.dat'), 204_986)},
        fetch=_fetch_files(CITEULIKE, ['users.dat', 'citations.dat', 'item-tag.dat', 'tags.dat'])),
    'amazon-beauty': DatasetSpec(
        folder='amazon-beauty',
        md5={'Beauty.txt': 'cb03635343187f36526ed4ba48102b53',
             'Beauty_item2attributes.json': 'd4955784543b9e8e68385db31cb30144'},
        counts={'Beauty.txt lines (users)': (lambda f: count_lines(f / 'Beauty.txt'), 22_363),
                'purchases': (lambda f: count_list_entries(f / 'Beauty.txt'), 198_502)},
        fetch=_fetch_files(S3REC, ['Beauty.txt', 'Beauty_item2attributes.json'])),
}


# ---------------------------------------------------------------------- checking
def file_md5(path: Path) -> str:
    """Hex md5 of a file."""
    digest = hashlib.md5()
    with open(path, 'rb') as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b''):
            digest.update(chunk)
    return digest.hexdigest()


def check_dataset(name: str, data_home: Path) -> tuple[bool, list[str]]:
    """Check one dataset folder: files present, md5 (or, failing that, the counts).

    Args:
        name: Key of :data:`DATASETS`.
        data_home: The data home.

    Returns:
        ``(ok, report_lines)``.
    """
    spec = DATASETS[name]
    folder = data_home / spec.folder
    missing = [f for f in spec.md5 if not (folder / f).is_file()]
    if missing:
        return False, [f'{name}: missing {", ".join(str(folder / f) for f in missing)}']
    lines, md5_ok = [], True
    for filename, expected in spec.md5.items():
        actual = file_md5(folder / filename)
        if actual != expected:
            md5_ok = False
            lines.append(f'{name}: {filename} md5 {actual} differs from the tested copy ({expected})')
    counts_ok = True
    if not md5_ok:
        for label, (count, expected) in spec.counts.items():
            try:
                actual = count(folder)
            except (OSError, ValueError) as error:
                actual = f'unreadable ({error})'
            good = actual == expected
            counts_ok &= good
            lines.append(f'{name}: {label} = {actual} ({"ok" if good else f"expected {expected}"})')
    ok = md5_ok or counts_ok
    lines.append(f'{name}: {"OK" if ok else "FAILED"} ({folder})')
    return ok, lines


def resolve_data_home(data_home: Optional[str]) -> Path:
    """The data home by openrec2's rule (argument, $OPENREC2_DATA, ~/.openrec2/datasets)."""
    return Path(data_home or os.environ.get('OPENREC2_DATA') or '~/.openrec2/datasets').expanduser().resolve()


def main(argv: Optional[list[str]] = None) -> int:
    """Download (unless --check) and check the named datasets; returns the exit status."""
    parser = argparse.ArgumentParser(description='Download and check the datasets openrec2 loads.')
    parser.add_argument('names', nargs='*',
                        help=f'datasets to handle (default: all): {", ".join(sorted(DATASETS))}')
    parser.add_argument('--check', action='store_true', help='only check the files already there')
    parser.add_argument('--force', action='store_true', help='download even when the check passes')
    parser.add_argument('--data-home', help='data home (default: $OPENREC2_DATA or ~/.openrec2/datasets)')
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(DATASETS))
    if unknown:
        parser.error(f'unknown dataset(s) {unknown}; valid: {sorted(DATASETS)}')
    data_home = resolve_data_home(args.data_home)
    all_ok = True
    for name in args.names or sorted(DATASETS):
        ok, lines = check_dataset(name, data_home)
        if not args.check and (args.force or not ok):
            folder = data_home / DATASETS[name].folder
            folder.mkdir(parents=True, exist_ok=True)
            print(f'{name}: fetching into {folder}')
            DATASETS[name].fetch(folder)
            ok, lines = check_dataset(name, data_home)
        print('\n'.join(lines))
        all_ok &= ok
    return 0 if all_ok else 1


if __name__ == '__main__':
    sys.exit(main())
