"""A training job for the resume tests, run as a subprocess: ``python resume_job.py MODEL RUN_DIR OUT [--resume]``.

It trains a small model with checkpoints every 5 iterations, evaluations every 10 and
early stopping, printing ``step <n>`` after every training step (so that the test can
kill it at a chosen moment), and writes the history, the final validation metrics and
some final scores to ``OUT`` as JSON.
"""

import json
import os
import sys

import numpy as np

os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from model_cases import interaction_data, kg_data, sequence_data  # noqa: E402

from openrec2 import ModelTrainer  # noqa: E402
from openrec2.experiments.experiment import (ExperimentSettings, evaluation_plan, model_keywords,  # noqa: E402
                                             training_samplers)
from openrec2.experiments.model_registry import get_model_spec  # noqa: E402

JOBS = {
    'BPR': (interaction_data, {}),
    'AMR': (lambda: interaction_data(True), dict(epochs=4, model_settings=dict(adversarial_epochs=3))),
    'KTUP': (kg_data, dict(dim=16, model_settings=dict(train_rec_step=1, train_kg_step=1))),
    'DIEN': (sequence_data, dict(dim=8, model_settings=dict(max_seq_length=6, mlp_hidden_size=[16],
                                                            attention_mlp_size=[8], dropout_prob=0.3))),
}
TOTAL_ITER, EVAL_ITER, SAVE_ITER = 60, 10, 5


def main(name: str, run_dir: str, out: str, resume: bool) -> None:
    make_data, options = JOBS[name]
    spec, data = get_model_spec(name), make_data()
    settings = ExperimentSettings(**{'batch_size': 32, 'lr': 0.01, **options}).resolved(spec)
    plan, evaluators = evaluation_plan(spec, data, settings, final=False)
    metric = 'AUC' if spec.data == 'sequences' else 'NDCG@10'
    with spec.recommender_class()(**model_keywords(spec, data, settings)) as model:
        step = model.train

        def train_and_say(batch, objective=None):
            loss = step(batch, objective)
            print(f'step {model.global_step}', flush=True)
            return loss

        model.train = train_and_say
        sampler, _ = training_samplers(spec, data, settings, model)
        trainer = ModelTrainer(model, save_dir=run_dir, early_stop_metric=metric, patience=3, verbose=False)
        history = trainer.train(TOTAL_ITER, EVAL_ITER, SAVE_ITER, sampler, eval_samplers=plan, evaluators=evaluators,
                                resume=resume)
        final = trainer.evaluate(plan, evaluators)
        users = np.arange(6, dtype=np.int32)
        if spec.data == 'sequences':
            batch = next(iter(plan['validation'][0].sampler))
            scores = model.serve_in_chunks({k: v[:20] for k, v in batch.items() if k in model.input_names(False)})
        else:
            scores = model.serve_all_items(users)
        for one in (sampler.values() if isinstance(sampler, dict) else [sampler]):
            one.close()
    with open(out, 'w', encoding='utf-8') as handle:
        json.dump({'history': history.to_dict(), 'final': {k: dict(v) for k, v in final.items()},
                   'scores': np.asarray(scores, np.float64).tolist()}, handle)


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2], sys.argv[3], '--resume' in sys.argv[4:])
