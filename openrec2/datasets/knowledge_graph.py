"""Knowledge graphs linked to recommendation datasets, and their loaders.

A :class:`KnowledgeGraph` holds (head, relation, tail) triples as int64 arrays over
0-based entity and relation ids, plus the item -> entity link of the interaction data
(``-1`` for an item without an entity). Two loaders pair it with the interactions:

* :func:`load_ml100k_kg`: MovieLens 100K with its Freebase KG (KB4Rec; Zhao et al.,
  "KB4Rec: A Data Set for Linking Knowledge Bases with Recommender Systems", Data
  Intelligence 2019) in RecBole atomic format: ``ml-100k.kg`` (``head_id relation_id
  tail_id``) and ``ml-100k.link`` (``item_id entity_id``), tab-separated with a
  ``name:type`` header line.
* :func:`load_ml1m_kg`: MovieLens 1M implicit pairs with the DBpedia KG used by KTUP
  (Cao et al., WWW 2019) in KGAT format: ``train.txt`` / ``test.txt`` (``user item
  ...`` lines, original MovieLens ids), ``kg_final.txt`` (``head relation tail``),
  ``entity_list.txt``, ``relation_list.txt``, ``item_list.txt``, ``user_list.txt``.

Both return ``(DataSplit, KnowledgeGraph)``; the graph is also stored in
``split.metadata['knowledge_graph']``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence, Union

import numpy as np

from openrec2.datasets.data_home import dataset_file
from openrec2.datasets.data_split import DataSplit, build_data_split, data_split_from_parts
from openrec2.datasets.movielens import ML100K_FOLDER, load_ml100k
from openrec2.datasets.parsing import lists_to_pairs, read_int_lists, read_int_table, read_lines, remap_ids
from openrec2.errors import DataError, UnknownOptionError, scoped
from openrec2.utils.dataset import ImplicitDataset, make_interactions
from openrec2.validation import check_number

ML1M_KG_FOLDER = 'ml-1m-kg'
#: Key of the knowledge graph in ``DataSplit.metadata``.
METADATA_KEY = 'knowledge_graph'
_NO_ENTITY = -1


@dataclass(eq=False)
class KnowledgeGraph:
    """Triples over 0-based entity / relation ids and the item -> entity link.

    Attributes:
        name: Name for messages, e.g. ``'ml-100k/freebase'``.
        head: int64 ``[n]`` head entity ids.
        relation: int64 ``[n]`` relation ids.
        tail: int64 ``[n]`` tail entity ids.
        num_entities: Number of entity ids (every id lies in ``[0, num_entities)``).
        num_relations: Number of relation ids.
        item_entity: int64 ``[max_item]``: entity of each item, ``-1`` when it has none.
        entity_names: Original entity names by id, or ``None``.
        relation_names: Original relation names by id, or ``None``.

    Raises:
        DataError: Arrays of different lengths or ids out of range.
    """

    name: str
    head: np.ndarray
    relation: np.ndarray
    tail: np.ndarray
    num_entities: int
    num_relations: int
    item_entity: np.ndarray
    entity_names: Optional[np.ndarray] = None
    relation_names: Optional[np.ndarray] = None
    _tail_index: Optional[tuple] = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.head, self.relation, self.tail, self.item_entity = (
            np.asarray(a, dtype=np.int64).ravel() for a in (self.head, self.relation, self.tail, self.item_entity))
        if not len(self.head) == len(self.relation) == len(self.tail):
            raise DataError(scoped(self.name, (
                f'head, relation and tail must have one entry per triple; got lengths '
                f'{len(self.head)}, {len(self.relation)}, {len(self.tail)}.')))
        for label, ids, limit, bound in (('head', self.head, self.num_entities, 0),
                                         ('tail', self.tail, self.num_entities, 0),
                                         ('relation', self.relation, self.num_relations, 0),
                                         ('item_entity', self.item_entity, self.num_entities, _NO_ENTITY)):
            if ids.size and (ids.min() < bound or ids.max() >= limit):
                raise DataError(scoped(self.name, (
                    f'{label} ids must lie in [{bound}, {limit}); found [{ids.min()}, {ids.max()}]. '
                    'Remap the ids or raise num_entities / num_relations.')))

    def __len__(self) -> int:
        return int(self.head.shape[0])

    @property
    def triples(self) -> np.ndarray:
        """int64 ``[n, 3]`` array of (head, relation, tail) rows."""
        return np.stack([self.head, self.relation, self.tail], axis=1)

    @property
    def num_linked_items(self) -> int:
        """Number of items that have an entity."""
        return int(np.count_nonzero(self.item_entity >= 0))

    def subset(self, rows: np.ndarray, name: Optional[str] = None) -> 'KnowledgeGraph':
        """The graph restricted to some triples (same ids, same item link).

        Args:
            rows: Integer or boolean index of the triples to keep.
            name: Name of the result (default: this graph's name).

        Returns:
            A new :class:`KnowledgeGraph`.
        """
        return KnowledgeGraph(name or self.name, self.head[rows], self.relation[rows], self.tail[rows],
                              self.num_entities, self.num_relations, self.item_entity,
                              self.entity_names, self.relation_names)

    def split(self, test_ratio: float = 0.1, seed: int = 2020) -> tuple['KnowledgeGraph', 'KnowledgeGraph']:
        """Hold out a random share of the triples (for knowledge-graph completion tests).

        Args:
            test_ratio: Share of triples held out, in ``(0, 1)``.
            seed: Seed of the permutation.

        Returns:
            ``(train_graph, test_graph)``.

        Raises:
            SettingError: ``test_ratio`` outside ``(0, 1)``.
        """
        check_number(test_ratio, 'test_ratio', self.name, minimum=0.0, maximum=1.0, min_exclusive=True,
                     max_exclusive=True)
        order = np.random.default_rng(seed).permutation(len(self))
        cut = len(self) - int(round(test_ratio * len(self)))
        return (self.subset(np.sort(order[:cut]), f'{self.name}/train'),
                self.subset(np.sort(order[cut:]), f'{self.name}/test'))

    def tail_index(self) -> tuple[ImplicitDataset, np.ndarray, np.ndarray]:
        """The true tails of every (head, relation) query, as an implicit dataset.

        Each distinct (head, relation) pair is a "user" (a query id) whose positive
        "items" are its true tail entities, so negative sampling against this dataset
        corrupts tails while avoiding true triples. Built once and cached.

        Returns:
            ``(dataset, query_head, query_relation)``: the dataset (``max_user`` = number
            of queries, ``max_item`` = ``num_entities``) and int64 arrays giving each
            query's head and relation.

        Raises:
            DataError: The graph has no triple.
        """
        if self._tail_index is None:
            if len(self) == 0:
                raise DataError(scoped(self.name, 'the knowledge graph has no triple.'))
            keys, query = np.unique(self.head * self.num_relations + self.relation, return_inverse=True)
            dataset = ImplicitDataset(make_interactions(query.ravel(), self.tail), len(keys), self.num_entities,
                                      name=f'{self.name}/tails')
            self._tail_index = (dataset, keys // self.num_relations, keys % self.num_relations)
        return self._tail_index

    def query_ids(self, head: np.ndarray, relation: np.ndarray) -> np.ndarray:
        """Query ids of :meth:`tail_index` for (head, relation) pairs.

        Args:
            head: Head entity ids.
            relation: Relation ids (same shape).

        Returns:
            int64 array of query ids, ``-1`` where the pair has no triple in this graph.
        """
        _, query_head, query_relation = self.tail_index()
        keys = query_head * self.num_relations + query_relation
        wanted = np.asarray(head, dtype=np.int64) * self.num_relations + np.asarray(relation, dtype=np.int64)
        position = np.minimum(np.searchsorted(keys, wanted), keys.size - 1)
        return np.where(keys[position] == wanted, position, -1)


# ---------------------------------------------------------------------- file reading
def read_atomic_file(path: Path, columns: Sequence[str], loader: str) -> dict[str, np.ndarray]:
    """Read a RecBole atomic file (tab-separated, ``name:type`` header line).

    Args:
        path: The file.
        columns: Field names to return (the part of the header before ``:``).
        loader: Loader name for messages.

    Returns:
        ``{name: array of str}`` with one entry per data line.

    Raises:
        DataError: A wanted field is missing from the header, or a line has the wrong
            number of fields.
    """
    lines = read_lines(path, loader, encoding='utf-8')
    header = [name.split(':')[0] for name in lines[0].split('\t')]
    missing = [c for c in columns if c not in header]
    if missing:
        raise DataError(scoped(loader, (
            f'{path}: header {header} lacks field(s) {missing}; a RecBole atomic file starts with a '
            'tab-separated "name:type" header line. Re-download the file with datasets/download.py.')))
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = line.split('\t')
        if len(fields) != len(header):
            raise DataError(scoped(loader, (
                f'{path}: line {number} has {len(fields)} tab-separated fields, the header has '
                f'{len(header)}: {line[:80]!r}.')))
        rows.append(fields)
    table = np.array(rows, dtype=object).reshape(-1, len(header))
    return {c: table[:, header.index(c)].astype(str) for c in columns}


def _read_name_ids(path: Path, loader: str, n_fields: int = 2) -> list[list[str]]:
    """Rows of a KGAT ``org_id remap_id ...`` list file (header skipped, split from the right)."""
    rows = []
    for number, line in enumerate(read_lines(path, loader, encoding='utf-8')[1:], start=2):
        if not line.strip():
            continue
        fields = line.rsplit(maxsplit=n_fields - 1)
        if len(fields) != n_fields or not all(f.lstrip('-').isdigit() for f in fields[1:]):
            raise DataError(scoped(loader, (
                f'{path}: line {number} is malformed: {line[:80]!r}; expected "name" then '
                f'{n_fields - 1} integer id(s).')))
        rows.append(fields)
    return rows


def _attach(split: DataSplit, graph: KnowledgeGraph) -> tuple[DataSplit, KnowledgeGraph]:
    split.metadata[METADATA_KEY] = graph
    split.protocol += (f'; knowledge graph {graph.name}: {len(graph):,} triples, {graph.num_entities:,} '
                       f'entities, {graph.num_relations} relations, {graph.num_linked_items:,} of '
                       f'{split.max_item:,} items linked to an entity')
    return split, graph


# ---------------------------------------------------------------------- loaders
def load_ml100k_kg(split: str = 'random', ratios: Sequence[float] = (0.8, 0.1, 0.1), seed: int = 2020,
                   min_rating: Optional[float] = None, validation: bool = True,
                   data_home: Optional[Union[str, os.PathLike]] = None) -> tuple[DataSplit, KnowledgeGraph]:
    """Load MovieLens 100K with its Freebase knowledge graph.

    The interactions are those of :func:`~openrec2.datasets.load_ml100k` (same
    arguments, same split). Entity ids are the sorted Freebase ids of every entity
    named in ``ml-100k.kg`` or ``ml-100k.link``; relation ids the sorted relation names.

    Args:
        split: ``'random'``, ``'leave_one_out'`` or ``'temporal'`` (see load_ml100k).
        ratios: Split shares.
        seed: Seed of the random split.
        min_rating: Keep only ratings >= this value.
        validation: For ``'leave_one_out'``: hold out a validation interaction.
        data_home: Data home override.

    Returns:
        ``(split, graph)``: 91,631 triples, 24 relations; 1,598 of the 1,682 items have
        an entity (the others get ``item_entity == -1``).

    Raises:
        DataFileNotFoundError: A MovieLens or KG file is missing.
        DataError: A malformed file.
        UnknownOptionError: Unknown ``split`` or invalid ``ratios``.
    """
    loader = 'load_ml100k_kg'
    data = load_ml100k(split=split, ratios=ratios, seed=seed, min_rating=min_rating, validation=validation,
                       data_home=data_home)
    kg = read_atomic_file(dataset_file(ML100K_FOLDER, 'ml-100k.kg', data_home, loader),
                          ('head_id', 'relation_id', 'tail_id'), loader)
    link = read_atomic_file(dataset_file(ML100K_FOLDER, 'ml-100k.link', data_home, loader),
                            ('item_id', 'entity_id'), loader)
    entity_names, entity_ids = np.unique(np.concatenate([link['entity_id'], kg['head_id'], kg['tail_id']]),
                                         return_inverse=True)
    entity_ids = entity_ids.ravel()
    n_link, n_kg = len(link['entity_id']), len(kg['head_id'])
    relation_names, relation = np.unique(kg['relation_id'], return_inverse=True)
    try:
        linked_items = link['item_id'].astype(np.int64)
    except ValueError:
        raise DataError(scoped(loader, 'ml-100k.link: item_id must hold MovieLens movie ids (integers).')) from None
    item_entity = np.full(data.max_item, _NO_ENTITY, dtype=np.int64)
    position = np.searchsorted(data.item_id_map, linked_items)
    known = (position < data.max_item) & (data.item_id_map[np.minimum(position, data.max_item - 1)] == linked_items)
    item_entity[position[known]] = entity_ids[:n_link][known]
    graph = KnowledgeGraph('ml-100k/freebase', entity_ids[n_link:n_link + n_kg], relation.ravel(),
                           entity_ids[n_link + n_kg:], len(entity_names), len(relation_names), item_entity,
                           entity_names, relation_names)
    return _attach(data, graph)


def load_ml1m_kg(split: str = 'given', ratios: Sequence[float] = (0.8, 0.1, 0.1), seed: int = 2020,
                 data_home: Optional[Union[str, os.PathLike]] = None) -> tuple[DataSplit, KnowledgeGraph]:
    """Load MovieLens 1M implicit pairs with KTUP's DBpedia knowledge graph (KGAT format).

    ``train.txt`` / ``test.txt`` hold original MovieLens user and movie ids. Users get
    the ``remap_id`` of ``user_list.txt``; items are renumbered 0.. in order of movie id
    over both files (``item_id_map`` gives the movie id back). An item is linked to an
    entity through ``item_list.txt``, whose third column (named ``freebase_id``) is the
    MovieLens movie id and whose first column is the DBpedia resource, looked up in
    ``entity_list.txt``.

    Args:
        split: ``'given'`` (the files' 80/20 time-ordered train/test split, no
            validation part) or ``'random'`` (all pairs re-split per user, RecBole rule).
        ratios: Split shares for ``'random'``.
        seed: Seed of ``'random'``.
        data_home: Data home override.

    Returns:
        ``(split, graph)``: 1,000,209 pairs of 6,040 users and 3,706 items; 112,160
        triples over 14,708 entities and 8 relations.

    Raises:
        DataFileNotFoundError: A file is missing.
        DataError: A malformed line or a user missing from ``user_list.txt``.
        UnknownOptionError: Unknown ``split``.
    """
    loader = 'load_ml1m_kg'
    if split not in ('given', 'random'):
        raise UnknownOptionError(scoped(loader, f"unknown split {split!r}; valid: ['given', 'random']."))

    def path(name: str) -> Path:
        return dataset_file(ML1M_KG_FOLDER, name, data_home, loader)

    parts = [lists_to_pairs(read_int_lists(path(name), loader), path(name), loader=loader)
             for name in ('train.txt', 'test.txt')]
    user_rows = _read_name_ids(path('user_list.txt'), loader)
    user_map = {int(org): int(remap) for org, remap in user_rows}
    max_user = max(user_map.values()) + 1
    all_users = np.concatenate([users for users, _ in parts])
    unknown = sorted(set(np.unique(all_users).tolist()) - set(user_map))
    if unknown:
        raise DataError(scoped(loader, f'user(s) {unknown[:5]} of train/test.txt are not in user_list.txt.'))
    lookup = np.full(max(max(user_map), int(all_users.max())) + 1, -1, dtype=np.int64)
    lookup[list(user_map)] = list(user_map.values())
    items, item_id_map = remap_ids(np.concatenate([movies for _, movies in parts]))
    max_item = len(item_id_map)
    sizes = np.cumsum([0] + [len(movies) for _, movies in parts])
    arrays = [make_interactions(lookup[users], items[sizes[k]:sizes[k + 1]]) for k, (users, _) in enumerate(parts)]

    entity_rows = _read_name_ids(path('entity_list.txt'), loader)
    entity_of = {name: int(remap) for name, remap in entity_rows}
    relation_rows = _read_name_ids(path('relation_list.txt'), loader)
    triples = read_int_table(path('kg_final.txt'), 3, loader=loader)
    num_entities = max(len(entity_rows), int(triples[:, [0, 2]].max()) + 1)
    num_relations = max(len(relation_rows), int(triples[:, 1].max()) + 1)
    item_entity = np.full(max_item, _NO_ENTITY, dtype=np.int64)
    for name, _, movie in _read_name_ids(path('item_list.txt'), loader, n_fields=3):
        position = int(np.searchsorted(item_id_map, int(movie)))
        if position < max_item and item_id_map[position] == int(movie) and name in entity_of:
            item_entity[position] = entity_of[name]
    entity_names = np.array([name for name, _ in sorted(entity_rows, key=lambda row: int(row[1]))])
    relation_names = np.array([name for name, _ in sorted(relation_rows, key=lambda row: int(row[1]))])
    graph = KnowledgeGraph('ml-1m/dbpedia', triples[:, 0], triples[:, 1], triples[:, 2], num_entities,
                           num_relations, item_entity, entity_names, relation_names)

    id_maps = dict(user_id_map=np.array(sorted(user_map, key=user_map.get)), item_id_map=item_id_map)
    name = 'ml-1m-kg'
    if split == 'random':
        data = build_data_split(name, np.concatenate(arrays), max_user, max_item, 'random', ratios, seed, **id_maps)
    else:
        train, test = arrays
        protocol = (f'given split of the ml-1m-kg files: train.txt / test.txt as distributed ({len(train):,} / '
                    f'{len(test):,} pairs, 80/20 per user by time upstream; no validation part)')
        data = data_split_from_parts(name, train, None, test, max_user, max_item, protocol, **id_maps)
    return _attach(data, graph)
