"""SDAE: stacked denoising auto-encoder (Vincent et al., JMLR 2010), as used by CDL."""

from __future__ import annotations

from typing import Optional, Sequence

import tensorflow.compat.v1 as tf

from openrec2.modules.checks import require_dims, require_rate, require_tensor
from openrec2.modules.extractions.extraction import Extraction
from openrec2.modules.extractions.multi_layer_fc import MultiLayerFC
from openrec2.modules.layers import dropout as dropout_layer


class SDAE(Extraction):
    """A stacked denoising auto-encoder whose output is the bottleneck code.

    Encoder ``in_dim -> dims[0] -> ... -> dims[-1]`` and a mirrored decoder back to
    ``in_dim``, with ReLU between layers and linear code and reconstruction. In the
    training graph the input is corrupted by dropout (masking noise) with rate
    ``dropout`` and the loss is ``l2_reconst * l2_loss(reconstruction - clean input)``
    plus the L2 penalty on the weights; at serving time the clean input is encoded.

    Args:
        in_tensor: Float tensor ``[batch, in_dim]``.
        dims: Widths of the encoder layers; ``dims[-1]`` is the code size.
        dropout: Corruption (drop) probability of the input in training.
        l2_reconst: Weight of the reconstruction error.
        train: Training or serving graph.
        l2_reg: L2 weight on encoder and decoder weights.
        scope: Variable scope (default ``sdae``).
        reuse: Share the variables of an earlier SDAE with the same scope.

    Raises:
        ShapeError: ``in_tensor`` is not 2-d or ``dims`` is invalid.
        DTypeError: ``in_tensor`` is not floating point.
        UnknownOptionError: ``dropout`` outside [0, 1).
    """

    def __init__(self, in_tensor, dims: Sequence[int], dropout: Optional[float] = None,
                 l2_reconst: float = 1.0, train: bool = True, l2_reg: Optional[float] = None,
                 scope: Optional[str] = None, reuse=False):
        name = scope or "sdae"
        self._in_tensor = require_tensor(in_tensor, name, "in_tensor", ranks=[2], integer=False)
        self._dims = require_dims(dims, name)
        self._corruption = require_rate(dropout, name, "dropout")
        self._l2_reconst = l2_reconst
        super().__init__(train=train, l2_reg=l2_reg, scope=scope, reuse=reuse)

    def _build_shared_graph(self) -> None:
        clean = self._in_tensor
        noisy = dropout_layer(clean, self._corruption, self._train)
        encoder = MultiLayerFC(noisy, self._dims, train=self._train, l2_reg=self._l2_reg,
                               scope="encoder")
        code = encoder.get_outputs()[0]
        self._outputs.append(code)
        decoder_dims = list(reversed(self._dims[:-1])) + [int(clean.shape[-1])]
        decoder = MultiLayerFC(code, decoder_dims, relu_in=True, train=self._train,
                               l2_reg=self._l2_reg, scope="decoder")
        self._reconstruction = decoder.get_outputs()[0]
        self._loss += encoder.get_loss() + decoder.get_loss()
        self._loss += self._l2_reconst * tf.nn.l2_loss(self._reconstruction - clean)

    @property
    def reconstruction(self) -> tf.Tensor:
        """The decoder's reconstruction of the input ``[batch, in_dim]``."""
        return self._reconstruction
