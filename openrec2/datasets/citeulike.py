"""Loader for CiteULike-a (Wang & Blei, "Collaborative Topic Regression", KDD 2011):
5,551 users, 16,980 articles, 204,986 user-article pairs, the dataset of the legacy
OpenRec tutorials and of CDL (Wang, Wang & Yeung, KDD 2015); the articles' tags
(``item-tag.dat``) are their content.
"""

from __future__ import annotations

import os
from typing import Optional, Sequence, Union

import numpy as np

from openrec2.datasets.data_home import dataset_file
from openrec2.datasets.data_split import DataSplit, build_data_split
from openrec2.datasets.parsing import lists_to_pairs, read_int_lists, read_lines
from openrec2.datasets.side_features import multi_hot
from openrec2.utils.dataset import make_interactions
from openrec2.validation import check_int

CITEULIKE_FOLDER = 'citeulike-a'
NUM_ARTICLES = 16980
#: Tags kept as content: those of at least this many articles (661 tags).
MIN_TAG_ARTICLES = 50


def _read_tags(data_home, max_item: int, min_tag_items: int, loader: str) -> tuple[np.ndarray, list]:
    """Multi-hot tags of every article (``item-tag.dat``) and the kept tags' names (``tags.dat``)."""
    path = dataset_file(CITEULIKE_FOLDER, 'item-tag.dat', data_home, loader)
    lines = read_int_lists(path, loader, complete_lines=False)
    articles, tags = lists_to_pairs(lines, path, counted=True, loader=loader)
    features, kept = multi_hot(articles, tags, max_item, min_rows=min_tag_items)
    names = [line.strip() for line in read_lines(dataset_file(CITEULIKE_FOLDER, 'tags.dat', data_home, loader),
                                                 loader, complete_lines=False)]
    return features, [names[t] if t < len(names) else f'tag_{t}' for t in kept.tolist()]


def load_citeulike_a(split: str = 'random', ratios: Sequence[float] = (0.8, 0.1, 0.1), seed: int = 2020,
                     validation: bool = True, min_tag_items: int = MIN_TAG_ARTICLES,
                     data_home: Optional[Union[str, os.PathLike]] = None) -> DataSplit:
    """Load CiteULike-a user libraries from ``users.dat`` and article tags from ``item-tag.dat``.

    Line ``u`` (0-based) of ``users.dat`` is user ``u`` and reads ``n item_1 ... item_n``
    with article ids from 0. There are no timestamps. Line ``i`` of ``item-tag.dat``
    lists article ``i``'s tags the same way (tag ids are lines of ``tags.dat``).

    Args:
        split: ``'random'`` (per-user, RecBole rule) or ``'leave_one_out'`` (one random
            article per user held out, seeded).
        ratios: Split shares for ``'random'``.
        seed: Seed of the split.
        validation: For ``'leave_one_out'``: hold out a validation interaction.
        min_tag_items: Keep the tags of at least this many articles as feature columns.
        data_home: Data home override.

    Returns:
        A :class:`DataSplit` with ``max_item`` = 16,980 articles (ids as in the file) and
        ``item_features`` = the articles' multi-hot tags (``[16980, 661]`` with the
        default ``min_tag_items``; some articles have none of the kept tags).

    Raises:
        DataFileNotFoundError: ``users.dat``, ``item-tag.dat`` or ``tags.dat`` is missing.
        DataError: A malformed line (non-integer, or a count that does not match).
        UnknownOptionError: Unknown ``split`` or invalid ``ratios``.
    """
    loader = 'load_citeulike_a'
    path = dataset_file(CITEULIKE_FOLDER, 'users.dat', data_home, loader)
    lines = read_int_lists(path, loader, complete_lines=False)  # its files end without a line break
    users, items = lists_to_pairs(lines, path, counted=True, loader=loader)
    max_user = len(lines)
    max_item = max(NUM_ARTICLES, int(items.max()) + 1)
    features, names = _read_tags(data_home, max_item, check_int(min_tag_items, 'min_tag_items', loader), loader)
    return build_data_split('citeulike-a', make_interactions(users, items), max_user, max_item, split,
                            ratios, seed, validation, user_id_map=np.arange(max_user),
                            item_id_map=np.arange(max_item), item_features=features, item_feature_names=names)
