"""KTUP: Knowledge-enhanced Translation-based User Preference model.

Cao, Wang, He, Hu and Chua, "Unifying Knowledge Graph Learning and Recommendation:
Towards a Better Understanding of User Preferences", WWW 2019.

Two parts share entity, relation and item tables:

* Recommendation (TUP): an item's vector is its item embedding plus the embedding of its
  knowledge-graph entity (items without an entity use the item embedding alone). For a
  (user, item) pair a preference is induced from ``u + i`` against the preference
  translations (preference table + relation table, halved; likewise the normals), by
  straight-through Gumbel-softmax or a soft weighting; the pair scores
  ``-|| P(u) + r - P(i) ||`` with ``P`` the TransH projection onto the preference's
  hyperplane. Loss ``'rec'``: BPR + orthogonality of the preference normals +
  ``align_weight`` * distance between linked item and entity embeddings.
* Knowledge graph: TransH margin loss of true against tail-corrupted triples +
  orthogonality of the relation normals + norm constraint, times ``kg_weight``
  (loss ``'kg'``).

Training alternates ``train_rec_step`` epochs of ``'rec'`` and ``train_kg_step`` epochs
of ``'kg'``: :meth:`KTUP.default_schedule`, which :class:`~openrec2.ModelTrainer` follows
(``train_sampler={'rec': pairwise sampler, 'kg': KGSampler}``). The knowledge-graph
part is evaluated by :class:`~openrec2.trainer.kg_evaluation.KGTailEvaluation`.
"""

from __future__ import annotations

from typing import Optional

import numpy as np
import tensorflow.compat.v1 as tf

from openrec2.errors import SettingError, ShapeError, scoped
from openrec2.modules import translation_distance
from openrec2.modules.extractions import LatentFactor
from openrec2.modules.interactions import DEFAULT_PAIRS_PER_CHUNK, TUP, TransHMargin
from openrec2.recommenders.id_inputs import IdInputs
from openrec2.recommenders.recommender import Recommender
from openrec2.validation import check_bool, check_int, check_non_negative, check_positive

REC_OBJECTIVE = "rec"
KG_OBJECTIVE = "kg"
KG_INPUTS = ("head", "relation", "tail")


