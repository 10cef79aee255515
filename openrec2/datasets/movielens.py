"""Loaders for MovieLens (GroupLens; Harper & Konstan, "The MovieLens Datasets:
History and Context", ACM TiiS 2015).

* :func:`load_ml100k`: MovieLens 100K ``u.data`` (ratings 1-5 with timestamps) with the
  19 genre flags of ``u.item`` as item features and the demographics of ``u.user``
  (age group, gender, occupation) as user features.
* :func:`load_ml1m_ratings3`: MovieLens 1M restricted to ratings >= 3, as the three
  files ``train.txt`` / ``valid.txt`` / ``test.txt`` (``user item item ...``) behind
  RecBole-GNN's published BPR/LightGCN results; either as given, or all 836,478
  interactions re-split per user.
"""

from __future__ import annotations

import os
from typing import Optional, Sequence, Union

import numpy as np

from openrec2.datasets.data_home import dataset_file
from openrec2.datasets.data_split import DataSplit, build_data_split, data_split_from_parts
from openrec2.datasets.parsing import lists_to_pairs, read_int_lists, read_int_table, read_lines, remap_ids
from openrec2.datasets.side_features import one_hot
from openrec2.errors import DataError, UnknownOptionError, scoped
from openrec2.validation import check_number
from openrec2.utils.dataset import make_interactions

ML100K_FOLDER = 'ml-100k'
ML1M_RATINGS3_FOLDER = 'ml-1m-ratings3'
ML1M_RATINGS3_FILES = ('train.txt', 'valid.txt', 'test.txt')
_N_GENRES = 19
#: Lower bounds of the age groups of the user features (MovieLens 1M's groups).
AGE_GROUPS = (0, 18, 25, 35, 45, 50, 56)


def _read_ml100k_genres(data_home, item_id_map: np.ndarray) -> tuple[np.ndarray, list, list]:
    """Genre flags of ``u.item`` aligned with the remapped item ids, genre names, and the titles."""
    loader = 'load_ml100k'
    item_path = dataset_file(ML100K_FOLDER, 'u.item', data_home, loader)
    flags_by_item, title_by_item = {}, {}
    for number, line in enumerate(read_lines(item_path, loader), start=1):
        if not line.strip():
            continue
        fields = line.split('|')
        try:
            if len(fields) < 5 + _N_GENRES:
                raise ValueError(line)
            flags_by_item[int(fields[0])] = [int(f) for f in fields[-_N_GENRES:]]
            title_by_item[int(fields[0])] = fields[1]
        except ValueError:
            raise DataError(scoped(loader, (
                f'{item_path}: line {number} is malformed: {line[:80]!r}; expected '
                f'"id|title|release|video release|url|" then {_N_GENRES} 0/1 genre flags.'))) from None
    missing = [int(i) for i in item_id_map if int(i) not in flags_by_item]
    if missing:
        raise DataError(scoped(loader, f'{item_path} lacks the rated item(s) {missing[:5]}.'))
    features = np.array([flags_by_item[int(i)] for i in item_id_map], dtype=np.float32)

    genre_path = dataset_file(ML100K_FOLDER, 'u.genre', data_home, loader)
    names = [None] * _N_GENRES
    for line in read_lines(genre_path, loader):
        if line.strip():
            name, _, index = line.rpartition('|')
            if index.isdigit() and int(index) < _N_GENRES:
                names[int(index)] = name
    if any(n is None for n in names):
        raise DataError(scoped(loader, f'{genre_path} must name {_N_GENRES} genres as "name|index" lines.'))
    return features, names, [title_by_item[int(i)] for i in item_id_map]


def _read_ml100k_users(data_home, user_id_map: np.ndarray) -> tuple[np.ndarray, list]:
    """One-hot age group, gender and occupation of ``u.user``, aligned with the remapped user ids."""
    loader = 'load_ml100k'
    occupations = [line.strip() for line in read_lines(dataset_file(ML100K_FOLDER, 'u.occupation', data_home,
                                                                    loader), loader) if line.strip()]
    user_path = dataset_file(ML100K_FOLDER, 'u.user', data_home, loader)
    by_user = {}
    for number, line in enumerate(read_lines(user_path, loader), start=1):
        if not line.strip():
            continue
        fields = line.strip().split('|')
        try:
            if len(fields) != 5 or fields[2] not in ('M', 'F') or fields[3] not in occupations:
                raise ValueError(line)
            by_user[int(fields[0])] = (int(np.searchsorted(AGE_GROUPS, int(fields[1]), side='right')) - 1,
                                       fields[2], fields[3])
        except ValueError:
            raise DataError(scoped(loader, (
                f'{user_path}: line {number} is malformed: {line[:80]!r}; expected '
                '"id|age|M or F|occupation (one of u.occupation)|zip code".'))) from None
    missing = [int(u) for u in user_id_map if int(u) not in by_user]
    if missing:
        raise DataError(scoped(loader, f'{user_path} lacks the user(s) {missing[:5]}.'))
    rows = [by_user[int(u)] for u in user_id_map]
    ages = (['age_under_18'] + [f'age_{low}-{high - 1}' for low, high in zip(AGE_GROUPS[1:-1], AGE_GROUPS[2:])]
            + [f'age_{AGE_GROUPS[-1]}+'])
    features = np.concatenate([one_hot([ages[r[0]] for r in rows], ages), one_hot([r[1] for r in rows], ['M', 'F']),
                               one_hot([r[2] for r in rows], occupations)], axis=1)
    return features, ages + ['gender_M', 'gender_F'] + [f'occupation_{o}' for o in occupations]


