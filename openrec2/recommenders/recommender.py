"""The Recommender base class: one graph, one session, training and serving graphs.

A recommender builds a training graph and then, inside a reusing variable scope, a
serving graph over the same variables, so serving never needs a checkpoint round trip.
Subclasses fill in build hooks with modules; the base class does the bookkeeping:
inputs keyed by the names samplers use, named training objectives with their own
optimisers, feeding with checks, save/load with optimiser state.
"""

from __future__ import annotations

import contextlib
import os
from collections import OrderedDict
from typing import Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np
import tensorflow.compat.v1 as tf

from openrec2.errors import (
    CheckpointError,
    DataError,
    DTypeError,
    MissingInputError,
    ShapeError,
    TrainingError,
    UnknownOptionError,
    VariableSharingError,
    scoped,
)
from openrec2.modules import FeaturePerturbation, Module, snake_case
from openrec2.modules.array_initializer import initializer_feeds
from openrec2.recommenders.graph_placement import active_placement
from openrec2.recommenders.optimizers import OPTIMIZERS, make_optimizer, name_slots_as_whole_tables
from openrec2.recommenders.pretrained import checkpoint_prefix
from openrec2.recommenders.session_step import SessionStep
from openrec2.validation import check_choice, check_int, check_learning_rate, check_non_negative

#: Name of the objective every module loss joins unless told otherwise.
DEFAULT_OBJECTIVE = "default"
#: Keys the samplers' batches carry for every model; serve() ignores them when unused.
BATCH_KEYS = ("user_id", "label")
#: Legacy OpenRec batch keys, added beside openrec2's for a legacy ``_input_mappings``.
LEGACY_BATCH_KEYS = {"user_id": ("user_id_input",), "item_id": ("item_id_input",),
                     "p_item_id": ("p_item_id_input",), "n_item_id": ("n_item_id_input", "n_item_id_inputs"),
                     "label": ("labels",)}


