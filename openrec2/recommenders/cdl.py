"""CDL: collaborative deep learning.

Wang, Wang and Yeung, "Collaborative Deep Learning for Recommender Systems", KDD 2015.
A stacked denoising auto-encoder (Vincent et al., JMLR 2010) encodes each item's
content (e.g. its bag of tags); the item vector is the code plus a latent offset,
``v_i = code(f_i) + q_i`` (the offset's L2 penalty is the paper's ``lambda_v``), and
the ratings are fitted by confidence-weighted squared error (the PMF part) while the
auto-encoder reconstructs the clean content from a corrupted copy.
"""

from __future__ import annotations

from typing import Optional, Sequence

from openrec2.errors import ShapeError, scoped
from openrec2.modules.extractions import SDAE
from openrec2.recommenders.pmf import PMF
from openrec2.recommenders.side_features import FeatureTower, ItemContent


class SDAETower(FeatureTower):
    """A :class:`FeatureTower` whose encoder is an SDAE (its reconstruction loss joins training)."""

    def __init__(self, *args, corruption=None, l2_reconst: float = 1.0, **kwargs):
        super().__init__(*args, **kwargs)
        self.corruption, self.l2_reconst = corruption, l2_reconst

    def encoder(self, rows, train):
        return SDAE(rows, self.dims, dropout=self.corruption, l2_reconst=self.l2_reconst, train=train,
                    l2_reg=self.l2_reg, scope="AutoEncoder")


class CDL(ItemContent, PMF):
    """PMF on item vectors ``SDAE code(f_i) + q_i``, plus the SDAE's reconstruction loss.

    Training inputs as :class:`~openrec2.recommenders.PMF`; the content is gathered by
    id inside the graph and corrupted (masking noise of rate ``dropout``) only in
    training. The serving graph encodes the clean content with the training variables.

    Args:
        batch_size: Training batch size.
        max_user: Number of users.
        max_item: Number of items.
        dim_embed: Size of the latent factors (= the code size ``dims[-1]``).
        item_f: ``[max_item, F]`` item content (numpy array or h5py dataset).
        dims: Legacy layout ``[F, hidden..., dim_embed]``: the content size first, then
            the encoder widths.
        dropout: Corruption rate of the content in training.
        test_batch_size: Users per serving call.
        item_serving_size: Accepted for legacy scripts (serving encodes every item at once).
        l2_reg: L2 weight on the looked-up factors and biases.
        l2_reg_mlp: L2 weight on the auto-encoder weights.
        l2_reconst: Weight of the reconstruction error (None: 1.0).
        opt: Optimiser name (``'Adam'``; legacy OpenRec defaulted to ``'SGD'``).
        sess_config: Session configuration.
        lr: Learning rate.
        init_dict: Initial values by variable name.
        seed: Graph-level seed.

    Raises:
        ShapeError: ``dims[0]`` is not the content size, or ``dims[-1] != dim_embed``.
    """

    def __init__(self, batch_size, max_user, max_item, dim_embed, item_f, dims: Sequence[int],
                 dropout: Optional[float] = None, test_batch_size=None, item_serving_size=None, l2_reg=None,
                 l2_reg_mlp: Optional[float] = None, l2_reconst: Optional[float] = None, opt="Adam", sess_config=None,
                 lr=None, init_dict=None, seed=None):
        scope = type(self).__name__.lower()
        dims = list(dims) if isinstance(dims, (list, tuple)) else dims
        if not isinstance(dims, list) or len(dims) < 2:
            raise ShapeError(scoped(scope, (
                f"dims must list the content size then the encoder widths, [F, hidden..., dim_embed]; got {dims!r}.")))
        tower = SDAETower("item", item_f, max_item, dims[1:], l2_reg=l2_reg_mlp, scope=scope,
                          argument="item_f", corruption=dropout, l2_reconst=1.0 if l2_reconst is None else l2_reconst)
        if int(dims[0]) != tower.features.shape[1]:
            raise ShapeError(scoped(scope, (
                f"dims[0]={dims[0]} must be the content size {tower.features.shape[1]} (legacy layout "
                "[F, hidden..., dim_embed]).")))
        tower.check_latent_size(dim_embed, "dim_embed")
        self._item_tower = tower
        super().__init__(batch_size=batch_size, dim_embed=dim_embed, max_user=max_user, max_item=max_item,
                         test_batch_size=test_batch_size, l2_reg=l2_reg, opt=opt, sess_config=sess_config, lr=lr,
                         init_dict=init_dict, seed=seed)
