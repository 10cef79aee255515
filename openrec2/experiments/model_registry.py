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
from typing import Any, Callable, Optional

from openrec2.errors import UnknownOptionError, scoped
from openrec2.validation import check_choice

#: Kinds of training data (see :mod:`openrec2.experiments.experiment`).
DATA_KINDS = ('interactions', 'item_features', 'knowledge_graph', 'sequences', 'next_item', 'ctr')
#: Settings a spec's ``defaults`` may give, and the command-line options that set them.
DEFAULTABLE = ('epochs', 'batch_size', 'lr', 'dim', 'l2_reg', 'eval_every', 'patience')
#: Sides whose feature matrices a model may take.
FEATURE_SIDES = ('item', 'user')


@dataclass(frozen=True)
class Derived:
    """A preset setting computed from the experiment when the model is built (``[2 * dim, dim]``).

    Attributes:
        description: How it is computed, as ``list`` shows it.
        compute: Function of ``{'dim': ..., 'item_features': width or None, 'user_features': width or None}``.
    """

    description: str
    compute: Callable[[dict], Any]

    def __repr__(self) -> str:
        return self.description


@dataclass
class ModelSpec:
    """How the command line trains one model.

    Attributes:
        name: Model name on the command line (e.g. ``'BPR'``).
        model_class: Class name in :mod:`openrec2.recommenders` (imported when a model
            is built, so listing the registry needs no TensorFlow).
        data: One of :data:`DATA_KINDS`: plain interactions, interactions with item
            features (VBPR, AMR), interactions with a knowledge graph (KTUP),
            behaviour sequences as CTR examples (DIEN), chronological histories as next-item
            targets ranked over all items (``'next_item'``: RNNRec and the YouTube models),
            or labelled CTR feature examples (``'ctr'``: DLRM).
        dim_setting: Constructor keyword of the embedding size (``--dim``).
        sampler: Training sampler class of ``'interactions'`` / ``'item_features'`` /
            ``'next_item'`` models (in :mod:`openrec2.utils.samplers`); None: the model's own
            ``training_sampler`` (with its ``training_sampler_options()``).
        defaults: Defaults of :data:`DEFAULTABLE` for this model (options override them).
        settings: Constructor keywords the command line passes unless ``--set`` changes
            them (e.g. KTUP's schedule, DIEN's history length).
        pretrain: Name of the spec trained first, whose checkpoint initialises this
            model (ConvNCF starts from BPR, as its paper does) through the model class's
            ``pretrained_keywords(checkpoint, max_user, max_item, dim)``.
        pretrain_overrides: Settings which, given with ``--set``, replace the pretraining.
        features: ``{side: constructor keyword}`` of the feature matrices the model takes
            (``'item'``, ``'user'``); VBPR and AMR (data ``'item_features'``) take
            ``item_features``.
        attacked: Also rank the test split under the feature attacks (VBPR, AMR).
        description: One line shown by ``python -m openrec2 list``.
        not_on_cluster: Why the model cannot train on a parameter-server cluster ('' it can;
            models of the sequence, next-item and CTR data kinds never can).
    """

    name: str
    model_class: str
    data: str = 'interactions'
    dim_setting: str = 'dim_embed'
    sampler: Optional[str] = None
    defaults: dict = field(default_factory=dict)
    settings: dict = field(default_factory=dict)
    pretrain: Optional[str] = None
    pretrain_overrides: tuple = ()
    features: dict = field(default_factory=dict)
    attacked: bool = False
    description: str = ''
    not_on_cluster: str = ''

    def __post_init__(self) -> None:
        check_choice(self.data, 'data', f'register_model({self.name})', DATA_KINDS)
        if self.data == 'item_features' and not self.features:
            self.features = {'item': 'item_features'}
        for side in self.features:
            check_choice(side, 'features side', f'register_model({self.name})', FEATURE_SIDES)
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


def _dims(*multiples: int) -> Derived:
    """MLP widths as multiples of ``--dim`` (the last 1, so the encoding adds to the factors)."""
    return Derived('[' + ', '.join(f'{m} * dim' if m != 1 else 'dim' for m in multiples) + ']',
                   lambda context: [m * context['dim'] for m in multiples])


def _register_builtin_models() -> None:
    _register_seed_models()
    _register_factorisation_zoo()
    _register_content_zoo()
    _register_next_item_models()


