"""Named-dataset registries: interaction splits, splits with a knowledge graph, behaviour sequences,
labelled CTR feature examples.

:func:`load_dataset` dispatches a name to its interaction loader (:data:`LOADERS`);
:data:`KG_LOADERS` name the datasets that come with a knowledge graph ,
:data:`SEQUENCE_LOADERS` those that give time-ordered behaviour sequences and
:data:`CTR_LOADERS` those that give labelled CTR examples with dense and categorical
features (DLRM).
"""

from __future__ import annotations

import inspect
from typing import Any, Callable

from openrec2.datasets.amazon_beauty import load_amazon_beauty
from openrec2.datasets.citeulike import load_citeulike_a
from openrec2.datasets.data_split import DataSplit
from openrec2.datasets.knowledge_graph import load_ml1m_kg, load_ml100k_kg
from openrec2.datasets.movielens import load_ml1m_ratings3, load_ml100k
from openrec2.datasets.movielens_ctr import load_ml100k_ctr
from openrec2.datasets.sequences import load_beauty_sequences, load_ml100k_sequences
from openrec2.datasets.synthetic import make_planted_implicit
from openrec2.datasets.synthetic_ctr import make_planted_ctr
from openrec2.errors import UnknownOptionError, scoped


def load_ml1m_kg_interactions(split: str = 'given', ratios=(0.8, 0.1, 0.1), seed: int = 2020,
                              data_home=None) -> DataSplit:
    """The interactions of :func:`~openrec2.datasets.load_ml1m_kg` (the graph stays in
    ``split.metadata['knowledge_graph']``), so any model trains on ``ml-1m-kg``.

    Args:
        split: ``'given'`` or ``'random'``.
        ratios: Split shares for ``'random'``.
        seed: Seed of ``'random'``.
        data_home: Data home override.

    Returns:
        The :class:`DataSplit`.
    """
    return load_ml1m_kg(split=split, ratios=ratios, seed=seed, data_home=data_home)[0]


LOADERS: dict[str, Callable[..., DataSplit]] = {
    'ml-100k': load_ml100k,
    'ml-1m': load_ml1m_ratings3,
    'ml-1m-kg': load_ml1m_kg_interactions,
    'citeulike-a': load_citeulike_a,
    'amazon-beauty': load_amazon_beauty,
    'synthetic': make_planted_implicit,
}

#: Datasets with a knowledge graph: name -> loader returning ``(DataSplit, KnowledgeGraph)``.
KG_LOADERS: dict[str, Callable[..., tuple]] = {
    'ml-100k': load_ml100k_kg,
    'ml-1m-kg': load_ml1m_kg,
}

#: Datasets of time-ordered behaviour sequences: name -> loader returning ``BehaviourSequences``.
SEQUENCE_LOADERS: dict[str, Callable[..., Any]] = {
    'amazon-beauty': load_beauty_sequences,
    'ml-100k': load_ml100k_sequences,
}

#: Datasets of labelled CTR examples: name -> loader returning a :class:`~openrec2.datasets.ctr_split.CTRSplit`.
CTR_LOADERS: dict[str, Callable[..., Any]] = {
    'ml-100k': load_ml100k_ctr,
    'synthetic': make_planted_ctr,
}


def load_dataset(name: str, **kwargs: Any) -> DataSplit:
    """Load a named dataset.

    Args:
        name: One of ``'ml-100k'``, ``'ml-1m'`` (ratings >= 3), ``'ml-1m-kg'``,
            ``'citeulike-a'``, ``'amazon-beauty'``, ``'synthetic'``.
        **kwargs: Keyword arguments of that dataset's loader (``split``, ``ratios``,
            ``seed``, ``data_home``, ...).

    Returns:
        The loader's :class:`DataSplit`.

    Raises:
        UnknownOptionError: Unknown name, or a keyword the loader does not take.
    """
    return call_loader(LOADERS, name, 'load_dataset', **kwargs)


def call_loader(loaders: dict, name: str, scope: str, **kwargs: Any) -> Any:
    """Call the loader registered under ``name`` with keywords it takes.

    Args:
        loaders: A registry (:data:`LOADERS`, :data:`KG_LOADERS`, :data:`SEQUENCE_LOADERS`,
            :data:`CTR_LOADERS`).
        name: Dataset name.
        scope: Who asks, for messages.
        **kwargs: Loader keywords.

    Returns:
        What the loader returns.

    Raises:
        UnknownOptionError: Unknown name, or a keyword the loader does not take.
    """
    loader = loaders.get(name)
    if loader is None:
        raise UnknownOptionError(scoped(scope, f'unknown dataset {name!r}; valid names: {sorted(loaders)}.'))
    accepted = list(inspect.signature(loader).parameters)
    unknown = sorted(set(kwargs) - set(accepted))
    if unknown:
        raise UnknownOptionError(scoped(scope, f'dataset {name!r} ({loader.__name__}) takes no '
                                               f'argument(s) {unknown}; valid: {accepted}.'))
    return loader(**kwargs)
