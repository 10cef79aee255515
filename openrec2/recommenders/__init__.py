"""Recommenders: one file per model, all built from modules."""

from openrec2.recommenders.amr import AMR
from openrec2.recommenders.bpr import BPR
from openrec2.recommenders.convncf import ConvNCF
from openrec2.recommenders.dien import DIEN
from openrec2.recommenders.ktup import KTUP
from openrec2.recommenders.matrix_factorization import MatrixFactorization
from openrec2.recommenders.pmf import PMF
from openrec2.recommenders.recommender import Recommender
from openrec2.recommenders.vbpr import VBPR

__all__ = ["AMR", "BPR", "DIEN", "ConvNCF", "KTUP", "MatrixFactorization", "PMF", "Recommender", "VBPR"]