def _register_seed_models() -> None:
    register_model(ModelSpec(
        'BPR', 'BPR', defaults=dict(epochs=50, batch_size=1024, lr=5e-3, dim=64),
        description='BPR matrix factorisation (Rendle et al., UAI 2009), pairwise sampler'))
    register_model(ModelSpec(
        'PMF', 'PMF', defaults=dict(epochs=50, batch_size=1024, lr=5e-3, dim=64),
        description='PMF (Salakhutdinov & Mnih, NIPS 2007) on 1/0 labels, pointwise sampler'))
    register_model(ModelSpec(
        'VBPR', 'VBPR', data='item_features', dim_setting='factors', attacked=True,
        defaults=dict(epochs=30, batch_size=512, lr=1e-3, dim=64),
        description='Visual BPR (He & McAuley, AAAI 2016) on item features; test ranking also under FGSM/MSAP'))
    register_model(ModelSpec(
        'AMR', 'AMR', data='item_features', dim_setting='factors', attacked=True,
        defaults=dict(epochs=30, batch_size=512, lr=1e-3, dim=64),
        description='Adversarial multimedia recommender (Tang et al., TKDE 2019): BPR epochs, then '
                    'FGSM-adversarial epochs'))
    register_model(ModelSpec(
        'ConvNCF', 'ConvNCF', dim_setting='embedding_size', pretrain='BPR',
        pretrain_overrides=('train_method', 'pre_model_path'),
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
    register_model(ModelSpec(
        'DLRM', 'DLRM', data='ctr', dim_setting='m_spa',
        defaults=dict(epochs=20, batch_size=1024, lr=1e-3, dim=16, eval_every=1, patience=2),
        settings=dict(ln_bot=_dims(4, 1), ln_top=[64, 32]),
        description='Deep learning recommendation model (Naumov et al., 2019): bottom MLP, one embedding per '
                    'categorical feature, pairwise dots, top MLP; AUC/LogLoss next to a logistic regression on '
                    'the same features'))
    register_model(ModelSpec(
        'RNNRec', 'RNNRec', data='next_item', dim_setting='dim_item_embed', sampler='TemporalSampler',
        defaults=dict(epochs=20, batch_size=256, lr=1e-3, dim=64, eval_every=1, patience=3),
        settings=dict(max_seq_len=20, num_units=64, softmax_samples=200, loss_positions='all'),
        description='GRU next-item softmax over chronological histories (Hidasi et al., ICLR 2016); '
                    'leave-last-out, full ranking of every item'))


def _register_factorisation_zoo() -> None:
    register_model(ModelSpec('GMF', 'GMF', defaults=dict(epochs=50, batch_size=1024, lr=5e-3, dim=64),
                             description='GMF (He et al., NCF, WWW 2017): learned weighting of the factor product, '
                                         'cross-entropy on sampled 1/0 labels'))
    register_model(ModelSpec(
        'NBPR', 'NBPR', settings=dict(neg_num=5),
        defaults=dict(epochs=50, batch_size=1024, lr=5e-3, dim=64),
        description='BPR on the hardest of neg_num sampled negatives, WARP rank-weighted (legacy OpenRec NBPR)'))
    register_model(ModelSpec(
        'CML', 'CML', defaults=dict(epochs=50, batch_size=1024, lr=5e-3, dim=64),
        description='Collaborative metric learning (Hsieh et al., WWW 2017): Euclidean hinge, unit-ball censoring'))
    register_model(ModelSpec(
        'UCML', 'UCML', dim_setting='dim_user_embed',
        settings=dict(dim_item_embed=Derived('dim', lambda context: context['dim'])),
        defaults=dict(epochs=50, batch_size=1024, lr=5e-3, dim=64),
        description='CML on uniformly sampled triples as OpenRec 0.2 has it (Hsieh et al., WWW 2017): '
                    'norm_constraint ball or sphere'))
    register_model(ModelSpec(
        'WCML', 'WCML', settings=dict(neg_num=10),
        defaults=dict(epochs=50, batch_size=1024, lr=5e-3, dim=64),
        description='CML with the WARP-weighted hinge over neg_num sampled negatives (Hsieh et al., WWW 2017)'))
    register_model(ModelSpec(
        'WRMF', 'WRMF', defaults=dict(epochs=50, batch_size=4096, lr=5e-3, dim=64),
        description='WRMF (Hu, Koren & Volinsky, ICDM 2008): confidence-weighted squares over every cell via '
                    'the item Gram matrix, batches of observed cells'))
    register_model(ModelSpec(
        'ItrMLP', 'ItrMLP', pretrain='PMF',
        settings=dict(user_dims=_dims(2, 1), item_dims=_dims(2, 1)),
        defaults=dict(epochs=20, batch_size=1024, lr=1e-3, dim=64),
        description='PMF-pretrained embeddings moved by learned transition MLPs (legacy OpenRec ItrMLP)',
        not_on_cluster=('every worker would need the pretrained PMF tables in its constructor, and its '
                        'transition layers update a whole-table mask of touched rows in place, which a table '
                        'partitioned over the ps tasks does not support')))


def _register_content_zoo() -> None:
    common = dict(defaults=dict(epochs=50, batch_size=1024, lr=5e-3, dim=64))
    # One projection layer to --dim (VBPR's E f_i): on CiteULike-a tags it ranked better than [2 * dim, dim].
    item = dict(features={'item': 'item_f_source'}, settings=dict(dims=_dims(1)), **common)
    register_model(ModelSpec('VisualPMF', 'VisualPMF', **item,
                             description='PMF on item factors + MLP(item features) (legacy OpenRec VisualPMF)'))
    register_model(ModelSpec('VisualGMF', 'VisualGMF', **item,
                             description='GMF (He et al., WWW 2017) on item factors + MLP(item features)'))
    register_model(ModelSpec('VisualBPR', 'VisualBPR', **item,
                             description='BPR on item factors + MLP(item features) (after He & McAuley, AAAI 2016)'))
    register_model(ModelSpec('VisualCML', 'VisualCML', **item,
                             description='CML (Hsieh et al., WWW 2017) on item points + MLP(item features)'))
    register_model(ModelSpec(
        'ConcatVisualBPR', 'ConcatVisualBPR', features={'item': 'item_f_source'},
        settings=dict(dim_ve=Derived('dim // 2', lambda context: context['dim'] // 2)), **common,
        description='VBPR (He & McAuley, AAAI 2016) item vectors [factors, E f_i]'))
    register_model(ModelSpec(
        'CDL', 'CDL', features={'item': 'item_f'},
        settings=dict(dims=Derived('[content size, 2 * dim, dim]',
                                   lambda context: [context['item_features'], 2 * context['dim'], context['dim']]),
                      dropout=0.1),
        **common, description='Collaborative deep learning (Wang et al., KDD 2015): SDAE on item content + PMF'))
    register_model(ModelSpec(
        'UserPMF', 'UserPMF', features={'user': 'user_f_source'},
        settings=dict(dims=_dims(1)), **common,
        description='PMF on user factors + MLP(user features) (legacy OpenRec UserPMF)'))
    register_model(ModelSpec(
        'UserVisualPMF', 'UserVisualPMF',
        features={'user': 'user_f_source', 'item': 'item_f_source'},
        settings=dict(dims_user=_dims(1), dims_item=_dims(1)), **common,
        description='PMF with user and item feature MLPs (legacy OpenRec UserVisualPMF)'))


def _register_next_item_models() -> None:
    common = dict(data='next_item', dim_setting='dim_item_embed', sampler='YouTubeSampler', settings=dict(max_seq_len=20),
                  defaults=dict(epochs=20, batch_size=256, lr=1e-3, dim=64, eval_every=1, patience=3))
    register_model(ModelSpec(
        'VanillaYouTubeRec', 'VanillaYouTubeRec', **common,
        description='YouTube candidate generation (Covington et al., RecSys 2016) on the history alone: '
                    'mean history embedding, ReLU tower, sampled softmax; next item over all items'))
    register_model(ModelSpec(
        'YouTubeRec', 'YouTubeRec', features={'user': 'user_features', 'item': 'item_features'}, **common,
        description='YouTube candidate generation (Covington et al., RecSys 2016): history, its item features '
                    'and user features; --set use_history=false is the history-free variant'))


_register_builtin_models()


def describe_defaults(spec: ModelSpec) -> dict[str, Any]:
    """The command-line defaults and preset settings of a model, for ``list``.

    Args:
        spec: The model's spec.

    Returns:
        ``{name: value}``.
    """
    return {**spec.defaults, **spec.settings}
