"""The :class:`CTRSplit` the CTR dataset loaders return, and how they cut rows into it.

A CTR split is three :class:`~openrec2.utils.ctr_examples.CTRExamples` (train /
validation / test rows of labelled feature examples) with the same columns, and the
split protocol as a sentence.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from openrec2.utils.ctr_examples import CTRExamples


@dataclass
class CTRSplit:
    """Train / validation / test CTR examples of one dataset and how they were made.

    Attributes:
        name: Dataset name, e.g. ``'ml-100k-ctr'``.
        train: Training examples.
        validation: Validation examples.
        test: Test examples.
        protocol: The split and the features in words, exact enough to rebuild them.
    """

    name: str
    train: CTRExamples
    validation: CTRExamples
    test: CTRExamples
    protocol: str

    @property
    def max_user(self) -> int:
        """Number of user ids."""
        return self.train.max_user

    @property
    def max_item(self) -> int:
        """Number of item ids."""
        return self.train.max_item

    @property
    def cardinalities(self) -> list:
        """Id range of every categorical column (DLRM's ``ln_emb``)."""
        return list(self.train.cardinalities)

    @property
    def num_dense(self) -> int:
        """Number of dense feature columns."""
        return self.train.num_dense

    def __repr__(self) -> str:
        return (f'CTRSplit(name={self.name!r}, train={len(self.train)}, validation={len(self.validation)}, '
                f'test={len(self.test)}, protocol={self.protocol!r})')


def ctr_split_from_rows(name: str, examples: CTRExamples, part: np.ndarray, protocol: str) -> CTRSplit:
    """Cut one set of example rows into the three parts.

    Args:
        name: Dataset name; the parts are named ``<name>/train`` and so on.
        examples: Every example row.
        part: int ``[n]``: 0 train, 1 validation, 2 test for each row.
        protocol: The protocol sentence.

    Returns:
        The :class:`CTRSplit`.
    """
    def rows_of(index: int, label: str) -> CTRExamples:
        keep = np.flatnonzero(part == index)
        return CTRExamples(f'{name}/{label}', examples.user_id[keep], examples.item_id[keep], examples.label[keep],
                           examples.dense[keep], examples.sparse[keep], examples.cardinalities, examples.max_user,
                           examples.max_item, examples.dense_names, examples.sparse_names)

    return CTRSplit(name, rows_of(0, 'train'), rows_of(1, 'validation'), rows_of(2, 'test'), protocol)
