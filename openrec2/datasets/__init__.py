"""Loaders for named public datasets and the split protocols they use.

Every loader returns a :class:`DataSplit` (train / validation / test
:class:`~openrec2.utils.ImplicitDataset` plus the exact protocol). Files are read from
the data home (:func:`get_data_home`); ``datasets/download.py`` fetches them.
"""

from openrec2.datasets.amazon_beauty import load_amazon_beauty
from openrec2.datasets.citeulike import load_citeulike_a
from openrec2.datasets.ctr_split import CTRSplit
from openrec2.datasets.data_home import get_data_home
from openrec2.datasets.data_split import DataSplit
from openrec2.datasets.knowledge_graph import KnowledgeGraph, load_ml1m_kg, load_ml100k_kg
from openrec2.datasets.movielens import load_ml1m_ratings3, load_ml100k
from openrec2.datasets.movielens_ctr import load_ml100k_ctr
from openrec2.datasets.registry import load_dataset
from openrec2.datasets.splits import split_leave_one_out, split_random_per_user, split_temporal
from openrec2.datasets.synthetic import make_planted_implicit
from openrec2.datasets.synthetic_ctr import make_planted_ctr

__all__ = ['CTRSplit', 'DataSplit', 'get_data_home', 'load_dataset', 'load_ml100k', 'load_ml1m_ratings3',
           'load_citeulike_a', 'load_amazon_beauty', 'make_planted_implicit',
           'split_random_per_user', 'split_leave_one_out', 'split_temporal', 'KnowledgeGraph', 'load_ml100k_kg', 'load_ml1m_kg',
           'load_ml100k_ctr', 'make_planted_ctr']
