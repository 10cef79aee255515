"""MovieLens 100K as a labelled CTR dataset with dense and categorical features.

Built on :func:`~openrec2.datasets.load_ml100k` (its split protocols, remapped ids,
genres and demographics), for feature-interaction CTR models such as DLRM (Naumov et
al., "Deep Learning Recommendation Model for Personalization and Recommendation
Systems", 2019). Every rating is one example:

* label: 1 when the rating is at least ``like_threshold`` (default 4: 55% of the
  ratings), else 0, so the task is "will the user like the movie they watch";
* categorical columns: user id, item id, age group (7 groups), gender, occupation
  (21), zip-code region (first digit; one more id for non-numeric codes), release
  decade (one more id for unknown dates);
* dense columns: user age, release year, log(1 + ratings of the user) and log(1 +
  ratings of the item) counted on the training split only, each standardised with the
  training rows' mean and deviation, then the 19 genre flags as 0/1.

No label information enters a feature (counts, not mean ratings), so the training rows
do not leak their labels.
"""

from __future__ import annotations

import os
from typing import Optional, Sequence, Union

import numpy as np

from openrec2.datasets.ctr_split import CTRSplit, ctr_split_from_rows
from openrec2.datasets.data_home import dataset_file
from openrec2.datasets.movielens import ML100K_FOLDER, load_ml100k
from openrec2.datasets.parsing import read_lines
from openrec2.errors import DataError, scoped
from openrec2.utils.ctr_examples import CTRExamples
from openrec2.validation import check_number

_LOADER = 'load_ml100k_ctr'
#: Name of the CTR view of MovieLens 100K.
ML100K_CTR_NAME = 'ml-100k-ctr'
#: Zip regions: the first digit 0-9, and one id for codes that do not start with a digit.
_ZIP_REGIONS = 11


def _field_by_id(filename: str, column: int, data_home, expected: str) -> dict[int, str]:
    """``{original id: field}`` of a ``|``-separated ML-100K file."""
    path = dataset_file(ML100K_FOLDER, filename, data_home, _LOADER)
    fields_by_id = {}
    for number, line in enumerate(read_lines(path, _LOADER), start=1):
        if not line.strip():
            continue
        fields = line.rstrip('\n').split('|')
        if len(fields) <= column or not fields[0].isdigit():
            raise DataError(scoped(_LOADER, f'{path}: line {number} is malformed: {line[:80]!r}; expected {expected}.'))
        fields_by_id[int(fields[0])] = fields[column]
    return fields_by_id


def _aligned(fields_by_id: dict, id_map: np.ndarray, filename: str) -> list:
    missing = [int(i) for i in id_map if int(i) not in fields_by_id]
    if missing:
        raise DataError(scoped(_LOADER, f'{filename} lacks the id(s) {missing[:5]}.'))
    return [fields_by_id[int(i)] for i in id_map]


