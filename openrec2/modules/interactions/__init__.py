"""Interaction modules: scores and training losses."""

from openrec2.modules.interactions.interaction import Interaction
from openrec2.modules.interactions.pairwise_log import PairwiseLog
from openrec2.modules.interactions.pointwise_mlp_ce import PointwiseMLPCE
from openrec2.modules.interactions.pointwise_mse import PointwiseMSE
from openrec2.modules.interactions.transh_margin import TransHMargin
from openrec2.modules.interactions.tup import TUP

__all__ = ["Interaction", "PairwiseLog", "PointwiseMLPCE", "PointwiseMSE", "TransHMargin", "TUP"]
