"""Per-user behaviour sequences in time order, split leave-last-out, for sequential and
CTR models such as DIEN (Zhou et al., "Deep Interest Evolution Network for
Click-Through Rate Prediction", AAAI 2019).

A :class:`~openrec2.utils.sequences.BehaviourSequences` (the data structure, defined in
:mod:`openrec2.utils.sequences` and importable from here as before) is built from a
leave-one-out :class:`DataSplit` of a loader (:func:`load_amazon_beauty`, :func:`load_ml100k`): each user's interactions are
ordered by timestamp (ties keep file order, exactly as the split ordered them), the
last one is the test target, the second-last the validation target, the rest is the
training sequence. The item side-features of the split (Beauty attributes, ML-100K
genres) travel with it.
"""

from __future__ import annotations

import os
from typing import Optional, Union

import numpy as np

from openrec2.datasets.amazon_beauty import load_amazon_beauty
from openrec2.datasets.data_split import DataSplit
from openrec2.datasets.movielens import load_ml100k
from openrec2.errors import DataError, scoped
from openrec2.utils.dataset import ImplicitDataset, make_interactions
from openrec2.utils.sequences import PADDING_ITEM, PARTS, BehaviourSequences  # noqa: F401  (old import path)


def sequences_from_split(split: DataSplit) -> BehaviourSequences:
    """Build time-ordered sequences from a leave-one-out split of a loader.

    Args:
        split: A :class:`DataSplit` made with ``split='leave_one_out'`` whose parts
            have a ``timestamp`` field.

    Returns:
        The :class:`BehaviourSequences`.

    Raises:
        DataError: The parts lack timestamps, a user has more than one validation or
            test interaction, or a held-out interaction is not after the user's
            training ones (the split was not leave-last-out).
    """
    scope = f'sequences_from_split({split.name!r})'
    parts = [split.train, split.validation, split.test]
    for part in parts:
        if part is not None and 'timestamp' not in part.data.dtype.names:
            raise DataError(scoped(scope, 'the split has no timestamp field; load the dataset with its '
                                   "timestamps and split='leave_one_out'."))
    held_out = {}
    for label, part in (('validation', split.validation), ('test', split.test)):
        flags = np.zeros(split.max_user, dtype=bool)
        if part is not None:
            counts = np.bincount(part.data['user_id'], minlength=split.max_user)
            if counts.max(initial=0) > 1:
                raise DataError(scoped(scope, f'a user has {counts.max()} {label} interactions; build the '
                                       "split with split='leave_one_out' (one held-out item per user)."))
            flags = counts == 1
        held_out[label] = flags
    # Rows of a part keep file order, so a stable sort by (user, timestamp) keeps ties in
    # the order the leave-one-out split used; the parts follow each other per user.
    rows = [(part.data, rank) for rank, part in enumerate(parts) if part is not None]
    users = np.concatenate([data['user_id'] for data, _ in rows]).astype(np.int64)
    stamps = np.concatenate([data['timestamp'] for data, _ in rows]).astype(np.int64)
    ranks = np.concatenate([np.full(len(data), rank) for data, rank in rows])
    items = np.concatenate([data['item_id'] for data, _ in rows]).astype(np.int64)
    order = np.lexsort((np.arange(users.size), stamps, ranks, users))
    users, stamps, ranks, items = users[order], stamps[order], ranks[order], items[order]
    same_user = users[1:] == users[:-1]
    if np.any(same_user & (stamps[1:] < stamps[:-1])):
        raise DataError(scoped(scope, 'a held-out interaction is older than a training one; build the '
                               "split with split='leave_one_out' so the last interactions are held out."))
    indptr = np.zeros(split.max_user + 1, dtype=np.int64)
    np.cumsum(np.bincount(users, minlength=split.max_user), out=indptr[1:])
    num_train = np.bincount(users[ranks == 0], minlength=split.max_user).astype(np.int64)
    known = ImplicitDataset(make_interactions(users, items), split.max_user, split.max_item,
                            name=f'{split.name}/all')
    return BehaviourSequences(
        name=split.name, max_user=split.max_user, max_item=split.max_item, indptr=indptr, items=items,
        num_train=num_train, has_validation=held_out['validation'], has_test=held_out['test'],
        train=split.train, known=known, item_features=split.item_features,
        item_feature_names=split.item_feature_names, user_features=split.user_features,
        user_feature_names=split.user_feature_names,
        protocol=f'behaviour sequences in time order; {split.protocol}')


def load_beauty_sequences(validation: bool = True,
                          data_home: Optional[Union[str, os.PathLike]] = None) -> BehaviourSequences:
    """Amazon Beauty purchase sequences with item attributes, leave-last-out.

    Args:
        validation: Hold out the second-last purchase as the validation target.
        data_home: Data home override.

    Returns:
        :class:`BehaviourSequences` whose ``item_features`` are the attribute multi-hots.

    Raises:
        DataFileNotFoundError: A Beauty file is missing.
        DataError: A malformed file.
    """
    return sequences_from_split(load_amazon_beauty(split='leave_one_out', validation=validation,
                                                   data_home=data_home))


def load_ml100k_sequences(validation: bool = True, min_rating: Optional[float] = None,
                          data_home: Optional[Union[str, os.PathLike]] = None) -> BehaviourSequences:
    """MovieLens 100K rating sequences ordered by timestamp, with genres, leave-last-out.

    Args:
        validation: Hold out the second-last rating as the validation target.
        min_rating: Keep only ratings >= this value (``None`` keeps all).
        data_home: Data home override.

    Returns:
        :class:`BehaviourSequences` whose ``item_features`` are the 19 genre flags.

    Raises:
        DataFileNotFoundError: An ML-100K file is missing.
        DataError: A malformed file.
    """
    return sequences_from_split(load_ml100k(split='leave_one_out', validation=validation,
                                            min_rating=min_rating, data_home=data_home))
