"""Evaluation of recommenders: ranking metrics, labelled metrics and the functions that apply them.

Usable without a model or trainer::

    from openrec2.utils.evaluators import evaluate, Recall, NDCG, AUC
    results = evaluate(scores, test_items, excluded_items=train_items,
                       evaluators=[Recall(recall_at=[10, 20]), NDCG(ndcg_at=10), AUC()])
    results['Recall@10'], results.num_evaluated

Ranking: score descending, ties broken by the lower item id; excluded items leave the
ranking; definitions are RecBole's (see :mod:`.ranking_metrics`). Beyond accuracy,
:mod:`.exposure` measures how top-K lists spread over the catalogue (coverage, Gini
index of exposure, long-tail share, mean popularity) of the lists :func:`top_k_lists`
returns. numpy only.
"""

from openrec2.utils.evaluators.auc import AUC
from openrec2.utils.evaluators.evaluate import (
                                                default_ranking_evaluators,
                                                evaluate,
                                                evaluate_labelled,
                                                evaluate_sampled,
)
from openrec2.utils.evaluators.evaluator import Evaluator, validate_cutoffs
from openrec2.utils.evaluators.exposure import (
                                                catalog_coverage,
                                                exposure_gini,
                                                item_exposure,
                                                mean_popularity,
                                                tail_share,
)
from openrec2.utils.evaluators.implicit_eval_manager import ImplicitEvalManager
from openrec2.utils.evaluators.labelled_metrics import MSE, RMSE, LogLoss
from openrec2.utils.evaluators.ranking import RankedBlock, rank_block, top_k_indices
from openrec2.utils.evaluators.ranking_metrics import MAP, MRR, NDCG, HitRatio, Precision, Recall
from openrec2.utils.evaluators.results import MetricResults
from openrec2.utils.evaluators.runner import evaluate_with_scorer
from openrec2.utils.evaluators.top_k_lists import top_k_lists
from openrec2.utils.item_lists import ItemLists

__all__ = [
    'AUC', 'Evaluator', 'HitRatio', 'ImplicitEvalManager', 'ItemLists', 'LogLoss', 'MAP', 'MRR', 'MSE', 'MetricResults', 'NDCG',
    'Precision', 'RMSE', 'RankedBlock', 'Recall', 'default_ranking_evaluators', 'evaluate',
    'evaluate_labelled', 'evaluate_sampled', 'evaluate_with_scorer', 'rank_block', 'top_k_indices',
    'validate_cutoffs', 'catalog_coverage', 'exposure_gini', 'item_exposure', 'mean_popularity', 'tail_share',
    'top_k_lists',
]
