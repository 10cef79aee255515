"""Fusion modules: combine the outputs of other modules."""

from openrec2.modules.fusions.average import Average
from openrec2.modules.fusions.concat import Concat
from openrec2.modules.fusions.fusion import Fusion
from openrec2.modules.fusions.sequence_average import SequenceAverage
from openrec2.modules.fusions.sum import Sum

__all__ = ["Average", "Concat", "Fusion", "SequenceAverage", "Sum"]
