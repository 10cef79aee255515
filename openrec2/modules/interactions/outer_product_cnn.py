"""OuterProductCNN: ConvNCF's interaction map and CNN tower.

He, Du, Wang, Tian, Tang and Chua, "Outer Product-based Neural Collaborative
Filtering", IJCAI 2018. A (user, item) pair is scored by taking the outer product of
the two embeddings as a ``d x d x 1`` interaction map, shrinking it to ``1 x 1`` with
VALID convolutions + ReLU, summing over space, applying dropout (training only) and a
linear layer to one score.

Scoring every item for a batch of users (full-ranking evaluation) never materialises
the ``d x d`` maps. The first convolution of an outer product is bilinear in the two
embeddings::

    h1[p, q, c] = sum_{a, b} u[s p + a] * i[s q + b] * K1[a, b, c]

so for each user ``M[p, b, c] = sum_a u[s p + a] K1[a, b, c]`` is computed once and the
first layer of all pairs becomes one matrix product between item patches and ``M``.
The item patches are gathered per column of the second layer's receptive fields, so
that product writes the first-layer activations directly in the order the second
layer reads them (each second-layer patch is a contiguous row): the second layer is
then a plain matrix product too, and only the small remaining layers run as
convolutions. Users and items are processed in blocks inside the graph
(:func:`~openrec2.modules.interactions.block_map.map_row_blocks`), so memory stays
bounded by ``block_users * block_items`` pairs.
"""

from __future__ import annotations

from typing import List, Optional, Sequence

import numpy as np
import tensorflow.compat.v1 as tf

from openrec2.errors import ShapeError, scoped
from openrec2.modules.checks import require_rate, require_tensor
from openrec2.modules.interactions.block_map import map_row_blocks
from openrec2.modules.interactions.cnn_geometry import tower_sizes
from openrec2.modules.interactions.interaction import Interaction
from openrec2.modules.layers import apply_conv2d, conv2d_variables, dropout
from openrec2.modules.norm_penalty import norm_penalty

#: Pairs per block when serving explicit (user, item) pairs.
DEFAULT_BLOCK_PAIRS = 1024