def _user_age_and_region(data_home, user_id_map: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Age (float) and zip region id of each remapped user."""
    expected = '"id|age|gender|occupation|zip code"'
    ages = _aligned(_field_by_id('u.user', 1, data_home, expected), user_id_map, 'u.user')
    zips = _aligned(_field_by_id('u.user', 4, data_home, expected), user_id_map, 'u.user')
    region = np.array([int(code[0]) if code[:1].isdigit() else _ZIP_REGIONS - 1 for code in zips])
    return np.array(ages, dtype=np.float64), region


def _release_years(data_home, item_id_map: np.ndarray) -> np.ndarray:
    """Release year of each remapped item (NaN when ``u.item`` has no date)."""
    dates = _aligned(_field_by_id('u.item', 2, data_home, '"id|title|release date|..."'), item_id_map, 'u.item')
    return np.array([float(date[-4:]) if date[-4:].isdigit() else np.nan for date in dates])


def _block_ids(features: np.ndarray, names: list, prefix: str) -> tuple[np.ndarray, int]:
    """The id within a one-hot block of columns (named ``prefix...``) of every row, and the block width."""
    columns = [j for j, name in enumerate(names) if name.startswith(prefix)]
    return features[:, columns].argmax(axis=1), len(columns)


def _standardise(values: np.ndarray, train_rows: np.ndarray) -> np.ndarray:
    """``(values - mean) / std`` with the statistics of the training rows."""
    mean, std = values[train_rows].mean(axis=0), values[train_rows].std(axis=0)
    return (values - mean) / np.where(std > 0, std, 1.0)


def load_ml100k_ctr(split: str = 'random', ratios: Sequence[float] = (0.8, 0.1, 0.1), seed: int = 2020,
                    like_threshold: float = 4, data_home: Optional[Union[str, os.PathLike]] = None) -> CTRSplit:
    """Load MovieLens 100K ratings as labelled CTR examples (see the module docstring).

    Args:
        split: Protocol of :func:`~openrec2.datasets.load_ml100k`: ``'random'``
            (per-user 8:1:1, seeded), ``'temporal'`` (per-user by time) or
            ``'leave_one_out'``.
        ratios: Split shares.
        seed: Seed of the random split.
        like_threshold: Ratings at or above it are label 1.
        data_home: Data home override.

    Returns:
        The :class:`~openrec2.datasets.ctr_split.CTRSplit` (name ``'ml-100k-ctr'``).

    Raises:
        DataFileNotFoundError: A file of ``ml-100k`` is missing.
        DataError: A malformed line.
        UnknownOptionError: Unknown ``split`` or invalid ``ratios``.
    """
    threshold = check_number(like_threshold, 'like_threshold', _LOADER)
    ratings = load_ml100k(split=split, ratios=ratios, seed=seed, data_home=data_home)
    parts = [ratings.train.data, ratings.validation.data, ratings.test.data]
    users = np.concatenate([p['user_id'] for p in parts]).astype(np.int64)
    items = np.concatenate([p['item_id'] for p in parts]).astype(np.int64)
    labels = (np.concatenate([p['label'] for p in parts]) >= threshold).astype(np.float32)
    part = np.repeat([0, 1, 2], [len(p) for p in parts])
    train_rows = part == 0

    age, region = _user_age_and_region(data_home, ratings.user_id_map)
    year = _release_years(data_home, ratings.item_id_map)
    known_year = np.isfinite(year)
    year = np.where(known_year, year, np.median(year[known_year]))  # unknown dates: the median year
    # Decade ids from 1 (the oldest decade); id 0 is an unknown date.
    decade = np.where(known_year, year // 10 - year[known_year].min() // 10 + 1, 0).astype(np.int64)
    user_count = np.bincount(users[train_rows], minlength=ratings.max_user)
    item_count = np.bincount(items[train_rows], minlength=ratings.max_item)
    numeric = np.stack([age[users], year[items], np.log1p(user_count[users]), np.log1p(item_count[items])], axis=1)
    dense = np.concatenate([_standardise(numeric, train_rows), ratings.item_features[items]], axis=1)

    names = ratings.user_feature_names
    blocks = [_block_ids(ratings.user_features, names, prefix) for prefix in ('age_', 'gender_', 'occupation_')]
    sparse = np.stack([users, items] + [ids[users] for ids, _ in blocks] + [region[users], decade[items]], axis=1)
    cardinalities = ([ratings.max_user, ratings.max_item] + [width for _, width in blocks]
                     + [_ZIP_REGIONS, int(decade.max()) + 1])
    examples = CTRExamples(
        ML100K_CTR_NAME, users, items, labels, dense, sparse, cardinalities, ratings.max_user, ratings.max_item,
        dense_names=['age', 'release_year', 'log_user_train_ratings', 'log_item_train_ratings']
        + [f'genre_{g}' for g in ratings.item_feature_names],
        sparse_names=['user_id', 'item_id', 'age_group', 'gender', 'occupation', 'zip_region', 'release_decade'])
    protocol = (f'{ratings.protocol}; every rating one example, label = rating >= {threshold:g} '
                f'({labels.mean():.1%} positive); categorical: user, item, age group, gender, occupation, zip '
                'region, release decade; dense: age, release year, log(1 + user / item ratings in train) '
                '(standardised on train), 19 genre flags')
    return ctr_split_from_rows(ML100K_CTR_NAME, examples, part, protocol)
