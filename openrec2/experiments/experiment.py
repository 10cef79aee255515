"""One experiment: train a registered model on a named dataset and evaluate it next to a baseline.

``python -m openrec2 train`` and the benchmark scripts both run :func:`run_experiment`,
so the command line, the benchmarks and a Python user get the same protocol for every
model:

1. load the dataset the model's kind of data needs (:class:`ExperimentData`): an
   interaction split; with item features (VBPR, AMR); with a knowledge graph, 10% of
   whose triples are held out to test the KG part (KTUP); or leave-last-out behaviour
   sequences (DIEN's CTR examples; RNNRec's and the YouTube models' next items, ranked over all items);
2. train a model it is pretrained from first, when its spec says so (ConvNCF starts
   from an early-stopped BPR, as its paper does), and initialise it from that
   checkpoint;
3. build the model from the spec's defaults, the options and ``--set`` settings,
   train it with :class:`~openrec2.ModelTrainer` (early stopping on validation, the
   model's own objective schedule), and evaluate validation and test (and the robustness
   or KG evaluations its kind of data has);
4. evaluate the baseline on the same splits: most-popular (target popularity for
   behaviour-sequence CTR data; a logistic regression on the same features for
   labelled CTR feature examples).

Ranking evaluations exclude the training items (and, for the test split, the
validation items); next-item models (RNNRec, the YouTube models) rank every item after each
user's history, whose items they exclude. CTR models on labelled feature examples (DLRM) are
scored by the AUC and LogLoss of their probabilities. A model whose final scores are the same for every item raises
:class:`~openrec2.errors.CollapsedScoresError` instead of returning metrics.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass, field, replace
from typing import Any, Optional, Sequence, TextIO

import numpy as np

from openrec2.errors import CollapsedScoresError, DataError, SettingError, UnknownOptionError, scoped
from openrec2.experiments.model_registry import Derived, ModelSpec, get_model_spec
from openrec2.experiments.run_folder import FINAL_CHECKPOINT, write_results, write_settings
from openrec2.validation import check_int, check_int_list

_SCOPE = 'openrec2'
#: Defaults of the options a spec leaves unset.
GLOBAL_DEFAULTS = dict(epochs=50, batch_size=1024, lr=1e-3, dim=64, l2_reg=None, eval_every=2, patience=3)
#: Triples of the knowledge graph held out to test the KG part of a model, and the seed.
KG_TEST_RATIO, KG_SPLIT_SEED = 0.1, 0
#: Datasets with item / user features, for messages.
FEATURE_DATASETS = {'item': {'ml-100k': 'genres', 'citeulike-a': 'tags', 'amazon-beauty': 'attributes'},
                    'user': {'ml-100k': 'age group, gender, occupation'}}
#: Kinds of data whose evaluations are labelled (AUC / LogLoss; early stopping on AUC).
LABELLED_KINDS = ('sequences', 'ctr')
#: Kinds of data held as leave-last-out behaviour sequences.
SEQUENCE_KINDS = ('sequences', 'next_item')
#: Evaluation sampler of each next-item training sampler (both in openrec2.utils.samplers).
NEXT_ITEM_EVALUATION = {'TemporalSampler': 'TemporalEvaluationSampler', 'YouTubeSampler': 'YouTubeEvaluationSampler'}
#: Sampled candidates per user of the ranking evaluations of sequence (CTR) models.
SEQUENCE_CANDIDATES, SEQUENCE_RANKING_USERS = 99, 2000


@dataclass
class ExperimentSettings:
    """Options of one experiment (unset ones take the model's defaults, then :data:`GLOBAL_DEFAULTS`).

    Attributes:
        epochs: Maximum training epochs (KTUP: rounds of its schedule).
        batch_size: Training batch size.
        lr: Learning rate.
        dim: Embedding size (the spec names the constructor keyword).
        l2_reg: L2 weight (models that take ``l2_reg``).
        eval_every: Epochs between validation evaluations.
        patience: Evaluations without improvement before early stopping.
        early_stop: Stop early on the validation metric.
        early_stop_metric: Metric to stop on (default ``NDCG@<smallest K>``; ``AUC`` for
            CTR models).
        topk: Cut-offs of the top-K metrics.
        seed: Seed of the model and the samplers.
        test_batch_size: Users (rows) per evaluation batch.
        num_workers: Sampler worker threads.
        save_dir: Folder of the run's checkpoints (None: none kept).
        resume: Continue the run whose checkpoints are in ``save_dir`` (its pretraining
            too) exactly where it stopped.
        split: Split protocol of the dataset loader (None: the loader's).
        split_seed: Seed of a random split (None: the loader's).
        data_home: Data home (None: ``$OPENREC2_DATA``, then ``~/.openrec2/datasets``).
        model_settings: Constructor keywords (``--set``), already typed.
        progress: Progress bar setting of the trainer.
        verbose: Print the training log.
    """

    epochs: Optional[int] = None
    batch_size: Optional[int] = None
    lr: Optional[float] = None
    dim: Optional[int] = None
    l2_reg: Optional[float] = None
    eval_every: Optional[int] = None
    patience: Optional[int] = None
    early_stop: bool = True
    early_stop_metric: Optional[str] = None
    topk: Sequence[int] = (10, 20)
    seed: int = 2020
    test_batch_size: int = 1024
    num_workers: int = 1
    save_dir: Optional[str] = None
    resume: bool = False
    split: Optional[str] = None
    split_seed: Optional[int] = None
    data_home: Optional[str] = None
    model_settings: dict = field(default_factory=dict)
    progress: Optional[bool] = None
    verbose: bool = True

    def resolved(self, spec: ModelSpec) -> 'ExperimentSettings':
        """These settings with every unset option filled from the spec and the global defaults.

        Args:
            spec: The model's spec.

        Returns:
            A new :class:`ExperimentSettings`.

        Raises:
            SettingError: A count that is not a positive integer.
        """
        chosen = {name: getattr(self, name) if getattr(self, name) is not None
                  else spec.defaults.get(name, GLOBAL_DEFAULTS[name]) for name in GLOBAL_DEFAULTS}
        for name in ('epochs', 'batch_size', 'dim', 'eval_every', 'patience'):
            check_int(chosen[name], name.replace('_', '-'), _SCOPE)
        check_int_list(list(self.topk), 'topk', _SCOPE)
        if self.resume and not self.save_dir:
            raise SettingError(scoped(_SCOPE, 'resuming needs the run folder the run wrote its checkpoints to '
                                              '(--run-dir DIR).'))
        return replace(self, **chosen)


@dataclass
class ExperimentData:
    """The data of one experiment.

    Attributes:
        name: Dataset name.
        split: The interaction split (train / validation / test).
        graph: The knowledge graph (KG models), or None.
        kg_train: Its triples the model trains on (the others test it), or None.
        kg_test: The held-out triples, or None.
        sequences: Behaviour sequences (CTR models), or None.
        ctr: Labelled CTR feature examples (:class:`~openrec2.datasets.ctr_split.CTRSplit`
            of DLRM), or None.
    """

    name: str
    split: Any
    graph: Any = None
    kg_train: Any = None
    kg_test: Any = None
    sequences: Any = None
    ctr: Any = None

    @property
    def source(self) -> Any:
        """What the model trains on: the CTR split, the sequences or the interaction split."""
        return next(one for one in (self.ctr, self.sequences, self.split) if one is not None)

    @property
    def protocol(self) -> str:
        """The split protocol in words."""
        text = self.source.protocol
        if self.kg_test is not None:
            text += f'; {len(self.kg_test):,} KG triples ({KG_TEST_RATIO:.0%}, seed {KG_SPLIT_SEED}) held out'
        return text


@dataclass
class ExperimentResult:
    """What :func:`run_experiment` measured.

    Attributes:
        model: Model name.
        dataset: Dataset name.
        results: ``{split: MetricResults}`` of the model after training (best state).
        baseline: ``{split: MetricResults}`` of the baseline.
        baseline_name: ``'MostPopular'``, ``'TargetPopularity'`` or ``'LogisticRegression'``.
        history: The :class:`~openrec2.trainer.history.TrainingHistory`.
        iterations_per_epoch: Training iterations of one epoch.
        model_settings: Keyword arguments the model was built with (sizes and data left out).
        seconds: Wall time of the whole experiment.
        final_eval_seconds: Wall time of the final evaluation.
        pretraining: The result of the model this one was pretrained from, or None.
        protocol: The split protocol.
        checkpoint: Checkpoint of the trained model (when it was saved), or None.
        early_stop_metric: The validation metric early stopping watched, or None.
    """

    model: str
    dataset: str
    results: dict
    baseline: dict
    baseline_name: str
    history: Any
    iterations_per_epoch: int
    model_settings: dict
    seconds: float
    final_eval_seconds: float
    pretraining: Optional['ExperimentResult'] = None
    protocol: str = ''
    checkpoint: Optional[str] = None
    early_stop_metric: Optional[str] = None

    @property
    def epochs_run(self) -> float:
        """Epochs trained."""
        return self.history.iterations_run / self.iterations_per_epoch

    @property
    def best_epoch(self) -> Optional[float]:
        """Epoch of the best validation evaluation (early stopping), or None."""
        best = self.history.best_iteration
        return None if best is None else best / self.iterations_per_epoch


# ---------------------------------------------------------------------- data
def load_experiment_data(spec: ModelSpec, dataset: str, settings: ExperimentSettings) -> ExperimentData:
    """Load what ``spec``'s kind of data needs from a named dataset.

    Args:
        spec: The model's spec.
        dataset: Dataset name.
        settings: The experiment's settings (split protocol, seed, data home).

    Returns:
        The :class:`ExperimentData`.

    Raises:
        UnknownOptionError: The dataset does not offer that kind of data, or a loader
            option it does not take.
        DataError: The dataset lacks item features a content model needs.
    """
    from openrec2.datasets.registry import CTR_LOADERS, KG_LOADERS, LOADERS, SEQUENCE_LOADERS, call_loader
    options = {key: value for key, value in (('split', settings.split), ('seed', settings.split_seed),
                                             ('data_home', settings.data_home)) if value is not None}
    scope = f'{_SCOPE} {spec.name}'
    if spec.data in SEQUENCE_KINDS:
        if settings.split is not None or settings.split_seed is not None:
            raise UnknownOptionError(scoped(scope, f'{spec.name} trains on leave-last-out behaviour sequences; '
                                                   '--split / --split-seed do not apply.'))
        sequences = call_loader(SEQUENCE_LOADERS, dataset, scope, **options)
        return ExperimentData(dataset, None, sequences=sequences)
    if spec.data == 'ctr':
        return ExperimentData(dataset, None, ctr=call_loader(CTR_LOADERS, dataset, scope, **options))
    if spec.data == 'knowledge_graph':
        split, graph = call_loader(KG_LOADERS, dataset, scope, **options)
        kg_train, kg_test = graph.split(KG_TEST_RATIO, seed=KG_SPLIT_SEED)
        return ExperimentData(dataset, split, graph=graph, kg_train=kg_train, kg_test=kg_test)
    split = call_loader(LOADERS, dataset, scope, **options)
    for side in spec.features:
        if getattr(split, f'{side}_features') is None:
            offered = ', '.join(f'{name} ({what})' for name, what in FEATURE_DATASETS[side].items())
            raise DataError(scoped(spec.name, f'{split.name} has no {side} features; use {offered}.'))
    return ExperimentData(dataset, split)


# ---------------------------------------------------------------------- building
def owned_settings(spec: ModelSpec) -> dict[str, str]:
    """Constructor keywords the data or an option sets, so ``--set`` may not: ``{name: by what}``.

    Args:
        spec: The model's spec.

    Returns:
        The map.
    """
    owned = {name: 'the dataset' for name in ('max_user', 'max_item', 'item_features', 'num_entities',
                                              'num_relations', 'item_entity', 'ln_emb', 'num_dense_features',
                                              *spec.features.values())}
    owned.update({'batch_size': '--batch-size', 'lr': '--lr', 'l2_reg': '--l2', 'seed': '--seed',
                  'test_batch_size': '--test-batch-size', 'epochs': '--epochs', spec.dim_setting: '--dim'})
    # The usual name of the embedding size, for models whose keyword differs (VBPR's dim_gamma, ...).
    owned.setdefault('dim_embed', f'--dim (it is {spec.dim_setting} of {spec.name})')
    owned.update({name: 'nothing (Python API only)' for name in ('init_dict', 'sess_config', 'scope')})
    owned.update({name: 'the pretraining' for name in ('pretrained_user_embeddings', 'pretrained_item_embeddings')})
    owned['item_serving_size'] = 'nothing (legacy scripts pass it; serving scores every item at once)'
    return owned


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to unit L2 norm (zero rows stay zero): content features on one scale."""
    matrix = np.asarray(matrix, dtype=np.float32)
    return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)


def model_keywords(spec: ModelSpec, data: ExperimentData, settings: ExperimentSettings) -> dict[str, Any]:
    """The keyword arguments the experiment builds the model with.

    Args:
        spec: The model's spec.
        data: The experiment's data.
        settings: Resolved settings.

    Returns:
        ``{keyword: value}``.
    """
    source = data.source
    keywords: dict[str, Any] = dict(batch_size=settings.batch_size, max_user=source.max_user,
                                    max_item=source.max_item, test_batch_size=settings.test_batch_size,
                                    lr=settings.lr, seed=settings.seed)
    keywords[spec.dim_setting] = settings.dim
    if settings.l2_reg is not None:
        keywords['l2_reg'] = settings.l2_reg
    for side, keyword in spec.features.items():
        # Next-item models take the side features a sequence dataset has (Beauty has no user features).
        features = getattr(source, f'{side}_features', None)
        keywords[keyword] = None if features is None else _unit_rows(features)
    if spec.data == 'item_features':
        keywords['epochs'] = settings.epochs
    elif spec.data == 'knowledge_graph':
        keywords.update(num_entities=data.graph.num_entities, num_relations=data.graph.num_relations,
                        item_entity=data.graph.item_entity)
    elif spec.data == 'sequences':
        keywords['item_features'] = source.item_features
    elif spec.data == 'ctr':
        keywords.update(ln_emb=source.cardinalities, num_dense_features=source.num_dense)
    context = {'dim': settings.dim, **{f'{side}_features': (None if getattr(source, f'{side}_features', None) is None
                                                            else getattr(source, f'{side}_features').shape[1])
                                       for side in ('item', 'user')}}
    keywords.update({key: value.compute(context) if isinstance(value, Derived) else value
                     for key, value in spec.settings.items()})
    keywords.update(settings.model_settings)
    return keywords


def training_samplers(spec: ModelSpec, data: ExperimentData, settings: ExperimentSettings, model):
    """The training sampler(s) and the iterations of one epoch.

    Args:
        spec: The model's spec.
        data: The experiment's data.
        settings: Resolved settings.
        model: The built model (DIEN's history length, KTUP's schedule).

    Returns:
        ``(sampler or {objective: sampler}, iterations per epoch)``.
    """
    import openrec2.utils.samplers as samplers
    common = dict(num_process=settings.num_workers, seed=settings.seed)
    if spec.data == 'ctr':
        sampler = samplers.CTRSampler(data.ctr.train, settings.batch_size, **common)
        return sampler, sampler.batches_per_epoch
    if spec.data == 'sequences':
        sampler = samplers.SequenceSampler(data.sequences, settings.batch_size, model.max_seq_length, **common)
        return sampler, sampler.batches_per_epoch
    if spec.data == 'next_item':
        sampler = getattr(samplers, spec.sampler)(data.sequences, settings.batch_size, model.max_seq_len, **common)
        return sampler, sampler.batches_per_epoch
    if spec.data == 'knowledge_graph':
        rec = samplers.PairwiseSampler(data.split.train, settings.batch_size, **common)
        kg = samplers.KGSampler(data.kg_train, settings.batch_size, **common)
        per_round = sum(count for _, count in model.default_schedule(
            {'rec': rec.batches_per_epoch, 'kg': kg.batches_per_epoch}))
        return {'rec': rec, 'kg': kg}, per_round
    name, options = (spec.sampler, {}) if spec.sampler else (model.training_sampler, model.training_sampler_options())
    sampler = getattr(samplers, name)(data.split.train, settings.batch_size, **common, **options)
    return sampler, sampler.batches_per_epoch


def evaluation_plan(spec: ModelSpec, data: ExperimentData, settings: ExperimentSettings,
                    final: bool) -> tuple[dict, list]:
    """The evaluation splits and the evaluators of an experiment.

    Args:
        spec: The model's spec.
        data: The experiment's data.
        settings: Resolved settings.
        final: The evaluation after training (adds the attacked test ranking of content
            models and the KG triples); False: the validation evaluations of training.

    Returns:
        ``({split: spec}, evaluators)`` for :meth:`~openrec2.ModelTrainer.train` /
        :meth:`~openrec2.ModelTrainer.evaluate`.
    """
    from openrec2.trainer.adversarial_evaluation import AdversarialEvaluation
    from openrec2.trainer.evaluations import Evaluation
    from openrec2.trainer.kg_evaluation import KGTailEvaluation
    from openrec2.utils.evaluators import AUC, MRR, NDCG, HitRatio, LogLoss, Precision, Recall
    import openrec2.utils.samplers as samplers
    from openrec2.utils.samplers import (EvaluationSampler, labelled_ctr_sampler, labelled_sequence_sampler,
                                         ranking_sequence_sampler)
    ks = list(settings.topk)
    ranking = [Recall(ks), NDCG(ks), Precision(ks), HitRatio(ks), MRR(ks), AUC()]
    parts = ['validation', 'test'] if final else ['validation']
    if spec.data == 'ctr':
        return {part: Evaluation(labelled_ctr_sampler(getattr(data.ctr, part), settings.test_batch_size),
                                 [AUC(), LogLoss()]) for part in parts}, []
    if spec.data == 'next_item':
        length = settings.model_settings.get('max_seq_len', spec.settings['max_seq_len'])
        evaluation_sampler = getattr(samplers, NEXT_ITEM_EVALUATION[spec.sampler])
        return {part: evaluation_sampler(data.sequences, max_seq_len=length, part=part,
                                         batch_size=settings.test_batch_size)
                for part in parts if part == 'test' or data.sequences.has_validation.any()}, ranking
    if spec.data == 'sequences':
        length = settings.model_settings.get('max_seq_length', spec.settings.get('max_seq_length', 50))
        parts = ['validation', 'test'] if final else ['validation']
        plan = {part: [Evaluation(labelled_sequence_sampler(data.sequences, part, length, seed=settings.seed,
                                                            batch_size=settings.test_batch_size),
                                  [AUC(), LogLoss()]),
                       Evaluation(ranking_sequence_sampler(data.sequences, part, length, SEQUENCE_CANDIDATES,
                                                           SEQUENCE_RANKING_USERS, seed=settings.seed,
                                                           batch_size=settings.test_batch_size),
                                  [HitRatio(ks), NDCG(ks)])]
                for part in parts if part == 'test' or data.sequences.has_validation.any()}
        return plan, []
    split = data.split
    plan: dict[str, Any] = {}
    if split.validation is not None:
        plan['validation'] = EvaluationSampler(split.validation, settings.test_batch_size, [split.train])
    if final:
        excluded = [split.train] + ([split.validation] if split.validation is not None else [])
        test = EvaluationSampler(split.test, settings.test_batch_size, excluded)
        plan['test'] = AdversarialEvaluation(test, split.train) if spec.attacked else test
        if spec.data == 'knowledge_graph':
            plan['kg'] = KGTailEvaluation(data.kg_test, data.graph, num_corrupted=5, seed=KG_SPLIT_SEED)
    return plan, ranking


def baseline_scorer(spec: ModelSpec, data: ExperimentData, seed: int = 0) -> tuple[str, Any, bool]:
    """The baseline of a model's kind of data, as a scoring function.

    Args:
        spec: The model's spec.
        data: The experiment's data.
        seed: Seed of a baseline that is fit (the logistic regression).

    Returns:
        ``(name, score_fn, scores are probabilities)``: a logistic regression on the
        same features (fit on train, its epoch and L2 chosen on validation) for labelled
        CTR feature examples, else the popularity of the items in training.
    """
    from openrec2.trainer.baselines import popularity_scorer
    from openrec2.trainer.logistic_regression import LogisticRegressionBaseline
    if spec.data == 'ctr':
        return 'LogisticRegression', LogisticRegressionBaseline(data.ctr.train, data.ctr.validation,
                                                                seed=seed).scorer(), True
    scorer = popularity_scorer(data.source.train)
    return ('TargetPopularity' if spec.data == 'sequences' else 'MostPopular'), scorer, False


def baseline_results(spec: ModelSpec, data: ExperimentData, plan: dict, evaluators: list,
                     seed: int = 0) -> tuple[str, dict]:
    """The baseline (:func:`baseline_scorer`) on the experiment's splits.

    Args:
        spec: The model's spec.
        data: The experiment's data.
        plan: The final evaluation plan.
        evaluators: The plan's evaluators (for evaluations without their own).
        seed: Seed of a baseline that is fit.

    Returns:
        ``(baseline name, {split: metrics})``; the KG evaluation has no baseline and
        the attacked test split is ranked clean.
    """
    from openrec2.trainer.evaluations import as_evaluations
    from openrec2.utils.evaluators import LogLoss, evaluate_with_scorer
    name, scorer, probabilities = baseline_scorer(spec, data, seed)
    results = {}
    for split_name, split_spec in plan.items():
        values: dict = {}
        for evaluation in as_evaluations(split_spec):
            sampler = getattr(evaluation, 'sampler', None)
            if sampler is None:
                continue
            # Popularity counts are not probabilities: no LogLoss for them.
            chosen = [e for e in (evaluation.evaluators or evaluators) if probabilities or not isinstance(e, LogLoss)]
            values.update(evaluate_with_scorer(scorer, sampler, chosen or None))
        if values:
            results[split_name] = values
    return name, results


# ---------------------------------------------------------------------- running
def run_experiment(model_name: str, dataset: str, settings: Optional[ExperimentSettings] = None,
                   log_stream: Optional[TextIO] = None, data: Optional[ExperimentData] = None,
                   cluster=None) -> ExperimentResult:
    """Train a registered model on a named dataset and evaluate it next to the baseline.

    Args:
        model_name: A registered model (``python -m openrec2 list``).
        dataset: A dataset name.
        settings: Options (None: all defaults).
        log_stream: Stream of the training log (default stdout).
        data: Data already loaded for this model's kind (benchmarks share one split).
        cluster: A :class:`~openrec2.distributed.placement.ClusterPlacement` to train on a
            parameter-server cluster as one of its workers (None: in this process). Each
            worker trains on its own user shard of the training split; only the chief
            (worker 0) evaluates, checkpoints and writes the run folder; the other workers
            return a result without metrics.

    Returns:
        The :class:`ExperimentResult`.

    Raises:
        CollapsedScoresError: The trained model scores every item the same.
        OpenRecError: Bad options or data; the message says what to change.
    """
    started = time.perf_counter()
    spec = get_model_spec(model_name)
    settings = (settings or ExperimentSettings()).resolved(spec)
    if cluster is not None:
        _check_cluster_experiment(spec)
    data = data if data is not None else load_experiment_data(spec, dataset, settings)
    pretraining, keywords = None, model_keywords(spec, data, settings)
    temporary = None
    if cluster is not None:
        if not cluster.is_chief:  # only the chief writes (and resumes) the run folder
            settings = replace(settings, save_dir=None, resume=False)
    if settings.save_dir:
        write_settings(settings.save_dir, spec.name, dataset, settings)
    try:
        if needs_pretraining(spec, settings):
            folder = (os.path.join(settings.save_dir, f'pretrain_{spec.pretrain}') if settings.save_dir
                      else (temporary := tempfile.TemporaryDirectory(prefix='openrec2_pretrain_')).name)
            pretraining = _pretrain(spec, dataset, data, settings, folder, log_stream, cluster)
            if pretraining.checkpoint is not None:  # None on a cluster's other workers: the chief initialises
                keywords.update(pretrained_keywords(spec, settings, pretraining.checkpoint, keywords))
        result = _train_and_evaluate(spec, dataset, data, settings, keywords, log_stream, cluster)
    finally:
        if temporary is not None:
            temporary.cleanup()
    result.pretraining = pretraining
    if temporary is not None and 'pre_model_path' in result.model_settings:  # its folder is gone now
        result.model_settings['pre_model_path'] = f'(the {spec.pretrain} pretraining above)'
    result.seconds = time.perf_counter() - started
    if settings.save_dir:
        write_results(settings.save_dir, result)
    collapsed = [name for name, metrics in result.results.items() if metrics.collapsed]
    if collapsed:
        error = CollapsedScoresError(scoped(spec.name, (
            f'after training, the model scores every item the same on {collapsed} (largest spread '
            f'{result.results[collapsed[0]].score_spread:.1e}): its ranking would only be the tie-breaking '
            'order, so no metric is reported. Lower the learning rate, train longer, or start from pretrained '
            'embeddings.')))
        error.result = result
        raise error
    return result


def _check_cluster_experiment(spec: ModelSpec) -> None:
    """Refuse what cluster training does not do: models not trained on an interaction split,
    and the models whose spec says why they cannot (``ModelSpec.not_on_cluster``)."""
    reason = spec.not_on_cluster or (
        '' if spec.data in ('interactions', 'item_features', 'knowledge_graph') else
        f'cluster training shards an interaction split by user; {spec.name} trains on {spec.data} data')
    if reason:
        raise SettingError(scoped(spec.name, f'{spec.name} does not train on a cluster: {reason}. '
                                             'Train it in one process (without --cluster).'))


def needs_pretraining(spec: ModelSpec, settings: ExperimentSettings) -> bool:
    """Whether the model starts from a pretrained model (its spec names one and no ``--set``
    setting replaces the pretraining)."""
    return bool(spec.pretrain) and not set(spec.pretrain_overrides) & set(settings.model_settings)


def pretrained_keywords(spec: ModelSpec, settings: ExperimentSettings, checkpoint: str, keywords: dict) -> dict:
    """The constructor keywords that start the model from its pretraining checkpoint ({} without one).

    Args:
        spec: The model's spec.
        settings: Resolved settings.
        checkpoint: The pretrained model's checkpoint prefix.
        keywords: The model's other keywords (sizes).

    Returns:
        ``{keyword: value}`` of the model's ``pretrained_keywords``.
    """
    if not needs_pretraining(spec, settings):
        return {}
    return spec.recommender_class().pretrained_keywords(checkpoint, keywords['max_user'], keywords['max_item'],
                                                        settings.dim)


def _pretrain(spec: ModelSpec, dataset: str, data: ExperimentData, settings: ExperimentSettings, folder: str,
              log_stream: Optional[TextIO], cluster=None) -> ExperimentResult:
    """Train the spec's pretraining model (early stopped, its own defaults) and save it.

    On a cluster every worker trains it first, on its shard, in its own resource container
    (:meth:`~openrec2.distributed.placement.ClusterPlacement.phase`); the chief saves it and
    initialises the model from it (the other workers' results have no checkpoint)."""
    base = get_model_spec(spec.pretrain)
    if base.data != 'interactions':
        raise SettingError(scoped(spec.name, f'pretraining from {base.name} needs an interaction model.'))
    own = ExperimentSettings(dim=settings.dim, seed=settings.seed, test_batch_size=settings.test_batch_size,
                             num_workers=settings.num_workers, topk=settings.topk, progress=settings.progress,
                             verbose=settings.verbose, save_dir=folder,
                             resume=settings.resume and settings.save_dir is not None)
    if settings.verbose:
        print(f'pretraining {base.name} for {spec.name} (dim {settings.dim}, early stopping on validation)',
              file=log_stream)
    phase = None if cluster is None else cluster.phase(f'pretrain-{base.name}')
    return run_experiment(base.name, dataset, own, log_stream, data=data, cluster=phase)


def _train_and_evaluate(spec: ModelSpec, dataset: str, data: ExperimentData, settings: ExperimentSettings,
                        keywords: dict, log_stream: Optional[TextIO], cluster=None) -> ExperimentResult:
    """Build, train and evaluate the model (in one process, or as one worker of ``cluster``).

    In a cluster every worker trains its own user shard (:mod:`openrec2.distributed.sharding`)
    in the same trainer loop; only the chief evaluates, stops early, checkpoints and runs the
    final evaluation and the baseline (the other workers return no metrics).
    """
    from openrec2.recommenders.graph_placement import placing
    from openrec2.trainer.model_trainer import ModelTrainer
    with placing(cluster):
        model = spec.recommender_class()(**keywords)
    chief = cluster is None or cluster.is_chief
    train_data, sampler_settings = data, settings
    if cluster is not None:
        from openrec2.distributed.sharding import shard_training_data
        workers, task = cluster.config.num_workers, cluster.config.task
        train_data = shard_training_data(data, workers, task, seed=settings.seed)
        sampler_settings = replace(settings, seed=settings.seed + task)  # each worker its own stream
    if not chief:
        settings = replace(settings, early_stop=False)
    train_plan, evaluators = evaluation_plan(spec, data, settings, final=False)
    final_plan, _ = evaluation_plan(spec, data, settings, final=True)
    stop_metric = settings.early_stop_metric or ('AUC' if spec.data in LABELLED_KINDS else
                                                 f'NDCG@{min(settings.topk)}')
    use_early_stop = settings.early_stop and 'validation' in train_plan
    sampler, per_epoch = training_samplers(spec, train_data, sampler_settings, model)
    samplers = list(sampler.values()) if isinstance(sampler, dict) else [sampler]
    results, final_seconds, checkpoint = {}, 0.0, None
    try:
        trainer = ModelTrainer(model, save_dir=settings.save_dir,
                               early_stop_metric=stop_metric if use_early_stop else None,
                               patience=settings.patience, progress=settings.progress, verbose=settings.verbose,
                               log_stream=log_stream)
        eval_iter = settings.eval_every * per_epoch
        history = trainer.train(total_iter=settings.epochs * per_epoch, eval_iter=eval_iter,
                                save_iter=eval_iter if settings.save_dir else None, train_sampler=sampler,
                                eval_samplers=train_plan if chief and (use_early_stop or settings.verbose) else {},
                                evaluators=evaluators, resume=settings.resume)
        if chief:
            checkpoint = model.save(settings.save_dir, name=FINAL_CHECKPOINT) if settings.save_dir else None
            eval_started = time.perf_counter()
            results = trainer.evaluate(final_plan, evaluators)
            final_seconds = time.perf_counter() - eval_started
    finally:
        for one in samplers:
            one.close()
        model.close()
    baseline_name, baseline = (baseline_results(spec, data, final_plan, evaluators, settings.seed) if chief
                               else ('MostPopular', {}))
    shown = {key: value for key, value in keywords.items() if not isinstance(value, np.ndarray)
             and key not in ('max_user', 'max_item', 'num_entities', 'num_relations')}
    protocol = data.protocol if cluster is None else (
        f'{data.protocol}; cluster of {cluster.config.num_ps} ps x {cluster.config.num_workers} workers '
        f'({cluster.mode}), training split sharded by user' + (
        ' and knowledge graph by query' if data.kg_train is not None else ''))
    return ExperimentResult(spec.name, dataset, results, baseline, baseline_name, history, per_epoch, shown,
                            0.0, final_seconds, protocol=protocol, checkpoint=checkpoint,
                            early_stop_metric=stop_metric if use_early_stop else None)
