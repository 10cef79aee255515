"""Loader for CiteULike-a (Wang & Blei, "Collaborative Topic Regression", KDD 2011):
5,551 users, 16,980 articles, 204,986 user-article pairs, the dataset of the legacy
OpenRec tutorials.
"""

from __future__ import annotations

import os
from typing import Optional, Sequence, Union

import numpy as np

from openrec2.datasets.data_home import dataset_file
from openrec2.datasets.data_split import DataSplit, build_data_split
from openrec2.datasets.parsing import lists_to_pairs, read_int_lists
from openrec2.utils.dataset import make_interactions

CITEULIKE_FOLDER = 'citeulike-a'
NUM_ARTICLES = 16980


def load_citeulike_a(split: str = 'random', ratios: Sequence[float] = (0.8, 0.1, 0.1), seed: int = 2020,
                     validation: bool = True,
                     data_home: Optional[Union[str, os.PathLike]] = None) -> DataSplit:
    """Load CiteULike-a user libraries from ``users.dat``.

    Line ``u`` (0-based) of ``users.dat`` is user ``u`` and reads ``n item_1 ... item_n``
    with article ids from 0. There are no timestamps.

    Args:
        split: ``'random'`` (per-user, RecBole rule) or ``'leave_one_out'`` (one random
            article per user held out, seeded).
        ratios: Split shares for ``'random'``.
        seed: Seed of the split.
        validation: For ``'leave_one_out'``: hold out a validation interaction.
        data_home: Data home override.

    Returns:
        A :class:`DataSplit` with ``max_item`` = 16,980 articles (ids as in the file).

    Raises:
        DataFileNotFoundError: ``users.dat`` is missing.
        DataError: A malformed line (non-integer, or a count that does not match).
        UnknownOptionError: Unknown ``split`` or invalid ``ratios``.
    """
    loader = 'load_citeulike_a'
    path = dataset_file(CITEULIKE_FOLDER, 'users.dat', data_home, loader)
    lines = read_int_lists(path, loader, complete_lines=False)  # its files end without a line break
    users, items = lists_to_pairs(lines, path, counted=True, loader=loader)
    max_user = len(lines)
    max_item = max(NUM_ARTICLES, int(items.max()) + 1)
    return build_data_split('citeulike-a', make_interactions(users, items), max_user, max_item, split,
                            ratios, seed, validation, user_id_map=np.arange(max_user),
                            item_id_map=np.arange(max_item))