def load_ml100k(split: str = 'random', ratios: Sequence[float] = (0.8, 0.1, 0.1), seed: int = 2020,
                min_rating: Optional[float] = None, validation: bool = True,
                data_home: Optional[Union[str, os.PathLike]] = None) -> DataSplit:
    """Load MovieLens 100K as implicit feedback with the rating kept as ``label``.

    Ids are remapped to 0-based contiguous ones (over the kept rows); ``timestamp`` is
    kept. Every kept rating counts as a positive (label = rating > 0).

    Args:
        split: ``'random'`` (per-user, RecBole rule), ``'leave_one_out'`` or ``'temporal'``.
        ratios: Split shares for ``'random'`` / ``'temporal'``.
        seed: Seed of the random split.
        min_rating: Keep only ratings >= this value (``None`` keeps all 100,000).
        validation: For ``'leave_one_out'``: hold out a validation interaction.
        data_home: Data home override.

    Returns:
        A :class:`DataSplit` with ``item_features`` = the 19 genre flags of ``u.item``
        and ``user_features`` = one-hot age group (7, MovieLens 1M's groups), gender
        (2) and occupation (21) of ``u.user``; ``metadata['item_titles']`` holds the
        title of every item (``u.item``), by remapped id.

    Raises:
        DataFileNotFoundError: ``u.data``, ``u.item``, ``u.genre``, ``u.user`` or
            ``u.occupation`` is missing.
        DataError: A malformed line, or ``min_rating`` leaves nothing.
        UnknownOptionError: Unknown ``split`` or invalid ``ratios``.
    """
    loader = 'load_ml100k'
    path = dataset_file(ML100K_FOLDER, 'u.data', data_home, loader)
    table = read_int_table(path, 4, loader=loader)
    if check_number(min_rating, 'min_rating', loader, allow_none=True) is not None:
        table = table[table[:, 2] >= min_rating]
        if len(table) == 0:
            raise DataError(scoped(loader, f'min_rating={min_rating} keeps no rating (ratings are 1-5).'))
    users, user_id_map = remap_ids(table[:, 0])
    items, item_id_map = remap_ids(table[:, 1])
    data = make_interactions(users, items, label=table[:, 2], timestamp=table[:, 3])
    features, names, titles = _read_ml100k_genres(data_home, item_id_map)
    user_features, user_names = _read_ml100k_users(data_home, user_id_map)
    split_name = 'ml-100k'
    result = build_data_split(split_name, data, len(user_id_map), len(item_id_map), split, ratios, seed,
                              validation, item_features=features, item_feature_names=names,
                              user_features=user_features, user_feature_names=user_names,
                              user_id_map=user_id_map, item_id_map=item_id_map)
    result.metadata['item_titles'] = titles
    if min_rating is not None:
        result.protocol += f'; only ratings >= {min_rating} kept, ids remapped over them'
    return result


def load_ml1m_ratings3(split: str = 'given', ratios: Sequence[float] = (0.8, 0.1, 0.1), seed: int = 2020,
                       validation: bool = True,
                       data_home: Optional[Union[str, os.PathLike]] = None) -> DataSplit:
    """Load MovieLens 1M ratings >= 3 (836,478 interactions, 6,039 users, 3,628 items).

    Args:
        split: ``'given'`` uses ``train.txt`` / ``valid.txt`` / ``test.txt`` as they are;
            ``'random'`` re-splits all interactions of the three files per user
            (RecBole's RS protocol); ``'leave_one_out'`` holds out one random interaction
            per user (there are no timestamps).
        ratios: Split shares for ``'random'``.
        seed: Seed of the random protocols.
        validation: For ``'leave_one_out'``: hold out a validation interaction.
        data_home: Data home override.

    Returns:
        A :class:`DataSplit` (ids are the files' own 0-based ids; no item features).

    Raises:
        DataFileNotFoundError: One of the three files is missing.
        DataError: A malformed line.
        UnknownOptionError: Unknown ``split`` or invalid ``ratios``.
    """
    loader = 'load_ml1m_ratings3'
    if split not in ('given', 'random', 'leave_one_out'):
        raise UnknownOptionError(scoped(loader, f"unknown split {split!r}; valid: "
                                                "['given', 'random', 'leave_one_out'] (no timestamps)."))
    parts = []
    for filename in ML1M_RATINGS3_FILES:
        path = dataset_file(ML1M_RATINGS3_FOLDER, filename, data_home, loader)
        parts.append(make_interactions(*lists_to_pairs(read_int_lists(path, loader), path, loader=loader)))
    max_user = int(max(p['user_id'].max() for p in parts)) + 1
    max_item = int(max(p['item_id'].max() for p in parts)) + 1
    id_maps = dict(user_id_map=np.arange(max_user), item_id_map=np.arange(max_item))
    name = 'ml-1m'
    if split != 'given':
        return build_data_split(name, np.concatenate(parts), max_user, max_item, split, ratios, seed,
                                validation, **id_maps)
    protocol = ('given split of the ml-1m-ratings3 files: train.txt / valid.txt / test.txt as distributed '
                f'({len(parts[0]):,} / {len(parts[1]):,} / {len(parts[2]):,} interactions of MovieLens 1M '
                'ratings >= 3, split at random upstream; ids from 0 as in the files)')
    return data_split_from_parts(name, *parts, max_user, max_item, protocol, **id_maps)
