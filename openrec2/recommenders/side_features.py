"""Side features in a matrix-factorisation representation (the content models).

Legacy OpenRec's content models add to a user's (or item's) latent factors an
encoding of its feature vector: ``Average([latent, MLP(features)], weight=2)``, i.e.
their sum (VisualPMF, VisualBPR, UserPMF, ...); CDL encodes with an SDAE;
ConcatVisualBPR concatenates instead of adding. A :class:`FeatureTower` is that
encoding for one side; the :class:`ItemContent` / :class:`UserContent` mixins plug it
into :class:`~openrec2.recommenders.matrix_factorization.MatrixFactorization`'s
representation hooks.

The feature matrix is held in a non-trainable variable (:class:`~openrec2.modules.extractions.LookUp`,
saved with the model; matrices over 64 MB are fed at initialisation, so there is no
2 GB graph limit) and gathered by id inside the graph: batches carry ids only.
"""

from __future__ import annotations

from typing import Optional, Sequence

import tensorflow.compat.v1 as tf

from openrec2.errors import ShapeError, scoped
from openrec2.modules.checks import require_dims, require_rate
from openrec2.modules.extractions import LookUp, MultiLayerFC
from openrec2.modules.fusions import Average, Concat
from openrec2.modules.module import Module
from openrec2.utils.item_features import load_item_features
from openrec2.validation import check_choice, check_non_negative


class FeatureTower:
    """Encode one side's feature rows and fuse them with its latent factors.

    Args:
        side: ``'user'`` or ``'item'`` (module names ``<side>_features``, ``<side>_MLP``).
        features: ``[rows, F]`` numpy array or h5py dataset.
        rows: Number of ids of that side (``max_user`` / ``max_item``).
        dims: Widths of the encoder layers; the last is the encoding size.
        dropout: Drop probability inside the encoder (training only).
        l2_reg: L2 weight on the encoder's weights.
        fusion: ``'average'`` (``2 * mean``, the sum of latent and encoding; the
            encoding size must equal the latent size) or ``'concat'``.
        scope: Model scope, for messages.
        argument: Constructor argument holding the features, for messages.
        dims_setting: Constructor argument holding ``dims``, for messages.

    Raises:
        ShapeError / DTypeError / DataError: a bad feature matrix.
        SettingError: bad ``dims``, ``dropout``, ``l2_reg`` or ``fusion``.
    """

    def __init__(self, side: str, features, rows: int, dims: Sequence[int], dropout: Optional[float] = None,
                 l2_reg: Optional[float] = None, fusion: str = "average", scope: str = "model",
                 argument: str = "item_f_source", dims_setting: str = "dims"):
        self.side = check_choice(side, "side", scope, ("user", "item"))
        self.features = load_item_features(features, rows, scope, argument)
        self.dims = require_dims(dims, scope, dims_setting)
        self.dropout = require_rate(dropout, scope, "dropout_rate")
        self.l2_reg = check_non_negative(l2_reg, "l2_reg_mlp", scope, allow_none=True)
        self.fusion = check_choice(fusion, "fusion", scope, ("average", "concat"))
        self.scope, self.argument, self.dims_setting = scope, argument, dims_setting

    @property
    def width(self) -> int:
        """Size of the encoding."""
        return int(self.dims[-1])

    def check_latent_size(self, latent_size: int, setting: str) -> None:
        """Refuse an encoding that cannot be added to latent factors of ``latent_size``.

        Raises:
            ShapeError: average fusion with ``dims[-1] != latent_size``.
        """
        if self.fusion == "average" and self.width != latent_size:
            raise ShapeError(scoped(self.scope, (
                f"the last of {self.dims_setting}={list(self.dims)} must equal {setting}={latent_size}: "
                "the encoding is added to the latent factors.")))

    def encoder(self, rows: tf.Tensor, train: bool) -> Module:
        """The encoder module of feature rows (an MLP here; CDL's tower uses an SDAE)."""
        return MultiLayerFC(rows, self.dims, dropout_mid=self.dropout, train=train, l2_reg=self.l2_reg,
                            scope=f"{self.side}_MLP")

    def represent(self, model, latent: tf.Tensor, ids: Optional[tf.Tensor], train: bool) -> tf.Tensor:
        """Fuse ``latent`` with the encoding of the features of ``ids`` (every row if None).

        Args:
            model: The recommender (its modules are registered there, so their losses
                join the training objective).
            latent: ``[M, d]`` latent factors of those ids.
            ids: ``[M]`` ids, or None for every row in id order.
            train: Training or serving graph.

        Returns:
            ``[M, d']`` representations.
        """
        table = model._add_module(f"{self.side}_features", LookUp(self.features, scope=f"{self.side}_features"),
                                  train=train).get_outputs()[0]
        rows = table if ids is None else tf.gather(table, ids)
        encoding = model._add_module(f"{self.side}_f", self.encoder(rows, train), train=train)
        fusion = (Average([latent, encoding.get_outputs()[0]], weight=2.0, scope=f"{self.side}_average")
                  if self.fusion == "average" else Concat([latent, encoding.get_outputs()[0]],
                                                           scope=f"{self.side}_concat"))
        return model._add_module(f"{self.side}_vec_fused", fusion, train=train).get_outputs()[0]


class ItemContent:
    """Mixin: items are represented by latent factors fused with their feature encoding.

    Set ``self._item_tower`` (a :class:`FeatureTower`) before the base constructor
    builds the graph.
    """

    _item_tower: FeatureTower

    def _set_item_features(self, item_f_source, max_item: int, dims, dropout_rate, l2_reg_mlp, dim_embed: int) -> None:
        """Make the item :class:`FeatureTower` (MLP encoding added to factors of ``dim_embed``)."""
        self._item_tower = FeatureTower("item", item_f_source, max_item, dims, dropout_rate, l2_reg_mlp,
                                        scope=type(self).__name__.lower())
        self._item_tower.check_latent_size(dim_embed, "dim_embed")

    def _item_representation(self, latent, ids, train):
        return self._item_tower.represent(self, latent, ids, train)

    def embedding_tensors(self):
        """The base model's tables plus every item's feature encoding (``projected_item_features``)."""
        return {**super().embedding_tensors(), "projected_item_features": (self._output("item_f", False), None)}

    @property
    def item_features(self):
        """The ``[max_item, F]`` item feature matrix (a copy)."""
        return self._item_tower.features.copy()


class UserContent:
    """Mixin: users are represented by latent factors fused with their feature encoding.

    Set ``self._user_tower`` (a :class:`FeatureTower`) before the base constructor
    builds the graph.
    """

    _user_tower: FeatureTower

    def _user_representation(self, latent, ids, train):
        return self._user_tower.represent(self, latent, ids, train)

    def embedding_tensors(self):
        """The base model's tables plus the users' feature encodings (``projected_user_features``, by ``user_id``)."""
        return {**super().embedding_tensors(),
                "projected_user_features": (self._output("user_f", False), "user_id")}

    @property
    def user_features(self):
        """The ``[max_user, F]`` user feature matrix (a copy)."""
        return self._user_tower.features.copy()
