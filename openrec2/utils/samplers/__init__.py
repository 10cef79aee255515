"""Samplers: background threads that yield dict batches keyed by model inputs, and the
evaluation samplers (users, candidates or labelled examples to score).

``RandomPairwiseSampler`` is ``PairwiseSampler`` and ``PointwiseSampler`` is
``StratifiedPointwiseSampler`` (the same classes under their newer / legacy names).
"""

from openrec2.utils.samplers.ctr_sampler import CTRSampler, labelled_ctr_sampler
from openrec2.utils.samplers.evaluation import EvaluationSampler, draw_fixed_negatives
from openrec2.utils.samplers.example_evaluation import CandidateEvaluationSampler, LabelledEvaluationSampler
from openrec2.utils.samplers.explicit import ExplicitSampler
from openrec2.utils.samplers.item_feature_rows import without_item_features
from openrec2.utils.samplers.kg_sampler import KGSampler, corrupt_tails
from openrec2.utils.samplers.negatives import sample_negatives
from openrec2.utils.samplers.next_item import (
    TEMPORAL_KEYS, YOUTUBE_KEYS, NextItemKeys, NextItemSampler, next_item_batch, next_item_examples)
from openrec2.utils.samplers.next_item_evaluation import NextItemEvaluationSampler
from openrec2.utils.samplers.npairwise import NPairwiseSampler
from openrec2.utils.samplers.pairwise import PairwiseSampler, RandomPairwiseSampler
from openrec2.utils.samplers.pointwise import PointwiseSampler, StratifiedPointwiseSampler
from openrec2.utils.samplers.positive_cells import PositiveCellSampler
from openrec2.utils.samplers.random_pointwise import RandomPointwiseSampler
from openrec2.utils.samplers.sampler import Sampler
from openrec2.utils.samplers.sequence_examples import (
                                                       labelled_sequence_examples,
                                                       labelled_sequence_sampler,
                                                       ranking_sequence_sampler,
                                                       sampled_ranking_examples,
                                                       sequence_examples,
)
from openrec2.utils.samplers.sequence_sampler import SequenceSampler
from openrec2.utils.samplers.vbpr_evaluation_sampler import VBPREvaluationSampler
from openrec2.utils.samplers.vbpr_pairwise_sampler import VBPRPairwiseSampler
from openrec2.utils.samplers.youtube_evaluation_sampler import YouTubeEvaluationSampler
from openrec2.utils.samplers.youtube_sampler import YouTubeSampler
from openrec2.utils.samplers.sequence_targets import SequenceTargetSampler
from openrec2.utils.samplers.temporal_evaluation_sampler import TemporalEvaluationSampler
from openrec2.utils.samplers.temporal_sampler import TemporalSampler

__all__ = ['CTRSampler', 'CandidateEvaluationSampler', 'EvaluationSampler', 'ExplicitSampler', 'KGSampler',
           'LabelledEvaluationSampler', 'NPairwiseSampler', 'NextItemEvaluationSampler', 'NextItemKeys',
           'NextItemSampler', 'TEMPORAL_KEYS', 'YOUTUBE_KEYS', 'PairwiseSampler', 'PointwiseSampler',
           'PositiveCellSampler', 'RandomPairwiseSampler', 'RandomPointwiseSampler', 'Sampler',
           'SequenceSampler', 'SequenceTargetSampler', 'StratifiedPointwiseSampler',
           'TemporalEvaluationSampler', 'TemporalSampler', 'VBPREvaluationSampler', 'VBPRPairwiseSampler',
           'YouTubeEvaluationSampler', 'YouTubeSampler', 'corrupt_tails', 'draw_fixed_negatives',
           'labelled_ctr_sampler', 'labelled_sequence_examples', 'labelled_sequence_sampler',
           'next_item_batch', 'next_item_examples', 'ranking_sequence_sampler', 'sample_negatives', 'sampled_ranking_examples',
           'sequence_examples', 'without_item_features']
