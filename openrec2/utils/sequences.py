"""Per-user behaviour sequences in time order with a leave-last-out split.

The data structure of sequential and CTR models such as DIEN (Zhou et al., "Deep
Interest Evolution Network for Click-Through Rate Prediction", AAAI 2019): each user's
interactions ordered by time, the last one the test target, the second-last the
validation target, the rest the training sequence. The sequence samplers and example
builders of :mod:`openrec2.utils.samplers` read it; the dataset loaders of
:mod:`openrec2.datasets.sequences` build it (``load_beauty_sequences``,
``sequences_from_split``), and :func:`leave_last_out` builds it from any one
:class:`~openrec2.utils.Dataset` with timestamps. :func:`chronological_sequences` is the
plain per-user time ordering, for samplers that need histories without a split.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np

from openrec2.errors import DataError, scoped
from openrec2.utils.dataset import Dataset, ImplicitDataset, make_interactions
from openrec2.utils.ragged import ragged_positions
from openrec2.validation import check_choice, check_int

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
        user_features: float32 ``[max_user, F]`` user side-features (demographics), or ``None``.
        user_feature_names: Names of the user feature columns, or ``None``.
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
    user_features: Optional[np.ndarray] = None
    user_feature_names: Optional[list] = None

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
            SettingError: Unknown ``part``.
        """
        check_choice(part, 'part', 'BehaviourSequences', PARTS)
        if part == 'train':
            users, offsets = ragged_positions(np.maximum(self.num_train - 1, 0))
            return users, offsets + 1
        if part == 'validation':
            users = np.flatnonzero(self.has_validation).astype(np.int64)
            return users, self.num_train[users]
        users = np.flatnonzero(self.has_test).astype(np.int64)
        return users, self.lengths[users] - 1

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


def chronological_sequences(dataset: Dataset) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every user's positive interactions of ``dataset`` in time order.

    Rows are ordered by (user, timestamp); rows with equal timestamps keep their order
    in the dataset.

    Args:
        dataset: A :class:`~openrec2.utils.Dataset` with a ``timestamp`` field
            (positives only are kept: rows with ``label > 0`` when it has labels).

    Returns:
        ``(indptr, items, rows)``: int64 ``[max_user + 1]`` row pointers, so that user
        ``u``'s items oldest first are ``items[indptr[u]:indptr[u + 1]]``; the int64
        item ids; and the dataset row of every entry of ``items``.

    Raises:
        DataError: ``dataset`` is not a Dataset or has no ``timestamp`` field.
    """
    scope = 'chronological_sequences'
    if not isinstance(dataset, Dataset):
        raise DataError(scoped(scope, f'needs an openrec2.utils.Dataset, got {type(dataset).__name__}.'))
    data = dataset.data
    if 'timestamp' not in (data.dtype.names or ()):
        raise DataError(scoped(scope, f'dataset {dataset.name!r} has no timestamp field; build it with '
                                      'make_interactions(users, items, timestamp=...).'))
    rows = np.arange(len(data), dtype=np.int64)
    if 'label' in data.dtype.names:
        rows = rows[data['label'] > 0]
    users = data['user_id'][rows].astype(np.int64)
    rows = rows[np.lexsort((rows, data['timestamp'][rows], users))]
    indptr = np.zeros(dataset.max_user + 1, dtype=np.int64)
    np.cumsum(np.bincount(users, minlength=dataset.max_user), out=indptr[1:])
    return indptr, data['item_id'][rows].astype(np.int64), rows


def leave_last_out(dataset: Dataset, num_held_out: int = 2, name: Optional[str] = None) -> BehaviourSequences:
    """Time-ordered sequences of one dataset, the last interactions held out.

    Each user's last interaction is its test target and the one before its validation
    target (``num_held_out=2``); ``1`` holds out the test target only, ``0`` nothing
    (every interaction is a training behaviour). A target needs at least one earlier
    interaction: users with two interactions get a test target but no validation
    target, users with one keep it for training.

    Args:
        dataset: A :class:`~openrec2.utils.Dataset` with timestamps.
        num_held_out: 0, 1 or 2 held-out interactions per user.
        name: Name of the sequences (default the dataset's).

    Returns:
        The :class:`BehaviourSequences` (``train`` holds the training rows with all
        their fields; ``known`` every interaction).

    Raises:
        DataError: No timestamp field.
        SettingError: ``num_held_out`` not 0, 1 or 2.
    """
    num_held_out = check_int(num_held_out, 'num_held_out', 'leave_last_out', minimum=0, maximum=2)
    indptr, items, rows = chronological_sequences(dataset)
    lengths = np.diff(indptr)
    has_test = (lengths >= 2) & (num_held_out >= 1)
    has_validation = (lengths >= 3) & (num_held_out >= 2)
    num_train = lengths - has_test - has_validation
    users, positions = ragged_positions(lengths)
    training = positions < num_train[users]
    name = name or dataset.name
    train = ImplicitDataset(dataset.data[rows[training]], dataset.max_user, dataset.max_item, name=f'{name}/train')
    known = ImplicitDataset(make_interactions(users, items), dataset.max_user, dataset.max_item, name=f'{name}/all')
    held = {0: 'nothing held out', 1: 'the last interaction of each user is its test target',
            2: 'the last interaction of each user is its test target, the one before its validation target'}
    return BehaviourSequences(
        name=name, max_user=dataset.max_user, max_item=dataset.max_item, indptr=indptr, items=items,
        num_train=num_train.astype(np.int64), has_validation=has_validation, has_test=has_test, train=train,
        known=known, item_features=None, item_feature_names=None,
        protocol=f'behaviour sequences in time order (ties in dataset order); {held[num_held_out]}')
