"""Named-dataset registry: :func:`load_dataset` dispatches a name to its loader."""

from __future__ import annotations

import inspect
from typing import Any, Callable

from openrec2.datasets.amazon_beauty import load_amazon_beauty
from openrec2.datasets.citeulike import load_citeulike_a
from openrec2.datasets.data_split import DataSplit
from openrec2.datasets.movielens import load_ml100k, load_ml1m_ratings3
from openrec2.datasets.synthetic import make_planted_implicit
from openrec2.errors import UnknownOptionError, scoped

LOADERS: dict[str, Callable[..., DataSplit]] = {
    'ml-100k': load_ml100k,
    'ml-1m': load_ml1m_ratings3,
    'citeulike-a': load_citeulike_a,
    'amazon-beauty': load_amazon_beauty,
    'synthetic': make_planted_implicit,
}


def load_dataset(name: str, **kwargs: Any) -> DataSplit:
    """Load a named dataset.

    Args:
        name: One of ``'ml-100k'``, ``'ml-1m'`` (ratings >= 3), ``'citeulike-a'``,
            ``'amazon-beauty'``, ``'synthetic'``.
        **kwargs: Keyword arguments of that dataset's loader (``split``, ``ratios``,
            ``seed``, ``data_home``, ...).

    Returns:
        The loader's :class:`DataSplit`.

    Raises:
        UnknownOptionError: Unknown name, or a keyword the loader does not take.
    """
    loader = LOADERS.get(name)
    if loader is None:
        raise UnknownOptionError(scoped('load_dataset', f'unknown dataset {name!r}; valid names: '
                                                        f'{sorted(LOADERS)}.'))
    accepted = list(inspect.signature(loader).parameters)
    unknown = sorted(set(kwargs) - set(accepted))
    if unknown:
        raise UnknownOptionError(scoped('load_dataset', f'dataset {name!r} ({loader.__name__}) takes no '
                                                        f'argument(s) {unknown}; valid: {accepted}.'))
    return loader(**kwargs)
