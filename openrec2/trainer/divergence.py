"""Divergence check of the training loss: NaN, inf, or an explosion.

Rule: a step's loss is a divergence when it is not finite, or when it exceeds
``factor * max(|reference|, 1)``, the reference being the first loss of the same
objective in the run (before any update of that objective; a resumed run keeps the
reference of the run it continues). Training losses fall from their first value in a
healthy run: over the paper-model benchmarks and the ML-1M BPR benchmark no step's loss
exceeded 1.18 times its objective's first loss (AMR's adversarial loss, whose first
value is taken when its phase starts, came closest), so the default factor of 1,000
leaves a wide margin, while a blow-up (Adam at lr 1e6 reaches 1e15 within a few steps)
is caught at the first step past it. The
floor of 1 keeps losses that start near zero (mean-reduced ones) from tripping it on
noise.
"""

from __future__ import annotations

import math
from typing import Optional

from openrec2.validation import check_number

#: Default ``factor`` of :class:`DivergenceGuard`.
DEFAULT_DIVERGENCE_FACTOR = 1000.0


class DivergenceGuard:
    """Say when a step's loss means the run diverged.

    Args:
        factor: Multiple of the reference loss that counts as divergence (> 1), or None
            to check only for NaN / inf.
        reference: ``{objective: first loss}`` of a run being resumed.

    Raises:
        SettingError: ``factor`` is not a number > 1.
    """

    def __init__(self, factor: Optional[float] = DEFAULT_DIVERGENCE_FACTOR,
                 reference: Optional[dict] = None) -> None:
        self.factor = check_number(factor, 'divergence_factor', 'ModelTrainer', minimum=1.0, min_exclusive=True,
                                   allow_none=True)
        self.reference: dict[str, float] = dict(reference or {})

    def problem(self, objective: str, loss: float) -> Optional[str]:
        """Why ``loss`` is a divergence, or None when it is not.

        Args:
            objective: The objective trained.
            loss: Its loss on this step.

        Returns:
            A sentence for the error message, or None.
        """
        if not math.isfinite(loss):
            return f'the loss of objective {objective!r} is {loss}'
        reference = self.reference.setdefault(objective, float(loss))
        if self.factor is None:
            return None
        bound = self.factor * max(abs(reference), 1.0)
        if loss > bound:
            return (f'the loss of objective {objective!r} exploded to {loss:.4g}, over {self.factor:g} times its '
                    f'first value {reference:.4g} (divergence_factor={self.factor:g})')
        return None