class KTUP(IdInputs, Recommender):
    """KTUP: joint TransH knowledge-graph learning and translation-based recommendation.

    Training inputs: objective ``'rec'`` takes ``user_id``, ``p_item_id``,
    ``n_item_id`` (a pairwise sampler); objective ``'kg'`` takes ``head``, ``relation``,
    ``tail``, ``corrupted_tail`` (a :class:`~openrec2.utils.samplers.kg_sampler.KGSampler`).
    Serving: ``user_id`` alone -> ``[B, max_item]`` scores (items scored in chunks of at
    most ``pairs_per_chunk`` pairs); ``user_id`` + ``item_id`` -> ``[B]`` pair scores;
    ``head`` + ``relation`` + ``tail`` -> ``[B]`` triple scores ``-d(h, r, t)``. Serving
    is deterministic (no Gumbel noise).

    Args:
        batch_size: Training batch size.
        max_user: Number of users.
        max_item: Number of items.
        num_entities: Number of knowledge-graph entities.
        num_relations: Number of relations (also the number of user preferences).
        item_entity: int ``[max_item]`` entity of each item, ``-1`` for none (None: no
            item has an entity).
        embedding_size: Size of every embedding.
        use_st_gumbel: Hard straight-through Gumbel preference choice (True) or a
            softmax weighting of the preferences (False).
        L1_flag: L1 distances (True) or squared L2 (False).
        margin: Margin of the KG hinge loss.
        kg_weight: Weight of the KG loss.
        align_weight: Weight of the item/entity alignment term of the ``'rec'`` loss.
        train_rec_step: Recommendation epochs per round of :meth:`default_schedule`.
        train_kg_step: KG epochs per round of :meth:`default_schedule`.
        pairs_per_chunk: Memory bound of all-item serving (user-item pairs per chunk).
        test_batch_size: Users per serving call in evaluation.
        l2_reg: L2 weight on the looked-up user / item / entity rows.
        opt: Optimiser name (both objectives get their own instance).
        lr: Learning rate.
        init_dict: Initial values by variable name.
        sess_config: Session configuration.
        seed: Seed of the graph and of the initial embeddings.

    Raises:
        SettingError: non-positive sizes, a non-positive ``margin``, negative weights or
            steps, or both steps 0.
        ShapeError: ``item_entity`` of the wrong length / with entity ids out of range.
    """

    def __init__(self, batch_size: int, max_user: int, max_item: int, num_entities: int, num_relations: int,
                 item_entity: Optional[np.ndarray] = None, embedding_size: int = 64, use_st_gumbel: bool = True,
                 L1_flag: bool = False, margin: float = 1.0, kg_weight: float = 1.0, align_weight: float = 1.0,
                 train_rec_step: int = 5, train_kg_step: int = 5, pairs_per_chunk: int = DEFAULT_PAIRS_PER_CHUNK,
                 test_batch_size: Optional[int] = None, l2_reg: Optional[float] = None, opt="Adam",
                 lr: Optional[float] = None, init_dict=None, sess_config=None, seed: Optional[int] = None):
        scope = "ktup"
        max_item = check_int(max_item, "max_item", scope)
        num_entities, num_relations, embedding_size, pairs_per_chunk = (
            check_int(value, name, scope) for name, value in (
                ("num_entities", num_entities), ("num_relations", num_relations),
                ("embedding_size", embedding_size), ("pairs_per_chunk", pairs_per_chunk)))
        self._margin = check_positive(margin, "margin", scope)
        self._kg_weight = check_non_negative(kg_weight, "kg_weight", scope)
        self._align_weight = check_non_negative(align_weight, "align_weight", scope)
        self.train_rec_step = check_int(train_rec_step, "train_rec_step", scope, minimum=0)
        self.train_kg_step = check_int(train_kg_step, "train_kg_step", scope, minimum=0)
        if self.train_rec_step + self.train_kg_step == 0:
            raise SettingError(scoped(scope, "train_rec_step and train_kg_step are both 0; KTUP's schedule needs at "
                                             "least one epoch of one objective per round."))
        if item_entity is None:
            item_entity = np.full(max_item, -1)
        item_entity = np.asarray(item_entity).astype(np.int64).ravel()
        if item_entity.shape != (max_item,) or item_entity.min() < -1 or item_entity.max() >= num_entities:
            raise ShapeError(scoped(scope, (
                f"`item_entity` must hold one entity id in [-1, num_entities={num_entities}) per item "
                f"(max_item={max_item}); got shape {item_entity.shape}, range "
                f"[{item_entity.min()}, {item_entity.max()}].")))
        self._num_entities, self._num_relations = int(num_entities), int(num_relations)
        self._item_entity = item_entity.astype(np.int32)
        self._dim = int(embedding_size)
        self._use_st_gumbel = check_bool(use_st_gumbel, "use_st_gumbel", scope)
        self._l1 = check_bool(L1_flag, "L1_flag", scope)
        self._pairs_per_chunk = pairs_per_chunk
        self._init_rng = np.random.default_rng(seed)
        super().__init__(batch_size=batch_size, max_user=max_user, max_item=max_item,
                         test_batch_size=test_batch_size, l2_reg=l2_reg, opt=opt, lr=lr, init_dict=init_dict,
                         sess_config=sess_config, seed=seed, scope=scope)

    # ------------------------------------------------------------------ inputs
    def _build_extra_inputs(self, train=True):
        names = KG_INPUTS + (("corrupted_tail",) if train else ())
        for name in names:
            limit = self._num_relations if name == "relation" else self._num_entities
            self._add_input(name, "int32", [None], train=train, max_value=limit)

    # ------------------------------------------------------------------ tables
    def _unit_init(self, rows: int) -> np.ndarray:
        """Random rows of unit L2 norm (KTUP normalises its Xavier initialisation)."""
        values = self._init_rng.standard_normal((rows, self._dim))
        return values / np.linalg.norm(values, axis=1, keepdims=True)

    def _table(self, name: str, rows: int, ids=None, train: bool = True, first: bool = False,
               objective=False) -> tf.Tensor:
        """Rows ``ids`` of table ``name`` (the whole table for None), registered as a module.

        ``first`` creates the table (training graph, first use); every other use reuses it.
        """
        init = self._unit_init(rows) if first else "normal"
        module = LatentFactor([rows, self._dim], init=init, ids=ids, scope=name, reuse=not first,
                              l2_reg=self._l2_reg if ids is not None else None)
        self._add_module(f"{name}_{len(self._modules[train])}", module, train=train,
                         train_loss=objective if train else False)
        return module.get_outputs()[0]

    def _item_vectors(self, ids, train: bool, objective=False):
        """Item vectors (item + linked entity), item rows, entity rows and the link mask."""
        linked = tf.gather(tf.constant(self._item_entity), ids)
        mask = tf.cast(linked >= 0, tf.float32)[:, None]
        items = self._table("item", self._max_item, ids, train, objective=objective)
        entities = self._table("entity", self._num_entities, tf.maximum(linked, 0), train,
                               objective=objective) * mask
        return items + entities, items, entities, mask

    def _preference_tables(self, train: bool):
        """Preference translations and normals: (preference + relation) / 2 each."""
        first = train
        tables = {name: self._table(name, self._num_relations, None, train, first=first)
                  for name in ("preference", "preference_normal", "relation", "relation_normal")}
        return ((tables["preference"] + tables["relation"]) / 2.0,
                (tables["preference_normal"] + tables["relation_normal"]) / 2.0)

    def _build_extractions(self, train=True):
        if train:  # create every table once, with its unit-norm initial values
            for name, rows in (("user", self._max_user), ("item", self._max_item), ("entity", self._num_entities)):
                self._table(name, rows, None, train, first=True)
        self._preference = self._preference_tables(train)

    # ------------------------------------------------------------------ interactions
    def _kg_rows(self, train: bool, tail_names):
        """Head, relation, relation-normal and tail rows of the KG inputs."""
        def entity(name):
            return self._table("entity", self._num_entities, self._get_input(name, train), train,
                               objective=KG_OBJECTIVE)

        relation_ids = self._get_input("relation", train)
        relation = self._table("relation", self._num_relations, relation_ids, train)
        normal = self._table("relation_normal", self._num_relations, relation_ids, train)
        return entity("head"), relation, normal, [entity(name) for name in tail_names]

    def _build_default_interactions(self, train=True):
        preference, preference_normal = self._preference
        user = self._table("user", self._max_user, self._get_input("user_id", train), train, objective=REC_OBJECTIVE)
        if train:
            positive, p_items, p_entities, p_mask = self._item_vectors(self._get_input("p_item_id"), True, REC_OBJECTIVE)
            negative, n_items, n_entities, n_mask = self._item_vectors(self._get_input("n_item_id"), True, REC_OBJECTIVE)
            self._add_module("rec", TUP(user, preference, preference_normal, p_item=positive, n_item=negative,
                                        use_st_gumbel=self._use_st_gumbel, L1_flag=self._l1),
                             train_loss=REC_OBJECTIVE)
            align = (tf.reduce_sum(p_mask[:, 0] * translation_distance(p_items - p_entities, self._l1))
                     + tf.reduce_sum(n_mask[:, 0] * translation_distance(n_items - n_entities, self._l1)))
            self._add_loss(self._align_weight * align, REC_OBJECTIVE)
            head, relation, normal, (tail, corrupted) = self._kg_rows(True, ("tail", "corrupted_tail"))
            kg = self._add_module("kg", TransHMargin(head, relation, normal, tail, corrupted, margin=self._margin,
                                                     L1_flag=self._l1), train_loss=False)
            self._add_loss(self._kg_weight * kg.get_loss(), KG_OBJECTIVE)
            return
        all_items = self._item_vectors(tf.range(self._max_item), False)[0]
        settings = dict(use_st_gumbel=self._use_st_gumbel, L1_flag=self._l1, train=False)
        scores = self._add_module("rec", TUP(user, preference, preference_normal, item=all_items,
                                             pairs_per_chunk=self._pairs_per_chunk, **settings), train=False)
        pair_items = tf.gather(all_items, self._get_input("item_id", False))
        pairs = self._add_module("rec_pairs", TUP(user, preference, preference_normal, p_item=pair_items,
                                                  scope="tup_pairs", **settings), train=False)
        head, relation, normal, (tail,) = self._kg_rows(False, ("tail",))
        triples = self._add_module("kg", TransHMargin(head, relation, normal, tail, margin=self._margin,
                                                      L1_flag=self._l1, train=False), train=False)
        self._serve_item_scores(scores, pairs)
        self._set_serving_output(triples.get_outputs()[0], list(KG_INPUTS))

    # ------------------------------------------------------------------ schedule
    def default_schedule(self, batches_per_epoch) -> list:
        """KTUP's rounds: ``train_rec_step`` epochs of ``'rec'``, then ``train_kg_step`` of ``'kg'``.

        Args:
            batches_per_epoch: ``{'rec': batches per epoch of the pairwise sampler, 'kg':
                batches per epoch of the KG sampler}`` (an objective without a sampler
                of its own counts its shared sampler's epoch).

        Returns:
            ``[('rec', iterations), ('kg', iterations)]``, phases with zero iterations
            left out; cycled by the trainer.
        """
        phases = [(REC_OBJECTIVE, self.train_rec_step * batches_per_epoch[REC_OBJECTIVE]),
                  (KG_OBJECTIVE, self.train_kg_step * batches_per_epoch[KG_OBJECTIVE])]
        return [(name, iterations) for name, iterations in phases if iterations > 0]

    def score_triples(self, head: np.ndarray, relation: np.ndarray, tail: np.ndarray,
                      batch_size: int = 8192) -> np.ndarray:
        """TransH scores ``-d(h, r, t)`` of triples, in batches.

        Args:
            head: Head entity ids.
            relation: Relation ids.
            tail: Tail entity ids (all three of one length).
            batch_size: Triples per serving call.

        Returns:
            float32 ``[n]`` scores (higher is more plausible).
        """
        head, relation, tail = (np.asarray(a, dtype=np.int32).ravel() for a in (head, relation, tail))
        return self.serve_in_chunks({"head": head, "relation": relation, "tail": tail}, chunk_size=batch_size)
