"""Recommenders: one file per model, all built from modules."""

from openrec2.recommenders.bpr import BPR
from openrec2.recommenders.matrix_factorization import MatrixFactorization
from openrec2.recommenders.pmf import PMF
from openrec2.recommenders.recommender import Recommender

__all__ = ["BPR", "MatrixFactorization", "PMF", "Recommender"]
