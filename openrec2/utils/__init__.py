"""Utilities of openrec2: datasets, samplers and evaluators.

Import-light on purpose (numpy only): ``from openrec2.utils import ImplicitDataset``
never imports TensorFlow.
"""

from openrec2.utils.ctr_examples import CTRExamples
from openrec2.utils.dataset import Dataset, ImplicitDataset
from openrec2.utils.fast_dot_product_server import FastDotProductServer

__all__ = ['CTRExamples', 'Dataset', 'FastDotProductServer', 'ImplicitDataset']
