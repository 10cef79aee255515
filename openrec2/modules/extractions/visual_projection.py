"""VisualProjection: VBPR's item representation from item features.

He and McAuley, "VBPR: Visual Bayesian Personalized Ranking from Implicit Feedback",
AAAI 2016. An item's feature vector ``f_i`` (CNN image features in the paper; any
side features here) is projected by a learned matrix ``E`` into the visual factor
space (``E f_i``), and a learned vector ``beta'`` gives the item's visual bias
(``<beta', f_i>``).
"""

from __future__ import annotations

from typing import Optional, Tuple

import tensorflow.compat.v1 as tf

from openrec2.errors import ShapeError, scoped
from openrec2.modules.checks import require_tensor
from openrec2.modules.extractions.extraction import Extraction
from openrec2.modules.extractions.latent_factor import make_initializer
from openrec2.validation import check_int


class VisualProjection(Extraction):
    """Project item features: ``E f_i`` (``[N, dim]``) and the visual bias ``<beta', f_i>``.

    Outputs ``[projected [N, dim], visual_bias [N, 1]]`` for ``features``. Its loss is
    ``l2_reg * (l2_loss(E) + l2_loss(beta'))``. :meth:`project` applies the same
    variables to other feature rows (e.g. adversarially perturbed ones) without
    creating any variable.

    Args:
        features: ``[N, F]`` float feature rows (``F`` known).
        dim: Size of the projected (visual factor) space.
        l2_reg: L2 weight on ``E`` and ``beta'``.
        init: Initialiser of ``E`` (``'normal'``, ``'zero'`` or an ``[F, dim]`` array);
            ``beta'`` starts at zero.
        scope: Variable scope (default ``visual_projection``).
        reuse: Share the variables of an earlier VisualProjection with the same scope.

    Raises:
        ShapeError: ``features`` is not 2-d with a known width.
        SettingError: ``dim`` is not a positive integer.
        DTypeError: ``features`` is not floating point.
    """

    def __init__(self, features, dim: int, l2_reg: Optional[float] = None, init="normal",
                 scope: Optional[str] = None, reuse=False):
        name = scope or self.default_scope_name()
        self._features = require_tensor(features, name, "features", ranks=[2], integer=False)
        if self._features.shape[1] is None:
            raise ShapeError(scoped(name, "`features` must have a known width F (shape [N, F])."))
        self._dim = check_int(dim, "dim", name)
        self._num_features = int(self._features.shape[1])
        self._init = init
        super().__init__(train=True, l2_reg=l2_reg, scope=scope, reuse=reuse)

    def _build_shared_graph(self) -> None:
        shape = [self._num_features, self._dim]
        self._projection = tf.get_variable("projection", shape=shape, dtype=tf.float32,
                                           initializer=make_initializer(self._init, shape, self._scope))
        self._bias_weights = tf.get_variable("visual_bias", shape=[self._num_features, 1], dtype=tf.float32,
                                             initializer=tf.zeros_initializer())
        self._outputs.extend(self.project(self._features))
        self._add_l2([self._projection, self._bias_weights])

    def project(self, features: tf.Tensor) -> Tuple[tf.Tensor, tf.Tensor]:
        """Apply the projection to other ``[M, F]`` feature rows.

        Args:
            features: ``[M, F]`` float rows (same ``F``).

        Returns:
            ``(E f [M, dim], <beta', f> [M, 1])``.

        Raises:
            ShapeError: the width is not ``F``.
        """
        features = require_tensor(features, self._scope, "features", ranks=[2], integer=False)
        if features.shape[1] is not None and int(features.shape[1]) != self._num_features:
            raise ShapeError(scoped(self._scope, (
                f"`features` has width {features.shape[1]} but the projection was built for "
                f"{self._num_features} features.")))
        return tf.matmul(features, self._projection), tf.matmul(features, self._bias_weights)

    @property
    def projection(self) -> tf.Variable:
        """The ``[F, dim]`` matrix ``E``."""
        return self._projection

    @property
    def bias_weights(self) -> tf.Variable:
        """The ``[F, 1]`` visual-bias vector ``beta'``."""
        return self._bias_weights
