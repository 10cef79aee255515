"""openrec2: modular recommender systems on TensorFlow (TF1 graph mode via compat.v1).

The public API lives in the sub-packages (``openrec2.modules``, ``openrec2.recommenders``,
``openrec2.utils``, ``openrec2.datasets``); the most used names are re-exported here
lazily, so ``import openrec2.utils`` does not pay for importing TensorFlow.
"""

import importlib

__version__ = "0.1.0"

#: Public name -> module that defines it.
_EXPORTS = {
    "ModelTrainer": "openrec2.trainer.model_trainer",
    "ImplicitModelTrainer": "openrec2.trainer.model_trainer",
    "ItrMLPModelTrainer": "openrec2.trainer.itr_mlp_model_trainer",
    "Recommender": "openrec2.recommenders",
    "BPR": "openrec2.recommenders",
    "PMF": "openrec2.recommenders",
    "OpenRecError": "openrec2.errors",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name):
    """Import re-exported names on first use (PEP 562)."""
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'openrec2' has no attribute {name!r}")
