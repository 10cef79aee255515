"""Loader for Amazon Beauty 5-core purchase sequences with item attributes, as
prepared for S3-Rec (Zhou et al., "S3-Rec: Self-Supervised Learning for Sequential
Recommendation with Mutual Information Maximization", CIKM 2020) from the Amazon
review data (McAuley et al., SIGIR 2015).
"""

from __future__ import annotations

import json
import os
from typing import Optional, Sequence, Union

import numpy as np

from openrec2.datasets.data_home import dataset_file
from openrec2.datasets.data_split import DataSplit, build_data_split
from openrec2.datasets.parsing import lists_to_pairs, read_int_lists, remap_ids
from openrec2.datasets.side_features import multi_hot
from openrec2.errors import DataError, scoped
from openrec2.utils.dataset import make_interactions
from openrec2.utils.ragged import ragged_positions

BEAUTY_FOLDER = 'amazon-beauty'


def _read_attributes(path, item_id_map: np.ndarray, loader: str) -> tuple[np.ndarray, list]:
    """Multi-hot attribute matrix aligned with the remapped items, and column names."""
    try:
        raw = json.loads(path.read_text(encoding='utf-8'))
        attributes = {int(item): [int(a) for a in values] for item, values in raw.items()}
    except (ValueError, TypeError, AttributeError) as error:
        raise DataError(scoped(loader, (
            f'{path} is malformed ({error}); expected a JSON object {{"item id": [attribute id, ...]}}. '
            'Re-download it with datasets/download.py.'))) from None
    rows = [(new_id, attribute) for new_id, original in enumerate(item_id_map.tolist())
            for attribute in attributes.get(original, ())]
    pairs = np.array(rows, dtype=np.int64).reshape(-1, 2)
    features, columns = multi_hot(pairs[:, 0], pairs[:, 1], len(item_id_map))
    return features, [f'attribute_{a}' for a in columns.tolist()]


def load_amazon_beauty(split: str = 'leave_one_out', ratios: Sequence[float] = (0.8, 0.1, 0.1),
                       seed: int = 2020, validation: bool = True,
                       data_home: Optional[Union[str, os.PathLike]] = None) -> DataSplit:
    """Load Amazon Beauty purchase sequences (22,363 users, 12,101 items, 198,502 purchases).

    Each line of ``Beauty.txt`` is ``user item item ...`` in time order (ids from 1);
    ``timestamp`` is the position in the user's sequence (0 = first), so leave-one-out
    and temporal splits follow the purchase order. Ids are remapped to 0-based.

    Args:
        split: ``'leave_one_out'`` (last -> test, second-last -> validation, the S3-Rec
            protocol), ``'temporal'`` or ``'random'``.
        ratios: Split shares for ``'random'`` / ``'temporal'``.
        seed: Seed of the random split.
        validation: For ``'leave_one_out'``: hold out a validation interaction.
        data_home: Data home override.

    Returns:
        A :class:`DataSplit` whose ``item_features`` is the multi-hot of the attributes
        in ``Beauty_item2attributes.json`` (one column per attribute id).

    Raises:
        DataFileNotFoundError: ``Beauty.txt`` or ``Beauty_item2attributes.json`` is missing.
        DataError: A malformed line or JSON file.
        UnknownOptionError: Unknown ``split`` or invalid ``ratios``.
    """
    loader = 'load_amazon_beauty'
    path = dataset_file(BEAUTY_FOLDER, 'Beauty.txt', data_home, loader)
    lines = read_int_lists(path, loader)
    raw_users, raw_items = lists_to_pairs(lines, path, loader=loader)
    # Position of each purchase inside its line: 0, 1, ... per user.
    _, position = ragged_positions([len(values) - 1 for values in lines])
    users, user_id_map = remap_ids(raw_users)
    items, item_id_map = remap_ids(raw_items)
    attribute_path = dataset_file(BEAUTY_FOLDER, 'Beauty_item2attributes.json', data_home, loader)
    features, names = _read_attributes(attribute_path, item_id_map, loader)
    data = make_interactions(users, items, timestamp=position)
    result = build_data_split('amazon-beauty', data, len(user_id_map), len(item_id_map), split, ratios,
                              seed, validation, item_features=features, item_feature_names=names,
                              user_id_map=user_id_map, item_id_map=item_id_map)
    result.protocol += ' (timestamp = position in the purchase sequence)'
    return result
