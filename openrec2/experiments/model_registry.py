"""Models the command line (and the benchmarks) can train, and what each one needs.

A :class:`ModelSpec` names the recommender class, the kind of data it trains on, which
constructor keyword the ``--dim`` option sets, the sampler of its interactions, the
defaults the command line uses for it, and the model it is pretrained from, if any.
:func:`openrec2.experiments.experiment.run_experiment` does the rest, the same way for every
model. Adding a model is one call::

    register_model(ModelSpec('GMF', 'GMF', data='interactions', dim_setting='dim_embed',
                             defaults=dict(lr=1e-3), description='...'))
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from openrec2.errors import UnknownOptionError, scoped
from openrec2.validation import check_choice

#: Kinds of training data (see :mod:`openrec2.experiments.experiment`).
DATA_KINDS = ('interactions', 'item_features', 'knowledge_graph', 'sequences')
#: Settings a spec's ``defaults`` may give, and the command-line options that set them.
DEFAULTABLE = ('epochs', 'batch_size', 'lr', 'dim', 'l2_reg', 'eval_every', 'patience')


@dataclass
class ModelSpec:
    """How the command line trains one model.

    Attributes:
        name: Model name on the command line (e.g. ``'BPR'``).
        model_class: Class name in :mod:`openrec2.recommenders` (imported when a model
            is built, so listing the registry needs no TensorFlow).
        data: One of :data:`DATA_KINDS`: plain interactions, interactions with item
            features (VBPR, AMR), interactions with a knowledge graph (KTUP), or
            behaviour sequences (DIEN).
        dim_setting: Constructor keyword of the embedding size (``--dim``).
        sampler: Training sampler class of ``'interactions'`` / ``'item_features'``
            models (in :mod:`openrec2.utils.samplers`).
        defaults: Defaults of :data:`DEFAULTABLE` for this model (options override them).
        settings: Constructor keywords the command line passes unless ``--set`` changes
            them (e.g. KTUP's schedule, DIEN's history length).
        pretrain: Name of the spec trained first, whose checkpoint initialises this
            model (ConvNCF starts from BPR, as its paper does).
        description: One line shown by ``python -m openrec2 list``.
    """

    name: str
    model_class: str
    data: str = 'interactions'
    dim_setting: str = 'dim_embed'
    sampler: str = 'PairwiseSampler'
    defaults: dict = field(default_factory=dict)
    settings: dict = field(default_factory=dict)
    pretrain: Optional[str] = None
    description: str = ''

    def __post_init__(self) -> None:
        check_choice(self.data, 'data', f'register_model({self.name})', DATA_KINDS)
        unknown = sorted(set(self.defaults) - set(DEFAULTABLE))
        if unknown:
            raise UnknownOptionError(scoped('register_model', f'{self.name}: unknown default(s) {unknown}; valid: '
                                                              f'{list(DEFAULTABLE)}.'))

    def recommender_class(self) -> type:
        """The recommender class (imports :mod:`openrec2.recommenders`).

        Returns:
            The class.
        """
        import openrec2.recommenders
        return getattr(openrec2.recommenders, self.model_class)


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


def _register_builtin_models() -> None:
    register_model(ModelSpec(
        'BPR', 'BPR', defaults=dict(epochs=50, batch_size=1024, lr=5e-3, dim=64),
        description='BPR matrix factorisation (Rendle et al., UAI 2009), pairwise sampler'))
    register_model(ModelSpec(
        'PMF', 'PMF', sampler='StratifiedPointwiseSampler', defaults=dict(epochs=50, batch_size=1024, lr=5e-3, dim=64),
        description='PMF (Salakhutdinov & Mnih, NIPS 2007) on 1/0 labels, pointwise sampler'))
    register_model(ModelSpec(
        'VBPR', 'VBPR', data='item_features', dim_setting='factors',
        defaults=dict(epochs=30, batch_size=512, lr=1e-3, dim=64),
        description='Visual BPR (He & McAuley, AAAI 2016) on item features; test ranking also under FGSM/MSAP'))
    register_model(ModelSpec(
        'AMR', 'AMR', data='item_features', dim_setting='factors',
        defaults=dict(epochs=30, batch_size=512, lr=1e-3, dim=64),
        description='Adversarial multimedia recommender (Tang et al., TKDE 2019): BPR epochs, then '
                    'FGSM-adversarial epochs'))
    register_model(ModelSpec(
        'ConvNCF', 'ConvNCF', dim_setting='embedding_size', pretrain='BPR',
        defaults=dict(epochs=6, batch_size=512, lr=1e-3, dim=64, eval_every=1, patience=2),
        description='ConvNCF outer-product CNN (He et al., IJCAI 2018) from BPR-pretrained embeddings; full '
                    'ranking runs the CNN over every pair'))
    register_model(ModelSpec(
        'KTUP', 'KTUP', data='knowledge_graph', dim_setting='embedding_size',
        defaults=dict(epochs=40, batch_size=1024, lr=1e-3, dim=64, eval_every=1, patience=5),
        settings=dict(train_rec_step=5, train_kg_step=2),
        description='KTUP (Cao et al., WWW 2019): TransH knowledge graph + translation-based preferences; an '
                    'epoch is one round of its rec/kg schedule'))
    register_model(ModelSpec(
        'DIEN', 'DIEN', data='sequences', dim_setting='embedding_size',
        defaults=dict(epochs=2, batch_size=1024, lr=4e-3, dim=10, eval_every=1, patience=2),
        settings=dict(max_seq_length=20),
        description='Deep interest evolution network (Zhou et al., AAAI 2019), CTR on behaviour sequences; '
                    'AUC/LogLoss and HR/NDCG over 1+99 candidates'))


_register_builtin_models()


def describe_defaults(spec: ModelSpec) -> dict[str, Any]:
    """The command-line defaults and preset settings of a model, for ``list``.

    Args:
        spec: The model's spec.

    Returns:
        ``{name: value}``.
    """
    return {**spec.defaults, **spec.settings}
