"""Models the command line can train: how to build each one and its training sampler.

A :class:`ModelSpec` says how to build a model for a dataset split, which sampler
feeds it, and its default hyper-parameters. Adding a model to ``python -m openrec2
train`` is one call::

    register_model(ModelSpec('VBPR', build=build_vbpr, make_sampler=pairwise_sampler,
                             defaults=dict(lr=1e-3)))
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from openrec2.errors import UnknownOptionError, scoped


@dataclass
class TrainSettings:
    """Hyper-parameters the command line passes to a model's builder and sampler.

    Attributes:
        dim: Embedding size.
        lr: Learning rate.
        l2_reg: L2 weight (None: none).
        batch_size: Training batch size.
        test_batch_size: Users per evaluation batch.
        seed: Seed of the model and the sampler.
        num_workers: Sampler worker threads.
        epochs: Training epochs (models with an epoch schedule, such as AMR, need it).
    """

    dim: int = 64
    lr: float = 1e-3
    l2_reg: Optional[float] = None
    batch_size: int = 1024
    test_batch_size: int = 1024
    seed: int = 2020
    num_workers: int = 1
    epochs: int = 50


#: Settings a spec's ``defaults`` may override, and the CLI options that set them.
DEFAULTABLE = ('epochs', 'batch_size', 'lr', 'dim', 'l2_reg')


@dataclass
class ModelSpec:
    """How the command line trains one model.

    Attributes:
        name: Model name on the command line (e.g. ``'BPR'``).
        build: ``build(split, settings) -> Recommender`` for a
            :class:`~openrec2.datasets.DataSplit`.
        make_sampler: ``make_sampler(train_dataset, settings) -> Sampler``.
        defaults: Defaults of ``epochs``, ``batch_size``, ``lr``, ``dim``, ``l2_reg``
            for this model (the CLI options override them).
        description: One line shown by ``python -m openrec2 list``.
    """

    name: str
    build: Callable[[Any, TrainSettings], Any]
    make_sampler: Callable[[Any, TrainSettings], Any]
    defaults: dict = field(default_factory=dict)
    description: str = ''

    def __post_init__(self) -> None:
        unknown = sorted(set(self.defaults) - set(DEFAULTABLE))
        if unknown:
            raise UnknownOptionError(scoped('register_model', f'{self.name}: unknown default(s) {unknown}; valid: '
                                                              f'{list(DEFAULTABLE)}.'))


MODELS: dict[str, ModelSpec] = {}


def register_model(spec: ModelSpec) -> ModelSpec:
    """Add (or replace) a model of the command line.

    Args:
        spec: The model's :class:`ModelSpec`.

    Returns:
        ``spec``.
    """
    MODELS[spec.name] = spec
    return spec


def get_model_spec(name: str) -> ModelSpec:
    """The spec of a model, by name (case-insensitive).

    Args:
        name: Model name.

    Returns:
        Its :class:`ModelSpec`.

    Raises:
        UnknownOptionError: No such model; the message lists the valid names.
    """
    for known, spec in MODELS.items():
        if known.lower() == str(name).lower():
            return spec
    raise UnknownOptionError(scoped('openrec2', f'unknown model {name!r}; valid models: {sorted(MODELS)}.'))


# ---------------------------------------------------------------------- built-in models
def sampler_factory(sampler_name: str, **options: Any) -> Callable[[Any, TrainSettings], Any]:
    """A ``make_sampler`` for a training sampler of :mod:`openrec2.utils.samplers`.

    Args:
        sampler_name: Class name, e.g. ``'PairwiseSampler'``.
        **options: Further constructor keywords (e.g. ``pos_ratio=0.5``).

    Returns:
        ``make_sampler(train, settings)`` building ``sampler_name(train, settings.batch_size,
        num_process=settings.num_workers, seed=settings.seed, **options)``.
    """
    def make_sampler(train, settings: TrainSettings):
        import openrec2.utils.samplers
        sampler_class = getattr(openrec2.utils.samplers, sampler_name)
        return sampler_class(train, settings.batch_size, num_process=settings.num_workers, seed=settings.seed,
                             **options)
    return make_sampler


#: (user, positive, negative) triples: shuffled passes over the training positives.
pairwise_sampler = sampler_factory('PairwiseSampler')
#: Labelled (user, item) rows, half positives and half sampled negatives.
pointwise_sampler = sampler_factory('StratifiedPointwiseSampler', pos_ratio=0.5)


def matrix_factorization_builder(model_name: str) -> Callable[[Any, TrainSettings], Any]:
    """A builder for a :class:`~openrec2.recommenders.MatrixFactorization` subclass.

    Args:
        model_name: Class name in :mod:`openrec2.recommenders` (e.g. ``'BPR'``); it is
            imported when a model is built, so listing the registry needs no TensorFlow.

    Returns:
        ``build(split, settings)``.
    """
    def build(split, settings: TrainSettings):
        import openrec2.recommenders
        model_class = getattr(openrec2.recommenders, model_name)
        return model_class(batch_size=settings.batch_size, max_user=split.max_user, max_item=split.max_item,
                           dim_embed=settings.dim, test_batch_size=settings.test_batch_size,
                           l2_reg=settings.l2_reg, lr=settings.lr, seed=settings.seed)
    return build


def build_convncf(split, settings: TrainSettings):
    """Build ConvNCF (trained from scratch; see its ``train_method`` for BPR pretraining)."""
    from openrec2.recommenders import ConvNCF
    return ConvNCF(batch_size=settings.batch_size, max_user=split.max_user, max_item=split.max_item,
                   embedding_size=settings.dim, test_batch_size=settings.test_batch_size, lr=settings.lr,
                   seed=settings.seed)


def visual_builder(model_name: str) -> Callable[[Any, TrainSettings], Any]:
    """A builder for VBPR / AMR on the split's item features (L2-normalised per item).

    Args:
        model_name: ``'VBPR'`` or ``'AMR'``.

    Returns:
        ``build(split, settings)``; it raises ``DataError`` for a dataset without item
        features.
    """
    def build(split, settings: TrainSettings):
        import numpy as np
        import openrec2.recommenders
        from openrec2.errors import DataError
        if split.item_features is None:
            raise DataError(scoped(model_name, (
                f'{split.name} has no item features; use ml-100k (genres) or amazon-beauty (attributes).')))
        features = np.asarray(split.item_features, dtype=np.float32)
        features = features / np.maximum(np.linalg.norm(features, axis=1, keepdims=True), 1e-12)
        return getattr(openrec2.recommenders, model_name)(
            batch_size=settings.batch_size, max_user=split.max_user, max_item=split.max_item,
            item_features=features, factors=settings.dim, lr=settings.lr, epochs=settings.epochs,
            eval_perturbations=False, test_batch_size=settings.test_batch_size, seed=settings.seed)
    return build


def epoch_schedule(model, epochs: int, batches_per_epoch: int):
    """The trainer's ``objective_schedule`` for a model that names an objective per epoch.

    Args:
        model: A recommender; if it has ``objective_for_epoch(epoch, epochs)`` (AMR
            trains plain BPR first, then adversarially), consecutive epochs with the same
            objective become one schedule entry.
        epochs: Number of epochs.
        batches_per_epoch: Training iterations per epoch.

    Returns:
        ``[(objective, iterations), ...]``, or None for a single-objective model.
    """
    if not hasattr(model, 'objective_for_epoch'):
        return None
    schedule: list = []
    for epoch in range(epochs):
        objective = model.objective_for_epoch(epoch, epochs)
        if schedule and schedule[-1][0] == objective:
            schedule[-1] = (objective, schedule[-1][1] + batches_per_epoch)
        else:
            schedule.append((objective, batches_per_epoch))
    return schedule


def _register_builtin_models() -> None:
    register_model(ModelSpec('BPR', matrix_factorization_builder('BPR'), pairwise_sampler,
                             defaults=dict(epochs=50, batch_size=1024, lr=5e-3, dim=64),
                             description='BPR matrix factorisation (Rendle et al., UAI 2009), pairwise sampler'))
    register_model(ModelSpec('PMF', matrix_factorization_builder('PMF'), pointwise_sampler,
                             defaults=dict(epochs=50, batch_size=1024, lr=5e-3, dim=64),
                             description='PMF (Salakhutdinov & Mnih, NIPS 2007) on 1/0 labels, pointwise sampler'))
    register_model(ModelSpec('VBPR', visual_builder('VBPR'), pairwise_sampler,
                             defaults=dict(epochs=30, batch_size=512, lr=1e-3, dim=64),
                             description='Visual BPR (He & McAuley, AAAI 2016) on item features, pairwise sampler'))
    register_model(ModelSpec('AMR', visual_builder('AMR'), pairwise_sampler,
                             defaults=dict(epochs=30, batch_size=512, lr=1e-3, dim=64),
                             description='Adversarial multimedia recommender (Tang et al., TKDE 2019): BPR epochs, '
                                         'then FGSM-adversarial epochs'))
    register_model(ModelSpec('ConvNCF', build_convncf, pairwise_sampler,
                             defaults=dict(epochs=5, batch_size=512, lr=1e-3, dim=64),
                             description='ConvNCF outer-product CNN (He et al., IJCAI 2018), pairwise sampler; '
                                         'full ranking runs the CNN over every pair'))


_register_builtin_models()
