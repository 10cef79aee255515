"""Recommenders: one file per model, all built from modules."""

from openrec2.recommenders.amr import AMR
from openrec2.recommenders.bpr import BPR
from openrec2.recommenders.cdl import CDL
from openrec2.recommenders.cml import CML
from openrec2.recommenders.concat_visual_bpr import ConcatVisualBPR
from openrec2.recommenders.convncf import ConvNCF
from openrec2.recommenders.dien import DIEN
from openrec2.recommenders.dlrm import DLRM
from openrec2.recommenders.gmf import GMF
from openrec2.recommenders.itr_mlp import ItrMLP
from openrec2.recommenders.ktup import KTUP
from openrec2.recommenders.matrix_factorization import MatrixFactorization
from openrec2.recommenders.nbpr import NBPR
from openrec2.recommenders.pmf import PMF
from openrec2.recommenders.recommender import Recommender
from openrec2.recommenders.ucml import UCML
from openrec2.recommenders.rnn_rec import RNNRec
from openrec2.recommenders.user_pmf import UserPMF
from openrec2.recommenders.user_visual_pmf import UserVisualPMF
from openrec2.recommenders.vanilla_youtube_rec import VanillaYouTubeRec
from openrec2.recommenders.vbpr import VBPR
from openrec2.recommenders.visual_bpr import VisualBPR
from openrec2.recommenders.visual_cml import VisualCML
from openrec2.recommenders.visual_gmf import VisualGMF
from openrec2.recommenders.visual_pmf import VisualPMF
from openrec2.recommenders.wcml import WCML
from openrec2.recommenders.wrmf import WRMF
from openrec2.recommenders.youtube_rec import YouTubeRec

__all__ = ["AMR", "BPR", "CDL", "CML", "ConcatVisualBPR", "ConvNCF", "DIEN", "DLRM", "GMF", "ItrMLP",
           "KTUP", "MatrixFactorization", "NBPR", "PMF", "RNNRec", "Recommender", "UCML", "UserPMF",
           "UserVisualPMF", "VBPR", "VanillaYouTubeRec", "VisualBPR", "VisualCML", "VisualGMF", "VisualPMF",
           "WCML", "WRMF", "YouTubeRec"]
