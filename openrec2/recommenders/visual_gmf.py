"""VisualGMF: GMF whose item factors include an encoding of the item features.

The GMF branch of He et al., "Neural Collaborative Filtering", WWW 2017, on item
vectors ``q_i + MLP(f_i)`` as in :class:`~openrec2.recommenders.VisualPMF` (item
content after He and McAuley, VBPR, AAAI 2016).
"""

from __future__ import annotations

from openrec2.recommenders.gmf import GMF
from openrec2.recommenders.visual_pmf import VisualPMF


class VisualGMF(VisualPMF, GMF):
    """GMF logits ``h . (p_u * (q_i + MLP(f_i))) + b_i``, cross-entropy on 1/0 labels.

    The constructor is :class:`~openrec2.recommenders.VisualPMF`'s (legacy order);
    the interaction is :class:`~openrec2.recommenders.GMF`'s.
    """
