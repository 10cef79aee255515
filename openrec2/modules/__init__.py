"""Modules: the reusable pieces recommenders are composed of.

The module classes live in the sub-packages :mod:`openrec2.modules.extractions`,
:mod:`openrec2.modules.interactions`, :mod:`openrec2.modules.fusions` and
:mod:`openrec2.modules.recurrent`; this package exports the :class:`Module` base and
the graph building blocks the built-in models share (perturbations, TransH geometry,
Dice, Gumbel-softmax). Helpers whose function is named like its file stay at their
module's path (``openrec2.modules.norm_penalty.norm_penalty``,
``openrec2.modules.array_initializer.array_initializer``), so that the module itself
remains reachable as an attribute of the package.
"""

from openrec2.modules.adversarial_perturbation import (
                                                       check_attack_settings,
                                                       default_eps_iter,
                                                       fgsm_perturbation,
                                                       msap_perturbation,
                                                       projected_step,
)
from openrec2.modules.dice import Dice
from openrec2.modules.feature_perturbation import FeaturePerturbation
from openrec2.modules.gumbel_softmax import convert_to_one_hot, st_gumbel_softmax
from openrec2.modules.module import Module, snake_case
from openrec2.modules.row_norms import project_rows
from openrec2.modules.transh import (
                                                       norm_excess_loss,
                                                       orthogonality_loss,
                                                       project_to_hyperplane,
                                                       transh_distance,
                                                       translation_distance,
)

__all__ = ["Dice", "FeaturePerturbation", "Module", "check_attack_settings", "convert_to_one_hot", "default_eps_iter",
           "fgsm_perturbation", "msap_perturbation", "norm_excess_loss", "orthogonality_loss", "project_rows",
           "project_to_hyperplane", "projected_step", "snake_case", "st_gumbel_softmax", "transh_distance",
           "translation_distance"]
