"""Modules: the reusable pieces recommenders are composed of.

The module classes live in the sub-packages :mod:`openrec2.modules.extractions`,
:mod:`openrec2.modules.interactions`, :mod:`openrec2.modules.fusions` and
:mod:`openrec2.modules.recurrent`; this package exports the :class:`Module` base and
the graph building blocks the built-in models share (perturbations, penalties,
TransH geometry, Dice, Gumbel-softmax, large-array initialisers).
"""

from openrec2.modules.adversarial_perturbation import (check_attack_settings, default_eps_iter, fgsm_perturbation,
                                                       msap_perturbation, projected_step)
from openrec2.modules.array_initializer import array_initializer, initializer_feeds
from openrec2.modules.dice import Dice
from openrec2.modules.feature_perturbation import FeaturePerturbation
from openrec2.modules.gumbel_softmax import convert_to_one_hot, st_gumbel_softmax
from openrec2.modules.module import Module, snake_case
from openrec2.modules.norm_penalty import norm_penalty
from openrec2.modules.row_norms import project_rows
from openrec2.modules.transh import (norm_excess_loss, orthogonality_loss, project_to_hyperplane, transh_distance,
                                     translation_distance)

__all__ = ["Dice", "FeaturePerturbation", "Module", "array_initializer", "check_attack_settings",
           "convert_to_one_hot", "default_eps_iter", "fgsm_perturbation", "initializer_feeds", "msap_perturbation",
           "norm_excess_loss", "norm_penalty", "orthogonality_loss", "project_rows", "project_to_hyperplane",
           "projected_step", "snake_case", "st_gumbel_softmax", "transh_distance", "translation_distance"]
