"""RecBole's BPR (PyTorch CPU) on the exported split: seconds per epoch and test Recall/NDCG@10.

The split is read from the RecBole atomic files that compare.py wrote
(``<work-dir>/ml/ml.{train,valid,test}.inter``, ``benchmark_filename`` mode, so RecBole
re-splits nothing). Settings: embedding 64, batch 4096, Adam lr 1e-3, one uniform
negative per positive, no L2 (RecBole's BPR defaults apart from the batch), torch with
``--threads`` threads. Each timed epoch is one ``Trainer._train_epoch`` call: RecBole's
own loop, negative sampling in its data loader included, no evaluation. The metrics are
computed here from the embeddings (mapped back from RecBole's internal ids to the
split's ids), not by RecBole's evaluator. With ``--quality-iterations N > 0`` a fresh
model is trained by ``Trainer.fit`` for at most N epochs with early stopping on
validation NDCG@10 (patience 10 evaluations) and the best epoch is evaluated.

Run (by compare.py): ``/work/bench_venv/bin/python recbole_runner.py --split DIR/split.npz --work-dir DIR``.
"""

from __future__ import annotations

import logging
import os
import time

import numpy as np
import torch
from recbole.config import Config
from recbole.data import create_dataset, data_preparation
from recbole.model.general_recommender import BPR
from recbole.trainer import Trainer
from recbole.utils import init_seed

from full_ranking import recall_ndcg
from runner_common import emit, epoch_summary, parse_args
from split_files import DATASET_NAME, load_split


def make_config(work_dir: str, epochs: int) -> Config:
    """RecBole config of the benchmark: the pre-split files, BPR d=64, batch 4096, Adam 1e-3, CPU."""
    settings = {
        'data_path': work_dir, 'benchmark_filename': ['train', 'valid', 'test'],
        'load_col': {'inter': ['user_id', 'item_id']}, 'embedding_size': 64, 'train_batch_size': 4096,
        'eval_batch_size': 4096, 'learning_rate': 1e-3, 'learner': 'adam', 'weight_decay': 0.0,
        'epochs': epochs, 'train_neg_sample_args': {'distribution': 'uniform', 'sample_num': 1},
        'eval_args': {'group_by': 'user', 'order': 'RO', 'mode': 'full'},
        'metrics': ['Recall', 'NDCG'], 'topk': [10], 'valid_metric': 'NDCG@10', 'stopping_step': 10,
        'eval_step': 1, 'use_gpu': False, 'device': 'cpu', 'seed': 2020, 'reproducibility': True,
        'show_progress': False, 'save_dataset': False, 'save_dataloaders': False, 'worker': 0,
        'checkpoint_dir': os.path.join(work_dir, 'recbole_saved'), 'log_wandb': False,
        'user_inter_num_interval': '[0,inf)', 'item_inter_num_interval': '[0,inf)',
    }
    return Config(model='BPR', dataset=DATASET_NAME, config_dict=settings)


def factors_in_split_ids(model: BPR, dataset, split: dict) -> tuple:
    """User and item embeddings re-indexed by the split's ids (ids RecBole never saw score -inf via bias)."""
    users = model.user_embedding.weight.detach().numpy()
    items = model.item_embedding.weight.detach().numpy()
    user_rows = np.zeros((split['num_users'], users.shape[1]), dtype=np.float32)
    item_rows = np.zeros((split['num_items'], items.shape[1]), dtype=np.float32)
    bias = np.full(split['num_items'], -np.inf)
    # Internal id 0 is RecBole's padding; the others carry the file's tokens.
    for internal, token in enumerate(dataset.field2id_token['user_id'][1:], start=1):
        user_rows[int(token)] = users[internal]
    for internal, token in enumerate(dataset.field2id_token['item_id'][1:], start=1):
        item_rows[int(token)] = items[internal]
        bias[int(token)] = 0.0
    return user_rows, item_rows, bias


def quality(model: BPR, dataset, split: dict) -> dict:
    """Test metrics of a trained RecBole BPR with openrec2's definitions."""
    users, items, bias = factors_in_split_ids(model, dataset, split)
    return recall_ndcg(users, items, np.concatenate([split['train'], split['valid']]), split['test'],
                       item_bias=bias)


def build(work_dir: str, epochs: int) -> tuple:
    """Config, dataset, data loaders, model and trainer of one fresh run."""
    config = make_config(work_dir, epochs)
    init_seed(config['seed'], config['reproducibility'])
    logging.getLogger().setLevel(logging.ERROR)
    dataset = create_dataset(config)
    train_data, valid_data, _ = data_preparation(config, dataset)
    model = BPR(config, train_data.dataset).to(config['device'])
    return config, dataset, train_data, valid_data, model, Trainer(config, model)


def main() -> None:
    """Time ``--epochs`` training epochs, evaluate, then the optional early-stopped run."""
    args = parse_args(__doc__.split('\n')[0])
    torch.set_num_threads(args.threads)
    split = load_split(args.split)
    work_dir = args.work_dir or os.path.dirname(os.path.abspath(args.split))
    _, dataset, train_data, _, model, trainer = build(work_dir, args.epochs)
    seconds = []
    for epoch in range(args.epochs):
        started = time.perf_counter()
        trainer._train_epoch(train_data, epoch, show_progress=False)
        seconds.append(time.perf_counter() - started)
    model.eval()
    result = {'system': 'RecBole BPR', 'version': __import__('recbole').__version__,
              'settings': f'd=64, batch 4096, Adam lr 1e-3, torch {torch.__version__} CPU, {args.threads} threads',
              'epochs': args.epochs, **epoch_summary(seconds), 'test_at_budget': quality(model, dataset, split)}
    if args.quality_iterations:
        _, dataset, train_data, valid_data, model, trainer = build(work_dir, args.quality_iterations)
        started = time.perf_counter()
        trainer.fit(train_data, valid_data, verbose=False, saved=True, show_progress=False)
        elapsed = time.perf_counter() - started
        model.load_state_dict(torch.load(trainer.saved_model_file, weights_only=False)['state_dict'])
        model.eval()
        result['quality_run'] = {'epochs': len(trainer.train_loss_dict), 'seconds': elapsed,
                                 'test': quality(model, dataset, split)}
    emit(result)


if __name__ == '__main__':
    main()
