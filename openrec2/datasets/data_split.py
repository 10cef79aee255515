"""The :class:`DataSplit` every dataset loader returns.

A split bundles the train / validation / test :class:`~openrec2.utils.ImplicitDataset`
objects (same ``max_user`` / ``max_item``), the exact split protocol as a sentence,
optional item side-features and the maps back to the original ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional, Sequence

import numpy as np

from openrec2.datasets.splits import split_interactions
from openrec2.utils.dataset import ImplicitDataset


@dataclass
class DataSplit:
    """Train / validation / test datasets of one named dataset and how they were made.

    Attributes:
        name: Dataset name, e.g. ``'ml-100k'``.
        train: Training interactions.
        validation: Validation interactions, or ``None`` for a train/test protocol.
        test: Test interactions.
        protocol: Human-readable statement of the split, exact enough to reproduce it.
        max_user: Number of user ids (shared by all parts).
        max_item: Number of item ids (shared by all parts).
        item_features: float32 ``[max_item, F]`` side-features, or ``None``.
        item_feature_names: Names of the ``F`` feature columns, or ``None``.
        user_features: float32 ``[max_user, G]`` user side-features (demographics), or ``None``.
        user_feature_names: Names of the ``G`` user feature columns, or ``None``.
        user_id_map: ``user_id_map[u]`` is the original id of user ``u`` (or ``None``).
        item_id_map: ``item_id_map[i]`` is the original id of item ``i`` (or ``None``).
        metadata: Extra facts of the dataset (e.g. the planted factors of a synthetic one).
    """

    name: str
    train: ImplicitDataset
    validation: Optional[ImplicitDataset]
    test: ImplicitDataset
    protocol: str
    max_user: int
    max_item: int
    item_features: Optional[np.ndarray] = None
    item_feature_names: Optional[list] = None
    user_features: Optional[np.ndarray] = None
    user_feature_names: Optional[list] = None
    user_id_map: Optional[np.ndarray] = None
    item_id_map: Optional[np.ndarray] = None
    metadata: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        parts = ', '.join(f'{label}={len(part) if part is not None else None}'
                          for label, part in (('train', self.train), ('validation', self.validation),
                                              ('test', self.test)))
        return (f'DataSplit(name={self.name!r}, max_user={self.max_user}, max_item={self.max_item}, '
                f'{parts}, protocol={self.protocol!r})')


def build_data_split(name: str, data: np.ndarray, max_user: int, max_item: int, split: str,
                     ratios: Sequence[float], seed: int, validation: bool = True,
                     **extras: Any) -> DataSplit:
    """Split an interaction array by protocol name and wrap the parts in a DataSplit.

    Args:
        name: Dataset name.
        data: Structured interaction array (0-based ids).
        max_user: Number of user ids.
        max_item: Number of item ids.
        split: ``'random'``, ``'leave_one_out'`` or ``'temporal'``.
        ratios: Split shares for the ratio protocols.
        seed: Seed of the random protocols.
        validation: For ``'leave_one_out'``: hold out a validation interaction.
        **extras: Further :class:`DataSplit` fields (item_features, id maps, ...).

    Returns:
        The :class:`DataSplit`.

    Raises:
        UnknownOptionError: Unknown ``split`` or invalid ``ratios``.
        DataError: The protocol needs timestamps the data lacks.
    """
    train, valid, test, protocol = split_interactions(data, split, ratios, seed, validation, scope=name)
    return data_split_from_parts(name, train, valid, test, max_user, max_item, protocol, **extras)


def data_split_from_parts(name: str, train: np.ndarray, validation: Optional[np.ndarray], test: np.ndarray,
                          max_user: int, max_item: int, protocol: str, **extras: Any) -> DataSplit:
    """Wrap already split interaction arrays (e.g. a dataset's given files) in a DataSplit.

    Args:
        name: Dataset name; the parts are named ``<name>/train`` and so on.
        train: Structured interaction array of the training part.
        validation: Validation part, or None.
        test: Test part.
        max_user: Number of user ids.
        max_item: Number of item ids.
        protocol: How the parts were made, in words.
        **extras: Further :class:`DataSplit` fields (item_features, id maps, ...).

    Returns:
        The :class:`DataSplit`.
    """
    def wrap(part: Optional[np.ndarray], label: str) -> Optional[ImplicitDataset]:
        return None if part is None else ImplicitDataset(part, max_user, max_item, name=f'{name}/{label}')

    return DataSplit(name=name, train=wrap(train, 'train'), validation=wrap(validation, 'validation'),
                     test=wrap(test, 'test'), protocol=protocol, max_user=max_user, max_item=max_item,
                     **extras)