class Recommender:
    """Base class of every model.

    Args:
        batch_size: Training batch size (used by trainers and samplers; the graph
            accepts any batch size).
        max_user: Number of users (ids are ``0 .. max_user - 1``).
        max_item: Number of items.
        extra_interactions_funcs: Legacy OpenRec: functions ``f(train)`` that build more
            interaction modules, called in order after :meth:`_build_default_interactions`
            for the training graph and again for the serving graph.
        extra_fusions_funcs: Legacy OpenRec: the same for fusion modules, after
            :meth:`_build_default_fusions`.
        test_batch_size: Users per serving call during evaluation (default
            ``batch_size``).
        l2_reg: L2 weight passed to the modules that take one.
        opt: Optimiser name (see :mod:`openrec2.recommenders.optimizers`).
        lr: Learning rate (None for the optimiser's default).
        init_dict: ``{variable name: numpy array}`` initial values, applied after the
            random initialisation (names with or without the model scope and ``:0``).
        sess_config: A ``tf.ConfigProto`` for the session.
        seed: Graph-level random seed (makes initialisation and dropout repeatable).
        scope: Variable scope of the model (default: class name in snake_case).

    Raises:
        SettingError: a size that is not a positive integer, a negative ``l2_reg``, an
            unknown ``opt`` or a learning rate that is not a number > 0.
        VariableSharingError: an ``init_dict`` name matches no variable, or the
            serving graph asks for a variable the training graph did not make.
    """

    def __init__(self, batch_size: int, max_user: int, max_item: int,
                 extra_interactions_funcs: Sequence[Callable[[bool], None]] = (),
                 extra_fusions_funcs: Sequence[Callable[[bool], None]] = (),
                 test_batch_size: Optional[int] = None, l2_reg: Optional[float] = None,
                 opt: Union[str, tf.train.Optimizer] = "Adam", lr: Optional[float] = None,
                 init_dict: Optional[Mapping[str, np.ndarray]] = None,
                 sess_config: Optional[tf.ConfigProto] = None, seed: Optional[int] = None,
                 scope: Optional[str] = None):
        self._scope = scope or snake_case(type(self).__name__)
        self._batch_size = check_int(batch_size, "batch_size", self._scope)
        self._test_batch_size = check_int(test_batch_size, "test_batch_size", self._scope,
                                          allow_none=True) or self._batch_size
        self._max_user = check_int(max_user, "max_user", self._scope)
        self._max_item = check_int(max_item, "max_item", self._scope)
        self._l2_reg = check_non_negative(l2_reg, "l2_reg", self._scope, allow_none=True)
        if not isinstance(opt, tf.train.Optimizer):
            check_choice(opt, "opt", self._scope, OPTIMIZERS)
        self._opt = opt
        self._lr = check_learning_rate(lr, self._scope)
        self._seed = check_int(seed, "seed", self._scope, minimum=0, allow_none=True)

        self._inputs: Dict[bool, "OrderedDict[str, Tuple[tf.Tensor, Optional[int]]]"] = {True: OrderedDict(), False: OrderedDict()}
        self._modules: Dict[bool, "OrderedDict[str, Module]"] = {True: OrderedDict(), False: OrderedDict()}
        self._objective_losses: "OrderedDict[str, List[tf.Tensor]]" = OrderedDict()
        self._objectives: Dict[str, dict] = {}
        self._serving_outputs: List[Tuple[Tuple[str, ...], tf.Tensor]] = []
        self._post_training_ops: List[tf.Operation] = []
        self._feature_perturbation: Optional[FeaturePerturbation] = None
        self._interactions_funcs = [self._build_default_interactions] + self._check_funcs(
            extra_interactions_funcs, "extra_interactions_funcs")
        self._fusions_funcs = [self._build_default_fusions] + self._check_funcs(extra_fusions_funcs,
                                                                                "extra_fusions_funcs")
        #: Legacy OpenRec bookkeeping: the modules whose loss joins the training loss.
        self._loss_nodes: List[Module] = []
        self._legacy_mappings = type(self)._input_mappings is not Recommender._input_mappings

        # A cluster (openrec2.distributed) places the graph; None is the ordinary single process.
        self._placement = active_placement()
        self.graph = tf.Graph()
        with self.graph.as_default(), self._device_scope():
            if seed is not None:
                tf.set_random_seed(seed)
            partitioner = None if self._placement is None else self._placement.partitioner()
            with tf.variable_scope(self._scope, partitioner=partitioner):
                self._global_step = tf.get_variable("global_step", shape=[], dtype=tf.int64,
                                                    trainable=False, initializer=tf.zeros_initializer())
                # Training noise is drawn from the step (openrec2.modules.step_random), so that a
                # model restored from a checkpoint draws the noise the uninterrupted run would.
                tf.add_to_collection(tf.GraphKeys.GLOBAL_STEP, self._global_step)
                self._build_training_graph()
            try:
                with tf.variable_scope(self._scope, reuse=True):
                    self._build_serving_graph()
            except ValueError as err:
                if isinstance(err, VariableSharingError):
                    raise
                raise VariableSharingError(scoped(self._scope, (
                    f"the serving graph asked for a variable the training graph never made: {err}"))) from err
            self._register_legacy_scores()
            if not self._serving_outputs:
                raise MissingInputError(scoped(self._scope, (
                    "the serving graph declared no output; call self._set_serving_output(...) "
                    "in a serving build hook (or, legacy style, set self._scores there).")))
            if self._feature_perturbation is not None:
                self._feature_perturbation.build_attack(self._serving_output(("user_id",)),
                                                        self._get_input("user_id", train=False))
            self._saver = tf.train.Saver(max_to_keep=5, save_relative_paths=True)
            # One scalar that says whether every trainable value is finite, so a check
            # before saving never copies the tables out of the session.
            self._finite_op = tf.reduce_all(tf.stack(
                [tf.reduce_all(tf.math.is_finite(v)) for v in tf.trainable_variables()] or [tf.constant(True)]))
            self._init_op = tf.group(tf.global_variables_initializer(), tf.local_variables_initializer())
            if self._placement is None:
                self.sess = tf.Session(graph=self.graph, config=sess_config)
                self.sess.run(self._init_op, feed_dict=initializer_feeds(self.graph))
            else:
                self._placement.prepare(self.graph)
                self.sess = self._placement.start_session(self.graph, self._init_op,
                                                          initializer_feeds(self.graph), sess_config)
            if init_dict:
                self._apply_init_dict(init_dict)
        self.graph.finalize()  # a step never adds ops (the legacy add_n-per-step leak)

    def _device_scope(self):
        """Where the graph's ops go: the placement's device function, or nowhere in particular."""
        if self._placement is None:
            return contextlib.nullcontext()
        return self._placement.device_scope()

    # ================================================================ graph build
    def _build_training_graph(self) -> None:
        """Build the training graph: inputs, modules, objectives and their optimisers."""
        self._build_inputs(train=True)
        self._build_extractions(train=True)
        self._build_fusions(train=True)
        self._build_interactions(train=True)
        self._update_ops = list(tf.get_collection(tf.GraphKeys.UPDATE_OPS))
        self._build_optimizer()
        self._adopt_legacy_optimizer()
        for op in self._build_post_training_ops() or ():  # legacy hooks return their ops
            self._add_post_training_op(_as_op(op))

    def _build_serving_graph(self) -> None:
        """Build the serving graph over the training graph's variables."""
        self._build_inputs(train=False)
        self._build_extractions(train=False)
        self._build_fusions(train=False)
        self._build_interactions(train=False)

    def _build_inputs(self, train: bool = True) -> None:
        """Declare the inputs (user, item, extra)."""
        self._build_user_inputs(train)
        self._build_item_inputs(train)
        self._build_extra_inputs(train)

    def _build_user_inputs(self, train: bool = True) -> None:
        """Declare user inputs with :meth:`_add_input`."""

    def _build_item_inputs(self, train: bool = True) -> None:
        """Declare item inputs with :meth:`_add_input`."""

    def _build_extra_inputs(self, train: bool = True) -> None:
        """Declare any other input with :meth:`_add_input`."""

    def _build_extractions(self, train: bool = True) -> None:
        """Build the extraction modules (user, item, extra)."""
        self._build_user_extractions(train)
        self._build_item_extractions(train)
        self._build_extra_extractions(train)

    def _build_user_extractions(self, train: bool = True) -> None:
        """Build user extraction modules."""

    def _build_item_extractions(self, train: bool = True) -> None:
        """Build item extraction modules."""

    def _build_extra_extractions(self, train: bool = True) -> None:
        """Build other extraction modules."""

    def _build_fusions(self, train: bool = True) -> None:
        """Build the fusion modules: the default ones, then each ``extra_fusions_funcs(train)``."""
        for build in self._fusions_funcs:
            build(train)

    def _build_default_fusions(self, train: bool = True) -> None:
        """Build the default fusion modules."""

    def _build_interactions(self, train: bool = True) -> None:
        """Build the interaction modules: the default ones, then each ``extra_interactions_funcs(train)``."""
        for build in self._interactions_funcs:
            build(train)

    def _build_default_interactions(self, train: bool = True) -> None:
        """Build the default interaction modules (and the serving outputs)."""

    def _build_optimizer(self) -> None:
        """Make one optimiser and train op per named objective.

        Objectives come from module losses (:meth:`_add_module`) and :meth:`_add_loss`;
        :meth:`_declare_objective` may set a different optimiser, learning rate or
        variable list for one of them.
        """
        if not self._objective_losses:
            if getattr(self, "_train_op", None) is not None:
                return  # a legacy override built its own train op
            raise MissingInputError(scoped(self._scope, (
                "no training loss: add a module with a loss in a training build hook.")))
        trainable = tf.trainable_variables()
        for name, losses in self._objective_losses.items():
            settings = self._objectives.get(name, {})
            with tf.name_scope(f"objective_{name}"):
                loss = tf.add_n(losses) if len(losses) > 1 else tf.identity(losses[0])
                optimizer = make_optimizer(settings.get("opt") or self._opt,
                                           settings.get("lr", self._lr), self._scope)
                var_list = settings.get("var_list") or trainable
                grads = [(g, v) for g, v in optimizer.compute_gradients(loss, var_list=var_list) if g is not None]
                if not grads:
                    raise TrainingError(scoped(self._scope, (
                        f"objective {name!r} has no trainable variable with a gradient.")))
                grads = self._grad_post_processing(grads)
                if self._placement is not None:
                    optimizer = self._placement.wrap_optimizer(optimizer, name)
                with tf.variable_scope(f"optimizer_{name}"):
                    # An operation (SyncReplicasOptimizer returns its local-step update, a variable).
                    train_op = _as_op(optimizer.apply_gradients(grads, global_step=self._global_step))
                if self._placement is not None:
                    name_slots_as_whole_tables(optimizer, [v for _, v in grads])
            self._objectives[name] = dict(settings, loss=loss, train_op=train_op, optimizer=optimizer)

    def _grad_post_processing(self, grad_var_list: List[Tuple[tf.Tensor, tf.Variable]]):
        """Change gradients before they are applied (e.g. clipping); identity here.

        Args:
            grad_var_list: ``(gradient, variable)`` pairs.

        Returns:
            The pairs to apply.
        """
        return grad_var_list

    def _build_post_training_ops(self) -> Optional[List[tf.Operation]]:
        """Add ops to run after each training step with :meth:`_add_post_training_op`.

        Returns:
            Nothing here; a legacy OpenRec override returns its list of ops, which are
            added the same way.
        """
        return None

    # ====================================================== legacy OpenRec hooks
    def _check_funcs(self, funcs, option: str) -> list:
        """The legacy ``extra_*_funcs`` as a list of callables (a clear error otherwise)."""
        if callable(funcs) or isinstance(funcs, (str, bytes)):
            raise UnknownOptionError(scoped(self._scope, (
                f"{option} must be a list of functions f(train), got {funcs!r}; wrap one function in a list.")))
        funcs = list(funcs or ())
        for func in funcs:
            if not callable(func):
                raise UnknownOptionError(scoped(self._scope, (
                    f"{option} must hold functions f(train) that build modules; got {func!r}.")))
        return funcs

    def _input_mappings(self, batch_data: Mapping, train: bool) -> dict:
        """Legacy OpenRec hook: ``{placeholder: batch value}`` for one batch.

        openrec2 feeds inputs by name, so this base version is never called. A subclass
        that overrides it (a legacy OpenRec model) is fed through it instead: its batches
        carry the legacy keys (``user_id_input``, ``item_id_input``, ``p_item_id_input``,
        ``n_item_id_input``/``n_item_id_inputs``, ``labels``) beside openrec2's, serving batches get
        ``item_id_input = arange(max_item)`` when they have none (as the legacy trainer
        passed), and :meth:`serve` returns ``self._scores``.

        Args:
            batch_data: The batch.
            train: Training (True) or serving (False) graph.

        Returns:
            The feed dict; empty here.
        """
        return {}

    def _legacy_feed(self, batch, train: bool) -> dict:
        """Feed dict of a legacy ``_input_mappings`` (entries for ``'none'`` inputs dropped)."""
        if isinstance(batch, np.ndarray) and batch.dtype.names:  # a legacy sampler's structured batch
            batch = {name: batch[name] for name in batch.dtype.names}
        self._require_mapping(batch)
        batch = dict(batch)
        for key, legacy_keys in LEGACY_BATCH_KEYS.items():
            for legacy_key in legacy_keys:
                if key in batch and legacy_key not in batch:
                    batch[legacy_key] = batch[key]
        if not train and "item_id_input" not in batch:
            batch["item_id_input"] = np.arange(self._max_item, dtype=np.int32)
        try:
            feed = self._input_mappings(batch, train)
        except KeyError as err:
            raise MissingInputError(scoped(self._scope, (
                f"_input_mappings read batch key {err} that the batch lacks; it has {sorted(batch)}."))) from err
        return {placeholder: value for placeholder, value in feed.items() if placeholder is not None}

    def _register_legacy_scores(self) -> None:
        """Make a legacy ``self._scores`` (set in the serving build) the all-item serving output."""
        scores = getattr(self, "_scores", None)
        if self._serving_outputs or scores is None:
            return
        names = ("user_id",) if self._inputs[False].get("user_id", (None,))[0] is not None else tuple(
            name for name, (placeholder, _) in self._inputs[False].items() if placeholder is not None)
        self._serving_outputs.append((names, scores))

    def _adopt_legacy_optimizer(self) -> None:
        """Share ``self._loss`` / ``self._train_op`` with legacy code, both ways.

        After openrec2's :meth:`_build_optimizer` they are the default objective's loss
        and train op; a legacy override of :meth:`_build_optimizer` that set them itself
        (and declared no objective) makes them the default objective.
        """
        if not self._objectives.get(DEFAULT_OBJECTIVE, {}).get("train_op") and \
                getattr(self, "_train_op", None) is not None and getattr(self, "_loss", None) is not None:
            self._objectives[DEFAULT_OBJECTIVE] = dict(loss=self._loss, train_op=self._train_op, optimizer=None)
        settings = self._objectives.get(self.default_objective, {}) if self._objectives else {}
        self._loss = settings.get("loss")
        self._train_op = settings.get("train_op")

    def compute_module_outputs(self, name: str, batch_data, train: bool = True) -> list:
        """Legacy OpenRec: the outputs of one registered module on a batch.

        Args:
            name: Module name given to :meth:`_add_module`.
            batch_data: Batch feeding the inputs the module depends on.
            train: Module of the training (True) or serving (False) graph.

        Returns:
            A list of numpy arrays (empty for a module without outputs).

        Raises:
            MissingInputError: No such module, or the batch lacks an input it needs.
        """
        outputs = self._get_module(name, train).get_outputs()
        if not outputs:
            return []
        return self.sess.run(outputs, feed_dict=self._feed_for(outputs, batch_data, train))

    def compute_module_loss(self, name: str, batch_data, train: bool = True):
        """Legacy OpenRec: the loss of one registered module on a batch.

        Args:
            name: Module name given to :meth:`_add_module`.
            batch_data: Batch feeding the inputs the loss depends on.
            train: Module of the training (True) or serving (False) graph.

        Returns:
            The loss value (a float for a module without a loss tensor).

        Raises:
            MissingInputError: No such module, or the batch lacks an input it needs.
        """
        loss = self._get_module(name, train).get_loss()
        if isinstance(loss, (int, float)):
            return float(loss)
        return self.sess.run(loss, feed_dict=self._feed_for([loss], batch_data, train))

    def _feed_for(self, tensors: Sequence[tf.Tensor], batch, train: bool) -> dict:
        """Feed dict of the inputs ``tensors`` depend on (a legacy model's own mapping)."""
        if self._legacy_mappings:
            return self._legacy_feed(batch, train)
        placeholders = {ph.op for ph, _ in self._inputs[train].values() if ph is not None}
        needed = {op for op in _ancestor_ops([t.op for t in tensors]) if op in placeholders}
        names = [name for name, (ph, _) in self._inputs[train].items() if ph is not None and ph.op in needed]
        return self._feed_dict(batch, names, train)

    @property
    def _sess(self) -> tf.Session:
        """Legacy name of :attr:`sess`."""
        return self.sess

    # ============================================================= bookkeeping
    def _add_input(self, name: str, dtype="int32", shape: Optional[Sequence[Optional[int]]] = (None,),
                   train: bool = True, max_value: Optional[int] = None) -> Optional[tf.Tensor]:
        """Declare an input placeholder; batches feed it by ``name``.

        Args:
            name: Key of the batch dict (e.g. ``'user_id'``).
            dtype: TensorFlow dtype or its name; legacy ``'none'`` declares the name
                without a placeholder (``_get_input`` gives None) until a later call
                declares it for real.
            shape: Placeholder shape (``None`` for free dimensions; ``shape=None`` for
                any rank, as legacy OpenRec allowed).
            train: Input of the training graph (True) or the serving graph (False).
            max_value: For id inputs, the exclusive upper bound checked when feeding.

        Returns:
            The placeholder (None for ``dtype='none'``).

        Raises:
            VariableSharingError: the name is declared twice in one graph (a ``'none'``
                declaration may be replaced; a legacy model, one with its own
                ``_input_mappings``, may replace any, as legacy OpenRec did).
            DTypeError: an unknown dtype name.
        """
        previous = self._inputs[train].get(name)
        if previous is not None and previous[0] is not None and not self._legacy_mappings:
            raise VariableSharingError(scoped(self._scope, f"input {name!r} is declared twice."))
        if isinstance(dtype, str) and dtype.lower() == "none":
            self._inputs[train][name] = (None, None)
            return None
        try:
            dtype = tf.as_dtype(dtype)
        except TypeError as err:
            raise DTypeError(scoped(self._scope, (
                f"input {name!r}: unknown dtype {dtype!r}; use e.g. 'int32', 'float32' or 'none'."))) from err
        placeholder = tf.placeholder(dtype, shape=None if shape is None else list(shape),
                                     name=f"{name}_{'train' if train else 'serve'}")
        self._inputs[train][name] = (placeholder, max_value)
        return placeholder

    def _get_input(self, name: str, train: bool = True) -> Optional[tf.Tensor]:
        """Return a declared input placeholder (None for a legacy ``dtype='none'`` one).

        Raises:
            MissingInputError: no such input in that graph.
        """
        if name not in self._inputs[train]:
            raise MissingInputError(scoped(self._scope, (
                f"no {'training' if train else 'serving'} input {name!r}; declared: "
                f"{list(self._inputs[train])}.")))
        return self._inputs[train][name][0]

    def _add_module(self, name: str, module: Module, train_loss=None, train: bool = True) -> Module:
        """Register a module under ``name``.

        Args:
            name: Name for :meth:`_get_module`.
            module: The module.
            train_loss: Where the module's loss goes (training graph only): None or True
                for the default objective, False for nowhere, or an objective name or
                list of names.
            train: Module of the training (True) or serving (False) graph.

        Returns:
            The module.

        Raises:
            VariableSharingError: the name is already used in that graph (a legacy
                model, one with its own ``_input_mappings``, replaces the module, as
                legacy OpenRec did; the earlier module's loss still counts).
        """
        if name in self._modules[train] and not self._legacy_mappings:
            raise VariableSharingError(scoped(self._scope, f"module name {name!r} is used twice."))
        self._modules[train][name] = module
        if train and train_loss is not False:
            self._loss_nodes.append(module)
            targets = [DEFAULT_OBJECTIVE] if train_loss in (None, True) else (
                [train_loss] if isinstance(train_loss, str) else list(train_loss))
            for objective in targets:
                self._add_loss(module.get_loss(), objective)
        return module

    def _get_module(self, name: str, train: bool = True) -> Module:
        """Return a registered module.

        Raises:
            MissingInputError: no module of that name in that graph.
        """
        if name not in self._modules[train]:
            raise MissingInputError(scoped(self._scope, (
                f"no {'training' if train else 'serving'} module {name!r}; have "
                f"{list(self._modules[train])}.")))
        return self._modules[train][name]

    def _add_loss(self, loss: tf.Tensor, objective: str = DEFAULT_OBJECTIVE) -> None:
        """Add a scalar loss term to a named objective (creating the objective)."""
        self._objective_losses.setdefault(objective, []).append(loss)

    def _declare_objective(self, name: str, opt=None, lr: Optional[float] = None,
                           var_list: Optional[List[tf.Variable]] = None) -> None:
        """Give an objective its own optimiser, learning rate or variable list."""
        self._objectives[name] = {k: v for k, v in (("opt", opt), ("lr", lr), ("var_list", var_list)) if v is not None}

    def _add_post_training_op(self, op: tf.Operation) -> None:
        """Run ``op`` after every training step (e.g. a norm constraint)."""
        self._post_training_ops.append(op)

    def _output(self, name: str, train: bool) -> tf.Tensor:
        """First output of a registered module."""
        return self._get_module(name, train).get_outputs()[0]

    def _set_serving_output(self, tensor: tf.Tensor, inputs: Sequence[str]) -> None:
        """Declare a serving output and the serving inputs it needs.

        :meth:`serve` picks, among the outputs whose inputs are all in the batch, the
        one that needs the most inputs (so ``user_id`` alone gives all-item scores and
        ``user_id`` + ``item_id`` gives pair scores).
        """
        for name in inputs:
            self._get_input(name, train=False)
        self._serving_outputs.append((tuple(inputs), tensor))

    def _serving_output(self, inputs: Sequence[str]) -> tf.Tensor:
        """The serving output declared for exactly these inputs.

        Raises:
            MissingInputError: none was declared.
        """
        for names, tensor in self._serving_outputs:
            if names == tuple(inputs):
                return tensor
        raise MissingInputError(scoped(self._scope, (
            f"no serving output for inputs {list(inputs)}; declared: {[list(n) for n, _ in self._serving_outputs]}.")))

    def _perturbable_item_features(self, features: tf.Tensor) -> tf.Tensor:
        """Route the serving graph's item feature matrix through a :class:`FeaturePerturbation`.

        Call it once, in the serving build hooks, on the ``[max_item, F]`` matrix the
        serving scores are computed from; build the scores from the returned tensor.
        The model then supports the evaluation attacks of
        :mod:`openrec2.trainer.adversarial_evaluation` (``serve(..., perturbed=True)``
        scores under the held perturbation); clean serving is unchanged.

        Args:
            features: ``[max_item, F]`` float tensor of the serving graph.

        Returns:
            The tensor to compute the serving scores from.

        Raises:
            VariableSharingError: called twice.
        """
        if self._feature_perturbation is not None:
            raise VariableSharingError(scoped(self._scope, "_perturbable_item_features is called twice."))
        self._feature_perturbation = FeaturePerturbation(features, self._scope)
        return self._feature_perturbation.perturbed

    # ================================================================== running
    def _feed_dict(self, batch: Mapping[str, np.ndarray], names: Iterable[str], train: bool) -> dict:
        self._require_mapping(batch)
        feed = {}
        for name in names:
            placeholder, max_value = self._inputs[train][name]
            if name not in batch:
                raise MissingInputError(scoped(self._scope, (
                    f"the batch lacks input {name!r}; it has {sorted(batch)}; the "
                    f"{'training' if train else 'serving'} graph needs {list(self._inputs[train])}.")))
            value = np.asarray(batch[name])
            dtype = placeholder.dtype
            if dtype.is_integer and value.dtype.kind not in "iu":
                raise DTypeError(scoped(self._scope, (
                    f"input {name!r} must hold integers, got dtype {value.dtype}.")))
            if dtype.is_floating and value.dtype.kind not in "fiub":
                raise DTypeError(scoped(self._scope, f"input {name!r} must be numeric, got dtype {value.dtype}."))
            if value.dtype.kind == "f" and not np.isfinite(value).all():  # a NaN label would train NaN silently
                raise DataError(scoped(self._scope, (
                    f"input {name!r} holds {int(np.size(value) - np.isfinite(value).sum())} NaN or infinite "
                    "value(s); clean the data (labels and features must be finite).")))
            expected = placeholder.shape
            if expected.ndims is not None and (value.ndim != expected.ndims or any(
                    e is not None and e != v for e, v in zip(expected.as_list(), value.shape))):
                raise ShapeError(scoped(self._scope, (
                    f"input {name!r} must have shape {expected.as_list()} (None = any), got {value.shape}.")))
            if max_value is not None and value.size and (value.min() < 0 or value.max() >= max_value):
                raise ShapeError(scoped(self._scope, (
                    f"input {name!r} holds ids outside [0, {max_value}): min {value.min()}, max {value.max()}.")))
            feed[placeholder] = value.astype(dtype.as_numpy_dtype, copy=False)
        self._check_batch_rows(feed)
        return feed

    def _require_mapping(self, batch) -> None:
        """Refuse a batch that is not a dict of arrays (a list would fail deep in numpy)."""
        if not isinstance(batch, Mapping):
            raise DTypeError(scoped(self._scope, (
                f"a batch must be a dict of arrays keyed by input names, got {type(batch).__name__}.")))

    def _check_batch_rows(self, feed: dict) -> None:
        """Refuse inputs of one call whose numbers of rows differ (they would broadcast or fail
        deep inside TensorFlow): every input with a free first dimension is one row per example."""
        rows = {placeholder.op.name.rsplit("/", 1)[-1]: len(value) for placeholder, value in feed.items()
                if placeholder.shape.ndims and placeholder.shape.as_list()[0] is None}
        if len(set(rows.values())) > 1:
            raise ShapeError(scoped(self._scope, (
                f"the inputs of one batch must have one row per example, got different lengths {rows}; "
                "give every array the same first dimension.")))

    def train(self, batch: Mapping[str, np.ndarray], objective: Optional[str] = None) -> float:
        """Run one training step of one objective.

        Args:
            batch: Dict of arrays keyed by the training input names.
            objective: Name of the objective (default: the only one, or ``'default'``).

        Returns:
            The objective's loss on the batch (before the update).

        Raises:
            UnknownOptionError: unknown objective.
            MissingInputError / DTypeError / ShapeError: a bad batch.
        """
        settings = self._objective(objective)
        self._prepare_objective(settings)
        if self._legacy_mappings:  # a legacy _input_mappings feeds placeholders of its own choosing
            feed = self._legacy_feed(batch, train=True)
            loss = self.sess.run(settings["fetches"], feed_dict=feed)[0]
        else:
            feed = self._feed_dict(batch, settings["inputs"], train=True)
            loss = settings["step"](*(feed[placeholder] for placeholder in settings["placeholders"]))[0]
        if self._post_training_ops:
            self.sess.run(self._post_training_ops, feed_dict=feed)
        return float(loss)

    def _objective(self, objective: Optional[str]) -> dict:
        if objective is None:
            objective = self.default_objective
        if objective not in self._objectives:
            raise UnknownOptionError(scoped(self._scope, (
                f"unknown objective {objective!r}; this model has {self.objectives}.")))
        return self._objectives[objective]

    def _prepare_objective(self, settings: dict) -> None:
        """Cache what one step of an objective fetches and feeds.

        The step runs the batch-norm moving-average updates whose inputs the objective
        feeds anyway, and feeds only the placeholders it depends on (so an objective
        over knowledge-graph triples needs no user ids).
        """
        if "fetches" in settings:
            return
        placeholders = {ph.op: name for name, (ph, _) in self._inputs[True].items() if ph is not None}

        def fed_by(ops):
            return {placeholders[op] for op in _ancestor_ops(ops) if op in placeholders}

        needed = fed_by([settings["loss"].op, settings["train_op"]])
        updates = [u for u in self._update_ops if fed_by([_as_op(u)]) <= needed]
        needed |= fed_by(self._post_training_ops)
        settings["inputs"] = [name for name in self._inputs[True] if name in needed]
        settings["fetches"] = [settings["loss"], settings["train_op"]] + updates
        settings["placeholders"] = [self._inputs[True][name][0] for name in settings["inputs"]]
        settings["step"] = SessionStep(self.sess, settings["fetches"], settings["placeholders"])

    def serve(self, batch: Mapping[str, np.ndarray], perturbed: bool = False) -> np.ndarray:
        """Score a batch with the serving graph.

        With only ``user_id`` it returns ``[B, max_item]`` scores of every item; with
        ``user_id`` and ``item_id`` it returns ``[B]`` scores of those pairs (models with
        other inputs document theirs).

        Args:
            batch: Dict of arrays keyed by serving input names.
            perturbed: Score under the held item-feature perturbation (models with
                perturbable item features; see :attr:`feature_perturbation`).

        Returns:
            The scores as a numpy array.

        Raises:
            MissingInputError: no serving output can be computed from the batch, or a key
                of the batch is no serving input (a misspelt key is never ignored).
            ShapeError: the inputs have different numbers of rows, or a bad shape / id.
            UnknownOptionError: ``perturbed`` for a model without perturbable features.
        """
        if self._legacy_mappings:  # legacy OpenRec: the model's own mapping, its self._scores
            feed = self._legacy_feed(batch, train=False)
            if perturbed:
                raise UnknownOptionError(scoped(self._scope, "perturbed serving needs an openrec2 model."))
            return self.sess.run(self._serving_outputs[0][1], feed_dict=feed)
        # A misspelt key would otherwise fall back silently to another output (all-item scores
        # for {'user_id', 'item_idd'}); keys of the model's own training batches are fine.
        self._require_mapping(batch)
        known = set(self._inputs[False]) | set(self._inputs[True]) | set(BATCH_KEYS)
        unknown = sorted(set(batch) - known)
        if unknown:
            raise MissingInputError(scoped(self._scope, (
                f"batch keys {unknown} are no inputs of this model; its serving inputs are "
                f"{sorted(self._inputs[False])} (check the spelling).")))
        candidates = [(names, t) for names, t in self._serving_outputs if all(n in batch for n in names)]
        if not candidates:
            raise MissingInputError(scoped(self._scope, (
                f"cannot serve a batch with keys {sorted(batch)}; serving needs one of "
                f"{[list(n) for n, _ in self._serving_outputs]}.")))
        names, tensor = max(candidates, key=lambda c: len(c[0]))
        feed = self._feed_dict(batch, names, train=False)
        if perturbed:
            if self._feature_perturbation is None:
                raise UnknownOptionError(scoped(self._scope, (
                    "perturbed serving needs item features routed through _perturbable_item_features; "
                    f"{type(self).__name__} has none.")))
            feed[self._feature_perturbation.active] = True
        return self.sess.run(tensor, feed_dict=feed)

    def serve_all_items(self, user_ids: np.ndarray, perturbed: bool = False) -> np.ndarray:
        """Score every item for each user, in chunks of ``test_batch_size`` users.

        Args:
            user_ids: Integer array of user ids.
            perturbed: Score under the held item-feature perturbation.

        Returns:
            ``[len(user_ids), max_item]`` float scores.

        Raises:
            DTypeError: ids that are not integers (floats are refused, not truncated).
        """
        scores = self.serve_in_chunks({"user_id": np.asarray(user_ids)}, perturbed=perturbed)
        return scores if len(scores) else np.zeros((0, self._max_item), np.float32)

    def serve_in_chunks(self, batch: Mapping[str, np.ndarray], chunk_size: Optional[int] = None,
                        perturbed: bool = False) -> np.ndarray:
        """Serve a large batch ``chunk_size`` rows at a time and join the results.

        Args:
            batch: Dict of arrays with the same number of rows, keyed by serving input
                names.
            chunk_size: Rows per :meth:`serve` call (default ``test_batch_size``).
            perturbed: Score under the held item-feature perturbation.

        Returns:
            The concatenated outputs of :meth:`serve` (an empty float32 array for an
            empty batch).

        Raises:
            ShapeError: the arrays have different numbers of rows.
        """
        batch = {name: np.asarray(value) for name, value in batch.items()}
        check_int(chunk_size, "chunk_size", self._scope, allow_none=True)
        rows = {len(value) for value in batch.values()}
        if len(rows) > 1:
            raise ShapeError(scoped(self._scope, (
                f"every input of a chunked batch needs the same number of rows, got "
                f"{ {name: len(value) for name, value in batch.items()} }.")))
        total, step = (rows.pop() if rows else 0), chunk_size or self._test_batch_size
        chunks = [self.serve({name: value[start:start + step] for name, value in batch.items()}, perturbed)
                  for start in range(0, total, step)]
        return np.concatenate(chunks, axis=0) if chunks else np.zeros(0, np.float32)

    @property
    def feature_perturbation(self) -> Optional[FeaturePerturbation]:
        """The item-feature perturbation of the serving graph (models with item features
        routed through :meth:`_perturbable_item_features`), else None."""
        return self._feature_perturbation

    # ============================================================ persistence
    def save(self, path: str, step: Optional[int] = None, name: str = "model.ckpt", rotate: bool = True) -> str:
        """Save every variable (optimiser slots and global step included).

        Args:
            path: Directory of the checkpoint (created if needed).
            step: Optional step number, appended as ``<name>-<step>``.
            name: File name of the checkpoint inside ``path``.
            rotate: Count the checkpoint among the last five kept (older ones are
                deleted) and make it the directory's latest. False writes it outside
                that rotation: nothing is deleted and :meth:`load` of the directory
                does not pick it (load it by the returned prefix).

        Returns:
            The checkpoint prefix written; :meth:`load` accepts it or the directory.

        Raises:
            CheckpointError: the directory cannot be written.
        """
        if not isinstance(path, (str, os.PathLike)) or not os.fspath(path):
            raise CheckpointError(scoped(self._scope, f"save() needs a folder path, got {path!r}."))
        check_int(step, "step", self._scope, minimum=0, allow_none=True)
        try:
            os.makedirs(path, exist_ok=True)
            with self.graph.as_default():
                return self._saver.save(self.sess, os.path.join(path, name), global_step=step,
                                        write_meta_graph=False, write_state=rotate)
        except (OSError, tf.errors.OpError) as err:
            raise CheckpointError(scoped(self._scope, f"cannot save to {path!r}: {err}")) from err

    def load(self, path: str) -> str:
        """Restore every variable from a checkpoint directory (its latest) or prefix.

        Args:
            path: A directory written by :meth:`save`, or a prefix it returned.

        Returns:
            The checkpoint prefix restored.

        Raises:
            CheckpointError: no checkpoint there, or it does not match this model.
        """
        prefix = checkpoint_prefix(path, self._scope)
        try:
            self._check_checkpoint_readable(prefix)
            self._check_checkpoint_matches(prefix)
            with self.graph.as_default():
                self._saver.restore(self.sess, prefix)
            if self._placement is not None:
                self._placement.restored(self.sess)
        except (tf.errors.NotFoundError, tf.errors.InvalidArgumentError) as err:
            raise CheckpointError(scoped(self._scope, (
                f"checkpoint {prefix!r} does not match this model (different class, sizes or "
                f"hyper-parameters?): {err.message.splitlines()[0]}"))) from err
        except tf.errors.OpError as err:
            raise CheckpointError(scoped(self._scope, (
                f"checkpoint {prefix!r} is damaged ({type(err).__name__}: {err.message.splitlines()[0]}); "
                "the model was left as it was. Load an earlier checkpoint."))) from err
        return prefix

    def _check_checkpoint_readable(self, prefix: str) -> None:
        """Read every tensor of the checkpoint once (its checksums are verified on read)
        before any variable is assigned, so a damaged file never leaves the model half restored.

        Raises:
            tf.errors.OpError: a tensor cannot be read (garbled data).
            CheckpointError: the reader failed otherwise (a truncated file).
        """
        try:
            reader = tf.train.load_checkpoint(prefix)
            stored = reader.get_variable_to_shape_map()
            for variable in self.graph.get_collection(tf.GraphKeys.GLOBAL_VARIABLES):
                name = _saved_name_and_shape(variable)[0]
                if name in stored:
                    reader.get_tensor(name)
        except tf.errors.OpError:
            raise
        except Exception as err:  # TensorFlow's reader raises plain Python errors for a short file
            raise CheckpointError(scoped(self._scope, (
                f"checkpoint {prefix!r} is damaged ({type(err).__name__}: {err}); the model was left as it was. "
                "Load an earlier checkpoint."))) from err

    def _check_checkpoint_matches(self, prefix: str) -> None:
        """Refuse a checkpoint whose variables or shapes differ from this model's.

        Restoring resource variables does not validate shapes, so a checkpoint of a
        model with another embedding size would load silently; check it here.
        """
        stored = tf.train.load_checkpoint(prefix).get_variable_to_shape_map()
        problems = []
        for variable in self.graph.get_collection(tf.GraphKeys.GLOBAL_VARIABLES):
            name, shape = _saved_name_and_shape(variable)
            if name not in stored:
                problems.append(f"{name} is missing")
            elif list(stored[name]) != shape:
                problems.append(f"{name} has shape {list(stored[name])}, the model {shape}")
        if problems:
            raise CheckpointError(scoped(self._scope, (
                f"checkpoint {prefix!r} does not match this model (different class, sizes or "
                f"hyper-parameters?): {'; '.join(problems[:5])}.")))

    def _apply_init_dict(self, init_dict: Mapping[str, np.ndarray]) -> None:
        by_name = {v.op.name: v for v in tf.global_variables()}
        # A partitioned table (cluster placement) is known by its whole name, e.g. "bpr/user/embedding".
        by_name.update(_partitioned_tables(tf.global_variables()))
        for name, value in init_dict.items():
            key = name[:-2] if name.endswith(":0") else name
            variable = by_name.get(key)
            if variable is None:
                variable = by_name.get(f"{self._scope}/{key}")
            if variable is None:
                raise VariableSharingError(scoped(self._scope, (
                    f"init_dict names {name!r}, which is no variable of this model; names look like "
                    f"{sorted(by_name)[:5]}...")))
            value = np.asarray(value, dtype=variable.dtype.base_dtype.as_numpy_dtype)
            if tuple(value.shape) != tuple(variable.shape.as_list()):
                raise ShapeError(scoped(self._scope, (
                    f"init_dict[{name!r}] has shape {value.shape}, the variable is {variable.shape.as_list()}.")))
            variable.load(value, self.sess)

    # ================================================================ training
    #: Class name (in :mod:`openrec2.utils.samplers`) of the sampler whose batches match
    #: the training inputs, used by :meth:`fit`; None for models trained from several
    #: data sources (KTUP, DIEN), which :class:`~openrec2.ModelTrainer` trains directly.
    training_sampler: Optional[str] = None
    #: Whether :meth:`default_schedule` repeats (KTUP's rounds) or runs once, staying
    #: in its last phase (AMR's BPR then adversarial epochs).
    schedule_cycles: bool = True

    def default_schedule(self, batches_per_epoch: Mapping[str, int]) -> Optional[List[Tuple[str, int]]]:
        """The objective schedule :class:`~openrec2.ModelTrainer` follows when given none.

        Args:
            batches_per_epoch: ``{objective: batches per epoch of its sampler}``.

        Returns:
            None here (train :attr:`default_objective` on every step); models with
            several objectives return ``[(objective, num_iters), ...]`` phases, cycled
            or run once as :attr:`schedule_cycles` says.
        """
        return None

    def training_sampler_options(self) -> dict:
        """Keywords the :attr:`training_sampler` needs beyond dataset, batch size and seed
        (NBPR's number of negatives); used by :meth:`fit` and the command line."""
        return {}

    def periodic_updates(self) -> List[Tuple[int, Callable[[], None]]]:
        """``[(every, update), ...]``: calls :class:`~openrec2.ModelTrainer` makes after every
        ``every`` training steps (ItrMLP moves its temporal embeddings forward); none here."""
        return []

    def fit(self, train, epochs: Optional[int] = None, eval_samplers=(), evaluators=(), eval_every: int = 1,
            seed: int = 0, **trainer_options):
        """Train ``epochs`` passes over ``train`` with :class:`~openrec2.ModelTrainer`.

        A convenience: it builds the model's :attr:`training_sampler` on ``train`` and
        calls :func:`openrec2.trainer.fitting.fit`; everything the trainer does
        (evaluations, early stopping, checkpoints, history) is available through
        ``trainer_options``.

        Args:
            train: The training :class:`~openrec2.utils.Dataset`.
            epochs: Epochs to train (default: the model's ``epochs`` setting, if it has one).
            eval_samplers: Evaluations run every ``eval_every`` epochs (and at the end).
            evaluators: Evaluators of those evaluations.
            eval_every: Epochs between evaluations.
            seed: Seed of the training sampler.
            **trainer_options: Keywords of :class:`~openrec2.ModelTrainer` (``save_dir``,
                ``early_stop_metric``, ``patience``, ``verbose``, ...).

        Returns:
            The :class:`~openrec2.trainer.history.TrainingHistory`.
        """
        from openrec2.trainer.fitting import fit
        return fit(self, train, epochs, eval_samplers=eval_samplers, evaluators=evaluators, eval_every=eval_every,
                   seed=seed, **trainer_options)

    # ================================================================== export
    #: A next-item model's ``(history, length)`` serving inputs (the items a request has
    #: seen and how many): its export recommends from them and leaves their items out.
    #: None for the models that serve by user id.
    history_inputs: Optional[Tuple[str, str]] = None

    def export_signatures(self) -> Dict[str, Tuple[str, ...]]:
        """The signatures of :meth:`export_saved_model`: ``{signature name: serving inputs}``.

        The hook a model overrides to export other inputs or names. By default every
        declared serving output is one signature: ``('user_id',)`` (all-item scores) is
        ``'recommend'`` (with a top-K head; for a next-item model the all-item output of
        its :attr:`history_inputs`), ``('user_id', 'item_id')`` is ``'score'``,
        and the first other output is ``'score'`` too when the model has no pair
        scores (a CTR model's own inputs, DIEN's sequences), any further one
        ``'score_<inputs>'`` (see :func:`openrec2.serving.saved_model.default_signatures`).

        Returns:
            The map; each value must be the inputs of one declared serving output.
        """
        from openrec2.serving.saved_model import default_signatures
        return default_signatures([names for names, _ in self._serving_outputs], self.history_inputs)

    def serving_signature(self, inputs: Sequence[str]) -> Tuple[Dict[str, tf.Tensor], tf.Tensor]:
        """The placeholders and the output tensor of the serving output for exactly ``inputs``.

        Args:
            inputs: Serving input names of one declared output (e.g. ``['user_id']``).

        Returns:
            ``({input name: placeholder}, output tensor)`` of the serving graph.

        Raises:
            MissingInputError: no serving output takes exactly these inputs.
        """
        output = self._serving_output(inputs)
        return {name: self._get_input(name, train=False) for name in inputs}, output

    def embedding_tensors(self) -> Dict[str, Tuple[tf.Tensor, Optional[str]]]:
        """Named tables of the serving graph that :meth:`export_embeddings` writes beside the variables.

        The hook models override (matrix factorisation: ``user_factors``,
        ``item_factors``, ``item_bias``; content models also ``projected_item_features``).
        Each value is ``(tensor, id input)``: with an id input (``'user_id'``) the tensor
        holds the rows of the ids fed and is computed for every id in chunks; with None
        it needs no input (every item's row at once). Only tensors built during graph
        construction can be named (the graph is finalised).

        Returns:
            ``{name: (tensor, id input or None)}``; none here.
        """
        return {}

    def export_saved_model(self, path: str, top_k: int = 100, exclude=None, version: Optional[int] = None,
                           metadata: Optional[dict] = None) -> str:
        """Write the serving graph as a SavedModel for TensorFlow Serving (``path/<version>``).

        A call into :func:`openrec2.serving.saved_model.export_saved_model`, which
        documents the ``recommend``, ``recommend_k`` and ``score`` signatures; the export
        loads with ``tf.saved_model.load`` without openrec2.

        Args:
            path: Base folder of the versions.
            top_k: Items per user of the ``recommend`` signature.
            exclude: Items each user had in training (a Dataset, ItemLists or per-user
                lists), left out of the recommendations; None excludes nothing.
            version: Version number (default: the next free one).
            metadata: More facts for the export's ``assets.extra/openrec2.json``.

        Returns:
            The version folder written.
        """
        from openrec2.serving.saved_model import export_saved_model
        return export_saved_model(self, path, top_k=top_k, exclude=exclude, version=version, metadata=metadata)

    def export_embeddings(self, path: str, metadata: Optional[dict] = None) -> str:
        """Write the model's factors, biases and projected item features to an HDF5 file.

        A call into :func:`openrec2.serving.embeddings.export_embeddings`; read the file
        back with :func:`openrec2.serving.embeddings.load_embeddings` (an ``init_dict``).

        Args:
            path: The ``.h5`` file to write.
            metadata: More attributes (dataset, settings).

        Returns:
            ``path``.
        """
        from openrec2.serving.embeddings import export_embeddings
        return export_embeddings(self, path, metadata=metadata)

    # ============================================================== accessors
    @property
    def objectives(self) -> List[str]:
        """Names of the training objectives."""
        return list(self._objectives)

    @property
    def default_objective(self) -> str:
        """The objective ``train`` runs when none is named: ``'default'``, else the first."""
        return DEFAULT_OBJECTIVE if DEFAULT_OBJECTIVE in self._objectives else next(iter(self._objectives))

    def learning_rates(self) -> Dict[str, Optional[float]]:
        """``{objective: learning rate}`` of the objectives' optimisers (None where the rate is
        a tensor rather than a number, e.g. an optimiser passed in with a schedule)."""
        rates = {}
        for name, settings in self._objectives.items():
            optimizer = settings["optimizer"]
            value = getattr(optimizer, "_lr", getattr(optimizer, "_learning_rate", None))
            rates[name] = float(value) if isinstance(value, (int, float)) else None
        return rates

    def input_names(self, train: bool = True) -> List[str]:
        """Names of the inputs of the training (or serving) graph."""
        return [name for name, (placeholder, _) in self._inputs[train].items() if placeholder is not None]

    @property
    def scope(self) -> str:
        """The model's variable scope."""
        return self._scope

    @property
    def max_user(self) -> int:
        """Number of users."""
        return self._max_user

    @property
    def max_item(self) -> int:
        """Number of items."""
        return self._max_item

    @property
    def batch_size(self) -> int:
        """Training batch size."""
        return self._batch_size

    @property
    def test_batch_size(self) -> int:
        """Users per serving call during evaluation."""
        return self._test_batch_size

    @property
    def global_step(self) -> int:
        """Training steps taken so far (restored by :meth:`load`)."""
        return int(self.sess.run(self._global_step))

    def parameters_finite(self) -> bool:
        """Whether every trainable variable holds only finite values (no NaN or inf)."""
        return bool(self.sess.run(self._finite_op))

    def training_ended_elsewhere(self) -> bool:
        """Whether the chief of this model's cluster has finished training it (a non-chief
        worker then stops); always False in one process."""
        return self._placement is not None and self._placement.chief_finished(self.sess)

    def close(self) -> None:
        """Close the session."""
        if self._placement is not None:
            self._placement.finish(self.sess)
        self.sess.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _PartitionedTable:
    """The parts of one partitioned variable, loaded as the whole table."""

    def __init__(self, parts: List[tf.Variable]) -> None:
        self.parts = parts
        info = parts[0]._save_slice_info
        self.dtype = parts[0].dtype
        self.shape = tf.TensorShape(info.full_shape)

    def load(self, value: np.ndarray, sess: tf.Session) -> None:
        """Write each part's slice of ``value`` into it."""
        for part in self.parts:
            info = part._save_slice_info
            part.load(value[tuple(slice(o, o + n) for o, n in zip(info.var_offset, info.var_shape))], sess)


