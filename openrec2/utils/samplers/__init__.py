"""Training samplers: background threads that yield dict batches keyed by model inputs.

``RandomPairwiseSampler`` is ``PairwiseSampler`` and ``PointwiseSampler`` is
``StratifiedPointwiseSampler`` (the same classes under their newer / legacy names).
"""

from openrec2.utils.samplers.evaluation import EvaluationSampler
from openrec2.utils.samplers.explicit import ExplicitSampler
from openrec2.utils.samplers.npairwise import NPairwiseSampler
from openrec2.utils.samplers.pairwise import PairwiseSampler, RandomPairwiseSampler
from openrec2.utils.samplers.pointwise import PointwiseSampler, StratifiedPointwiseSampler
from openrec2.utils.samplers.random_pointwise import RandomPointwiseSampler
from openrec2.utils.samplers.sampler import Sampler
from openrec2.utils.samplers.kg_sampler import KGSampler, corrupt_tails

__all__ = ['Sampler', 'PairwiseSampler', 'RandomPairwiseSampler', 'NPairwiseSampler', 'PointwiseSampler',
           'StratifiedPointwiseSampler', 'RandomPointwiseSampler', 'ExplicitSampler',
           'EvaluationSampler', 'KGSampler', 'corrupt_tails']
