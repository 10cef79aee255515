"""VisualCML: collaborative metric learning with item content.

Hsieh et al., "Collaborative Metric Learning", WWW 2017 (whose section 3.3 adds item
features through an MLP), on item points ``q_i + MLP(f_i)`` as in
:class:`~openrec2.recommenders.VisualBPR`.
"""

from __future__ import annotations

from openrec2.recommenders.cml import CML
from openrec2.recommenders.visual_bpr import VisualBPR


class VisualCML(VisualBPR, CML):
    """CML scores ``-||p_u - (q_i + MLP(f_i))||^2 + b_i`` on (user, positive, negative) triples.

    The constructor is :class:`~openrec2.recommenders.VisualBPR`'s (legacy order); loss,
    serving and the unit-ball censoring of the latent rows are
    :class:`~openrec2.recommenders.CML`'s.
    """
