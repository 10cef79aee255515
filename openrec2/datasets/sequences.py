"""Per-user behaviour sequences in time order, split leave-last-out, for sequential and
CTR models such as DIEN (Zhou et al., "Deep Interest Evolution Network for
Click-Through Rate Prediction", AAAI 2019).

A :class:`BehaviourSequences` is built from a leave-one-out :class:`DataSplit` of a
loader (:func:`load_amazon_beauty`, :func:`load_ml100k`): each user's interactions are
ordered by timestamp (ties keep file order, exactly as the split ordered them), the
last one is the test target, the second-last the validation target, the rest is the
training sequence. The item side-features of the split (Beauty attributes, ML-100K
genres) travel with it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Optional, Union

import numpy as np

from openrec2.datasets.amazon_beauty import load_amazon_beauty
from openrec2.datasets.data_split import DataSplit
from openrec2.datasets.movielens import load_ml100k
from openrec2.errors import DataError, UnknownOptionError, scoped
from openrec2.utils.dataset import ImplicitDataset, make_interactions
from openrec2.utils.ragged import ragged_positions

PARTS = ('train', 'validation', 'test')
#: Item id written into the padded tail of a history (masked by its length).
PADDING_ITEM = 0


@dataclass
class BehaviourSequences:
    """Every user's interactions in time order with a leave-last-out split.

    User ``u``'s whole sequence is ``items[indptr[u]:indptr[u + 1]]`` (oldest first).
    Its first ``num_train[u]`` items are training behaviours; then comes the validation
    target (when ``has_validation[u]``) and last the test target (when ``has_test[u]``).

    Attributes:
        name: Dataset name.
        max_user: Number of user ids.
        max_item: Number of item ids.
        indptr: int64 ``[max_user + 1]`` row pointers into ``items``.
        items: int64 item ids of all users' sequences, each in time order.
        num_train: int64 ``[max_user]`` training behaviours per user.
        has_validation: bool ``[max_user]``: the user has a validation target.
        has_test: bool ``[max_user]``: the user has a test target.
        train: The training interactions (negatives of training examples avoid them).
        known: All interactions of every part (negatives of evaluation avoid them).
        item_features: float32 ``[max_item, F]`` multi-hot side-features, or ``None``.
        item_feature_names: Names of the feature columns, or ``None``.
        protocol: The split protocol as a sentence.
    """

    name: str
    max_user: int
    max_item: int
    indptr: np.ndarray
    items: np.ndarray
    num_train: np.ndarray
    has_validation: np.ndarray
    has_test: np.ndarray
    train: ImplicitDataset
    known: ImplicitDataset
    item_features: Optional[np.ndarray]
    item_feature_names: Optional[list]
    protocol: str

    @property
    def lengths(self) -> np.ndarray:
        """int64 ``[max_user]``: length of each user's whole sequence."""
        return np.diff(self.indptr)

    def sequence(self, user_id: int) -> np.ndarray:
        """The whole time-ordered sequence of one user.

        Args:
            user_id: A user id in ``[0, max_user)``.

        Returns:
            int64 item ids, oldest first.

        Raises:
            DataError: ``user_id`` is out of range.
        """
        user_id = int(user_id)
        if not 0 <= user_id < self.max_user:
            raise DataError(scoped('BehaviourSequences', f'user_id {user_id} is out of range [0, {self.max_user}).'))
        return self.items[self.indptr[user_id]:self.indptr[user_id + 1]]

    def targets(self, part: str) -> tuple[np.ndarray, np.ndarray]:
        """The (user, position) of every target of one part.

        A target at position ``p`` of user ``u``'s sequence is predicted from the ``p``
        behaviours before it. Training targets are the training behaviours after the
        first (the first has no history).

        Args:
            part: ``'train'``, ``'validation'`` or ``'test'``.

        Returns:
            ``(user_ids, positions)``: int64 arrays, ordered by user then position.

        Raises:
            UnknownOptionError: Unknown ``part``.
        """
        if part == 'train':
            users, offsets = ragged_positions(np.maximum(self.num_train - 1, 0))
            return users, offsets + 1
        if part == 'validation':
            users = np.flatnonzero(self.has_validation).astype(np.int64)
            return users, self.num_train[users]
        if part == 'test':
            users = np.flatnonzero(self.has_test).astype(np.int64)
            return users, self.lengths[users] - 1
        raise UnknownOptionError(scoped('BehaviourSequences', f'unknown part {part!r}; valid: {list(PARTS)}.'))

    def items_at(self, user_ids: np.ndarray, positions: np.ndarray) -> np.ndarray:
        """The item at each (user, position).

        Args:
            user_ids: int array of users.
            positions: int array of positions inside their sequences.

        Returns:
            int64 item ids.
        """
        return self.items[self.indptr[np.asarray(user_ids)] + np.asarray(positions)]

    def histories(self, user_ids: np.ndarray, positions: np.ndarray,
                  max_length: int) -> tuple[np.ndarray, np.ndarray]:
        """The behaviours before each target, at most the ``max_length`` latest ones.

        Args:
            user_ids: int array ``[n]`` of users.
            positions: int array ``[n]`` of target positions (the history ends before).
            max_length: Longest history kept (older behaviours are dropped).

        Returns:
            ``(history, length)``: int64 ``[n, max_length]`` item ids oldest first,
            left-aligned and padded with :data:`PADDING_ITEM`, and int64 ``[n]`` real
            lengths.
        """
        user_ids = np.asarray(user_ids, dtype=np.int64)
        positions = np.asarray(positions, dtype=np.int64)
        length = np.minimum(positions, max_length)
        start = self.indptr[user_ids] + positions - length
        offsets = np.arange(max_length, dtype=np.int64)[None, :]
        real = offsets < length[:, None]
        gathered = self.items[np.where(real, start[:, None] + offsets, 0)]
        return np.where(real, gathered, PADDING_ITEM), length


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
        item_feature_names=split.item_feature_names,
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
