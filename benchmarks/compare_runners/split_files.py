"""The train/validation/test split handed from compare.py to the runners of other libraries.

Only numpy: this file is imported both by openrec2's venv (to write the split) and by
the separate benchmark venv (to read it). One folder holds ``split.npz`` (int64
``[N, 2]`` user/item pairs per part plus the id ranges) and the same pairs as RecBole
atomic files ``<name>/<name>.{train,valid,test}.inter`` for RecBole's
``benchmark_filename`` mode.
"""

from __future__ import annotations

import os

import numpy as np

PARTS = ('train', 'valid', 'test')
DATASET_NAME = 'ml'


def export_split(folder: str, train: np.ndarray, valid: np.ndarray, test: np.ndarray, num_users: int,
                 num_items: int, name: str = DATASET_NAME) -> str:
    """Write the three parts as ``split.npz`` and as RecBole atomic ``.inter`` files.

    Args:
        folder: Existing folder to write into.
        train: int ``[N, 2]`` (user, item) training pairs; likewise ``valid`` and ``test``.
        valid: Validation pairs.
        test: Test pairs.
        num_users: Number of user ids (every id is below it).
        num_items: Number of item ids.
        name: RecBole dataset name (the sub-folder and the file stem).

    Returns:
        Path of ``split.npz``.

    Raises:
        ValueError: A part is not ``[N, 2]`` or holds an id outside its range.
    """
    parts = {}
    for part, pairs in zip(PARTS, (train, valid, test)):
        pairs = np.asarray(pairs, dtype=np.int64)
        if pairs.ndim != 2 or pairs.shape[1] != 2:
            raise ValueError(f'export_split: {part} must be [N, 2] (user, item) pairs; got shape {pairs.shape}.')
        if len(pairs) and (pairs.min() < 0 or pairs[:, 0].max() >= num_users or pairs[:, 1].max() >= num_items):
            raise ValueError(f'export_split: {part} has ids outside [0, {num_users}) x [0, {num_items}); '
                             'pass the id ranges of the whole split.')
        parts[part] = pairs
    path = os.path.join(folder, 'split.npz')
    np.savez(path, num_users=num_users, num_items=num_items, **parts)
    inter_folder = os.path.join(folder, name)
    os.makedirs(inter_folder, exist_ok=True)
    for part, pairs in parts.items():
        with open(os.path.join(inter_folder, f'{name}.{part}.inter'), 'w') as handle:
            handle.write('user_id:token\titem_id:token\n')
            handle.write(''.join(f'{u}\t{i}\n' for u, i in pairs.tolist()))
    return path


def load_split(path: str) -> dict:
    """Read ``split.npz`` back.

    Args:
        path: Path written by :func:`export_split`.

    Returns:
        ``{'train', 'valid', 'test'}`` int64 ``[N, 2]`` arrays plus ``'num_users'`` and ``'num_items'`` ints.
    """
    with np.load(path) as stored:
        split = {part: stored[part] for part in PARTS}
        split['num_users'] = int(stored['num_users'])
        split['num_items'] = int(stored['num_items'])
    return split