class OuterProductCNN(Interaction):
    """Score (user, item) pairs through an outer-product map and a CNN tower.

    Modes:

    * pairs (``all_items=False``): ``user`` and ``item`` are aligned ``[B, d]`` rows;
      the output is ``[B]`` scores. In training the map is built explicitly and
      dropout is applied; at serving time the pairs are scored in blocks of
      ``block_pairs``.
    * all items (``all_items=True``, serving only): ``item`` is the ``[N, d]`` table of
      all items; the output is ``[B, N]`` scores computed block by block with the
      factorised first layer (see the module docstring).

    The loss is ``weight_norm_reg`` times the sum of the Frobenius norms (not squared,
    as in RecBole's ConvNCF) of every conv kernel and of the prediction weights;
    biases are not penalised. It is added in the training graph only.

    Args:
        user: ``[B, d]`` user embeddings.
        item: ``[B, d]`` item embeddings of the pairs, or ``[N, d]`` of all items.
        cnn_channels: Channels of the map and of every layer (first must be 1).
        cnn_kernels: Square kernel size of every layer.
        cnn_strides: Stride of every layer.
        dropout_prob: Drop probability before the prediction layer (training only).
        weight_norm_reg: Weight of the norm penalty on conv and prediction weights.
        all_items: Score every user against every item (serving only).
        block_users: Users per block in all-item scoring.
        block_items: Items per block in all-item scoring. Small blocks keep the
            first-layer activations (``d^2/s1^2 * channels`` floats per pair, 32 KB with
            the defaults) in cache: 16 x 16 pairs was about 2.5x faster than 16 x 64 on
            2 cores.
        block_pairs: Pairs per block when serving pairs.
        train: Training or serving graph.
        scope: Variable scope (default ``outer_product_cnn``).
        reuse: Reuse flag.

    Raises:
        ShapeError: the embeddings are not 2-d with the same known width, the map has
            more than one channel, or the tower does not reach ``1 x 1`` (the message
            names the layer and the sizes).
        UnknownOptionError: ``dropout_prob`` outside [0, 1).
    """

    def __init__(self, user, item, cnn_channels: Sequence[int] = (1, 32, 32, 32, 32),
                 cnn_kernels: Sequence[int] = (4, 4, 2, 2), cnn_strides: Sequence[int] = (4, 4, 2, 2),
                 dropout_prob: Optional[float] = None, weight_norm_reg: Optional[float] = None,
                 all_items: bool = False, block_users: int = 16, block_items: int = 16,
                 block_pairs: int = DEFAULT_BLOCK_PAIRS, train: bool = True,
                 scope: Optional[str] = None, reuse=False):
        name = scope or "outer_product_cnn"
        self._user = require_tensor(user, name, "user", ranks=[2], integer=False)
        self._item = require_tensor(item, name, "item", ranks=[2], integer=False)
        dims = (self._user.shape.as_list()[1], self._item.shape.as_list()[1])
        if dims[0] is None or dims[0] != dims[1]:
            raise ShapeError(scoped(name, (
                f"`user` and `item` must have the same known width, got {dims[0]} and {dims[1]}.")))
        self._dim = int(dims[0])
        self._sizes = tower_sizes(self._dim, cnn_channels, cnn_kernels, cnn_strides, name)
        self._channels = [int(c) for c in cnn_channels]
        if self._channels[0] != 1:
            raise ShapeError(scoped(name, (
                f"`cnn_channels[0]` is the channel count of the outer-product map and must be 1, "
                f"got {self._channels[0]}.")))
        self._kernels = [int(k) for k in cnn_kernels]
        self._strides = [int(s) for s in cnn_strides]
        self._dropout_prob = require_rate(dropout_prob, name, "dropout_prob")
        self._weight_norm_reg = weight_norm_reg
        self._all_items = bool(all_items)
        if self._all_items and train:
            raise ShapeError(scoped(name, "all-item scoring (`all_items=True`) is for serving; pass train=False."))
        self._block_users, self._block_items, self._block_pairs = (
            int(block_users), int(block_items), int(block_pairs))
        super().__init__(train=train, scope=scope, reuse=reuse)

    # ------------------------------------------------------------------ build
    def _build_shared_graph(self) -> None:
        self._conv_layers = []
        for index, kernel in enumerate(self._kernels):
            self._conv_layers.append(conv2d_variables(
                kernel, self._channels[index], self._channels[index + 1], scope=f"conv{index}"))
        # Made here, not inside the serving loops (variables cannot be created in a loop).
        with tf.variable_scope("prediction"):
            self._prediction_weights = tf.get_variable(
                "weights", shape=[self._channels[-1], 1], dtype=tf.float32,
                initializer=tf.glorot_uniform_initializer())
            self._prediction_bias = tf.get_variable("bias", shape=[1], dtype=tf.float32,
                                                    initializer=tf.zeros_initializer())

    def _build_training_graph(self) -> None:
        self._outputs.append(self._score_pairs(self._user, self._item))
        if self._weight_norm_reg:
            self._loss += norm_penalty([k for k, _ in self._conv_layers] + [self._prediction_weights],
                                       self._weight_norm_reg)

    def _build_serving_graph(self) -> None:
        if self._all_items:
            self._outputs.append(self._score_all_items())
        else:
            self._outputs.append(map_row_blocks(self._score_pairs, [self._user, self._item], self._block_pairs))

    # ---------------------------------------------------------------- scoring
    def _predict(self, features: tf.Tensor) -> tf.Tensor:
        """Sum the last feature map over space, drop out, and map linearly to ``[n]`` scores."""
        pooled = tf.reduce_sum(features, axis=[1, 2])
        pooled = dropout(pooled, self._dropout_prob, self._train)
        return tf.reshape(tf.matmul(pooled, self._prediction_weights) + self._prediction_bias, [-1])

    def _conv_tail(self, hidden: tf.Tensor, first_layer: int) -> tf.Tensor:
        """Apply conv layers ``first_layer..`` (+ ReLU) to an NHWC map."""
        for index in range(first_layer, len(self._conv_layers)):
            kernel, bias = self._conv_layers[index]
            hidden = tf.nn.relu(apply_conv2d(hidden, kernel, bias, stride=self._strides[index]))
        return hidden

    def _score_pairs(self, user: tf.Tensor, item: tf.Tensor) -> tf.Tensor:
        """Scores of aligned rows through the explicit ``[n, d, d, 1]`` outer-product map."""
        interaction_map = tf.expand_dims(user, 2) * tf.expand_dims(item, 1)  # map[x, y] = u[x] i[y]
        return self._predict(self._conv_tail(tf.expand_dims(interaction_map, 3), 0))

    def _score_all_items(self) -> tf.Tensor:
        """``[B, N]`` scores of every user against every item, block by block."""
        geometry = _FirstLayerGeometry(self._sizes, self._kernels, self._strides)
        # On a cluster a large kernel is a PartitionedVariable (its parts on the ps tasks): slice the whole.
        kernel1, bias1 = tf.convert_to_tensor(self._conv_layers[0][0]), self._conv_layers[0][1]
        channels1 = self._channels[1]
        # Item side, once: [N, n2, k2 * k1] coordinates under each second-layer column.
        item_patches = tf.gather(self._item, geometry.coordinates, axis=1)
        # User side, once: M[u, P, a2, b1, c] = sum_a1 u[coord(P, a2, a1)] K1[a1, b1, c].
        user_patches = tf.gather(self._user, geometry.coordinates, axis=1)
        user_patches = tf.reshape(user_patches, [-1, geometry.groups, geometry.group_kernel, geometry.kernel])
        user_maps = tf.einsum("upxa,abc->upxbc", user_patches, kernel1[:, :, 0, :])
        columns_per_user = geometry.groups * geometry.group_kernel ** 2 * channels1
        tiled_bias1 = tf.tile(bias1, [self._block_users * columns_per_user // channels1])
        eye = tf.eye(geometry.group_kernel)
        if len(self._conv_layers) > 1:
            kernel2, bias2 = self._conv_layers[1]
            kernel2_rows = tf.reshape(kernel2, [-1, self._channels[2]])  # (a2, b2, c) rows
        groups = geometry.groups

        def score_user_block(maps: tf.Tensor) -> tf.Tensor:
            # W[(b2', b1), (u, P, a2, b2, c)] = [b2' == b2] * M[u, P, a2, b1, c].
            weights = tf.einsum("ey,upxbc->ebupxyc", eye, maps)
            weights = tf.reshape(weights, [geometry.group_kernel * geometry.kernel, -1])
            # The bias is folded in as a last weight row (times a ones column): one
            # plain matrix product is several times faster than adding a bias this wide.
            weights = tf.concat([weights, tiled_bias1[None, :]], axis=0)

            def score_item_block(patches: tf.Tensor) -> tf.Tensor:
                rows = tf.reshape(patches, [-1, geometry.group_kernel * geometry.kernel])  # (i, Q)
                rows = tf.concat([rows, tf.ones_like(rows[:, :1])], axis=1)
                hidden = tf.nn.relu(tf.matmul(rows, weights))
                # Rows (i, Q, u, P), each the second layer's receptive field (a2, b2, c).
                hidden = tf.reshape(hidden, [-1, geometry.group_kernel ** 2 * channels1])
                if len(self._conv_layers) > 1:
                    hidden = tf.nn.relu(tf.nn.bias_add(tf.matmul(hidden, kernel2_rows), bias2))
                out_channels = int(hidden.shape[-1])
                hidden = tf.reshape(hidden, [self._block_items, groups, self._block_users, groups, out_channels])
                hidden = tf.transpose(hidden, [0, 2, 3, 1, 4])  # (i, u, P, Q, c): height = user axis
                hidden = tf.reshape(hidden, [-1, groups, groups, out_channels])
                scores = self._predict(self._conv_tail(hidden, geometry.next_layer))
                return tf.reshape(scores, [self._block_items, self._block_users])

            return tf.transpose(map_row_blocks(score_item_block, item_patches, self._block_items))

        return map_row_blocks(score_user_block, user_maps, self._block_users)

    @property
    def sizes(self) -> List[int]:
        """Spatial size of the map before and after every conv layer."""
        return list(self._sizes)


class _FirstLayerGeometry:
    """Which embedding coordinates feed each second-layer receptive field.

    The first-layer output positions are grouped by the second layer's receptive
    fields (``k2 x k2`` positions with stride ``s2``); with a single layer, each
    position is its own group. ``coordinates[g, a2, a1] = s1 (s2 g + a2) + a1`` is the
    embedding coordinate read by kernel row ``a1`` at position ``a2`` of group ``g``.
    """

    def __init__(self, sizes: Sequence[int], kernels: Sequence[int], strides: Sequence[int]):
        self.kernel, stride = kernels[0], strides[0]
        if len(kernels) > 1:
            self.group_kernel, group_stride, self.groups = kernels[1], strides[1], sizes[2]
            self.next_layer = 2
        else:
            self.group_kernel, group_stride, self.groups = 1, 1, sizes[1]
            self.next_layer = 1
        group = np.arange(self.groups)[:, None, None]
        offset = np.arange(self.group_kernel)[None, :, None]
        row = np.arange(self.kernel)[None, None, :]
        self.coordinates = (stride * (group_stride * group + offset) + row).astype(np.int32)
