"""TemporalLatentFactor: embeddings that evolve through a learned transition MLP.

Each row's representation is ``MLP(embedding[row])``. After a time step the caller
calls :meth:`TemporalLatentFactor.forward_update_embeddings`, which replaces the stored
embedding of every row used since the last update by its transformed value, so the
representation drifts forward in time (the temporal latent factors of legacy OpenRec).
"""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np
import tensorflow.compat.v1 as tf

from openrec2.errors import MissingInputError, ShapeError, scoped
from openrec2.modules.checks import require_dims, require_tensor
from openrec2.modules.extractions.extraction import Extraction
from openrec2.modules.extractions.latent_factor import make_initializer
from openrec2.modules.extractions.multi_layer_fc import MultiLayerFC
from openrec2.modules.layers import updates_into

#: Steps and learning rate used by ``pretrain_mlp_as_identity``.
IDENTITY_PRETRAIN_STEPS = 300
IDENTITY_PRETRAIN_LR = 0.01
IDENTITY_PRETRAIN_BATCH = 256


class TemporalLatentFactor(Extraction):
    """Latent factors passed through a transition MLP (batch-normalised, ReLU inside).

    The stored table is not trained by gradient descent (it changes only through
    :meth:`forward_update_embeddings`); the MLP is.

    Args:
        shape: ``[rows, dim]`` of the table.
        mlp_dims: Widths of the MLP layers; the last must equal ``dim``.
        ids: Integer tensor of the rows to output.
        init: ``'normal'``, ``'zero'`` or a numpy array of ``shape``.
        mlp_pretrain: Build the op that pre-trains the MLP to be the identity.
        l2_reg: L2 weight on the MLP weights.
        train: Training or serving graph.
        scope: Variable scope (default ``temporal_latent_factor``).
        reuse: Share the variables of an earlier module with the same scope.

    Raises:
        MissingInputError: ``ids`` is None.
        ShapeError: ``mlp_dims[-1]`` differs from the embedding size.
    """

    def __init__(self, shape: Sequence[int], mlp_dims: Sequence[int], ids, init="normal",
                 mlp_pretrain: bool = True, l2_reg: Optional[float] = None, train: bool = True,
                 scope: Optional[str] = None, reuse=False):
        name = scope or "temporal_latent_factor"
        if ids is None:
            raise MissingInputError(scoped(name, "`ids` is required: pass the row ids to look up."))
        self._shape = [int(s) for s in shape]
        self._mlp_dims = require_dims(mlp_dims, name, "mlp_dims")
        if self._mlp_dims[-1] != self._shape[1]:
            raise ShapeError(scoped(name, (
                f"the last of `mlp_dims` ({self._mlp_dims[-1]}) must equal the embedding "
                f"size {self._shape[1]} so the MLP maps embeddings to embeddings.")))
        self._ids = require_tensor(ids, name, "ids", integer=True)
        self._init = init
        self._mlp_pretrain = mlp_pretrain
        super().__init__(train=train, l2_reg=l2_reg, scope=scope, reuse=reuse)

    def _build_shared_graph(self) -> None:
        self._embedding = tf.get_variable(
            "embedding", shape=self._shape, dtype=tf.float32, trainable=False,
            initializer=make_initializer(self._init, self._shape, self._scope))
        # Rows used since the last forward update (only the training graph marks them).
        self._touched = tf.get_variable("touched", shape=[self._shape[0]], dtype=tf.bool,
                                        trainable=False, initializer=tf.zeros_initializer())
        flat_ids = tf.reshape(self._ids, [-1])
        rows = tf.gather(self._embedding, flat_ids)
        mlp = MultiLayerFC(rows, self._mlp_dims, batch_norm=True, relu_out=False,
                           train=self._train, l2_reg=self._l2_reg, scope="mlp")
        output = mlp.get_outputs()[0]
        if self._train:
            mark = tf.scatter_update(self._touched, flat_ids, tf.ones_like(flat_ids, dtype=tf.bool))
            with tf.control_dependencies([mark]):
                output = tf.identity(output)
        self._outputs.append(tf.reshape(output, tf.concat([tf.shape(self._ids), [self._shape[1]]], 0)))
        self._loss += mlp.get_loss()

    def _build_training_graph(self) -> None:
        # Forward update: transform every touched row with the serving-mode MLP.
        touched_ids = tf.cast(tf.reshape(tf.where(self._touched), [-1]), tf.int32)
        forward = MultiLayerFC(tf.gather(self._embedding, touched_ids), self._mlp_dims,
                               batch_norm=True, train=False, scope="mlp", reuse=True)
        with tf.control_dependencies([tf.scatter_update(self._embedding, touched_ids,
                                                        forward.get_outputs()[0])]):
            self._forward_update_op = tf.assign(self._touched, tf.zeros_like(self._touched)).op
        if self._mlp_pretrain:
            self._pretrain_ids = tf.placeholder(tf.int32, [None], name="pretrain_ids")
            rows = tf.gather(self._embedding, self._pretrain_ids)
            # These moving-average updates need the pre-training feed: keep them out of
            # the collection the recommender runs with every training step.
            collection = f"{tf.get_variable_scope().name}/pretrain_updates"
            with updates_into(collection):
                mlp = MultiLayerFC(rows, self._mlp_dims, batch_norm=True, train=True,
                                   scope="mlp", reuse=True)
            self._pretrain_updates = tf.get_collection(collection)
            self._pretrain_loss = tf.reduce_mean(tf.square(mlp.get_outputs()[0] - rows))
            with tf.variable_scope("identity_pretrain"):
                optimizer = tf.train.AdamOptimizer(IDENTITY_PRETRAIN_LR)
                self._pretrain_op = optimizer.minimize(self._pretrain_loss,
                                                       var_list=mlp.get_variables(trainable_only=True))

    def pretrain_mlp_as_identity(self, sess: tf.Session, steps: int = IDENTITY_PRETRAIN_STEPS,
                                 seed: int = 0) -> float:
        """Train the MLP to reproduce its input, so that training starts from identity.

        Args:
            sess: The session owning this module's graph (``model.sess``).
            steps: Number of Adam steps on random batches of rows.
            seed: Seed of the row sampling.

        Returns:
            The final mean squared reconstruction error.

        Raises:
            MissingInputError: the module was built with ``mlp_pretrain=False`` or
                ``train=False``.
        """
        if not (self._train and self._mlp_pretrain):
            raise MissingInputError(scoped(self._scope, (
                "identity pre-training needs the training-graph module built with mlp_pretrain=True.")))
        rng = np.random.default_rng(seed)
        loss = float("nan")
        for _ in range(steps):
            ids = rng.integers(0, self._shape[0], size=IDENTITY_PRETRAIN_BATCH, dtype=np.int32)
            loss, _, _ = sess.run([self._pretrain_loss, self._pretrain_op, self._pretrain_updates],
                                  feed_dict={self._pretrain_ids: ids})
        return float(loss)

    def forward_update_embeddings(self, sess: tf.Session) -> None:
        """Move every row used since the last call one step forward: ``e <- MLP(e)``.

        Args:
            sess: The session owning this module's graph (``model.sess``).

        Raises:
            MissingInputError: called on a serving-graph module.
        """
        if not self._train:
            raise MissingInputError(scoped(self._scope, "call forward_update_embeddings on the training module."))
        sess.run(self._forward_update_op)