def _partitioned_tables(variables) -> Dict[str, _PartitionedTable]:
    """``{whole name: table}`` of the partitioned variables among ``variables``."""
    parts: Dict[str, List[tf.Variable]] = {}
    for variable in variables:
        info = getattr(variable, "_save_slice_info", None)
        if info is not None:
            parts.setdefault(info.full_name, []).append(variable)
    return {name: _PartitionedTable(members) for name, members in parts.items()}


def _saved_name_and_shape(variable) -> Tuple[str, List[int]]:
    """Name and shape under which a Saver stores ``variable``: the whole table's for one
    partition of a partitioned table (a checkpoint holds the table, not its parts)."""
    piece = getattr(variable, "_save_slice_info", None)
    if piece is not None:
        return piece.full_name, list(piece.full_shape)
    return variable.op.name, variable.shape.as_list()


def _as_op(value) -> tf.Operation:
    """The operation behind a tensor (or variable update), or the operation itself."""
    return value if isinstance(value, tf.Operation) else value.op


def _ancestor_ops(ops: Sequence[tf.Operation]) -> set:
    """All operations the given ones depend on (data and control inputs)."""
    seen, stack = set(), list(ops)
    while stack:
        op = stack.pop()
        if op in seen:
            continue
        seen.add(op)
        stack.extend(t.op for t in op.inputs)
        stack.extend(op.control_inputs)
    return seen
