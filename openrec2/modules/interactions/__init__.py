"""Interaction modules: scores and training losses (and the scoring helpers they share)."""

from openrec2.modules.interactions.block_map import map_row_blocks
from openrec2.modules.interactions.cnn_geometry import tower_sizes
from openrec2.modules.interactions.ctr_head import CTRHead
from openrec2.modules.interactions.full_matrix_weighted_mse import FullMatrixWeightedMSE
from openrec2.modules.interactions.interaction import Interaction
from openrec2.modules.interactions.mlp_softmax import MLPSoftmax
from openrec2.modules.interactions.ns_eu_dist import NSEuDist
from openrec2.modules.interactions.ns_log import NsLog
from openrec2.modules.interactions.outer_product_cnn import DEFAULT_BLOCK_PAIRS, OuterProductCNN
from openrec2.modules.interactions.pairwise_eu_dist import PairwiseEuDist
from openrec2.modules.interactions.pairwise_hinge import PairwiseHinge
from openrec2.modules.interactions.pairwise_interaction import PairwiseInteraction
from openrec2.modules.interactions.pairwise_log import PairwiseLog
from openrec2.modules.interactions.pointwise_ge_ce import PointwiseGeCE
from openrec2.modules.interactions.pointwise_ge_mlp_ce import PointwiseGeMLPCE
from openrec2.modules.interactions.pointwise_mlp_ce import PointwiseMLPCE
from openrec2.modules.interactions.pointwise_mse import PointwiseMSE
from openrec2.modules.interactions.rank_weights import warp_rank_weights
from openrec2.modules.interactions.rnn_softmax import RNN_CELL_TYPES, RNNSoftmax
from openrec2.modules.interactions.sampled_negatives_interaction import SampledNegativesInteraction
from openrec2.modules.interactions.score_pairwise_log import ScorePairwiseLog
from openrec2.modules.interactions.second_order_interaction import SecondOrderFeatureInteraction, pair_indices
from openrec2.modules.interactions.scoring import (all_item_distance_scores, all_item_scores, pair_distance_scores,
                                                   pair_scores)
from openrec2.modules.interactions.transh_margin import TransHMargin
from openrec2.modules.interactions.tup import DEFAULT_PAIRS_PER_CHUNK, TUP

__all__ = ["CTRHead", "DEFAULT_BLOCK_PAIRS", "DEFAULT_PAIRS_PER_CHUNK", "FullMatrixWeightedMSE",
           "Interaction", "MLPSoftmax", "NSEuDist", "NsLog", "OuterProductCNN", "PairwiseEuDist",
           "PairwiseHinge", "PairwiseInteraction", "PairwiseLog", "PointwiseGeCE", "PointwiseGeMLPCE",
           "PointwiseMLPCE", "PointwiseMSE", "RNNSoftmax", "RNN_CELL_TYPES", "SampledNegativesInteraction",
           "ScorePairwiseLog", "SecondOrderFeatureInteraction", "TUP", "TransHMargin",
           "all_item_distance_scores", "all_item_scores", "map_row_blocks", "pair_distance_scores",
           "pair_indices", "pair_scores", "tower_sizes", "warp_rank_weights"]
