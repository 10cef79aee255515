"""A PNG of a run's learning curves (loss per objective, validation metrics), when matplotlib is installed.

matplotlib is an optional extra (``pip install openrec2[plots]``); without it
:func:`plot_learning_curves` writes nothing and says so by returning False. The figure is
drawn with matplotlib's object API and the Agg canvas, so no global pyplot state or
backend of the caller's is touched.
"""

from __future__ import annotations

from typing import Optional

#: Metrics drawn per split at most (the first ones the evaluations report).
MAX_METRICS = 4


def matplotlib_available() -> bool:
    """Whether matplotlib can be imported."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def plot_learning_curves(history, path: str, title: Optional[str] = None) -> bool:
    """Draw the loss of each objective and the metrics of each evaluated split against the epoch.

    Args:
        history: A :class:`~openrec2.trainer.history.TrainingHistory`.
        path: The PNG file to write.
        title: Figure title (e.g. ``'BPR on ml-100k'``).

    Returns:
        True when the PNG was written, False when matplotlib is not installed.
    """
    if not matplotlib_available():
        return False
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(11, 4))
    FigureCanvasAgg(figure)
    losses, metrics = figure.add_subplot(1, 2, 1), figure.add_subplot(1, 2, 2)
    x_label = 'epoch' if history.batches_per_epoch else 'iteration'

    def x_of(rows):
        return [row['epoch'] if history.batches_per_epoch else row['iteration'] for row in rows]

    for objective in dict.fromkeys(row['objective'] for row in history.losses):
        rows = [row for row in history.losses if row['objective'] == objective]
        losses.plot(x_of(rows), [row['loss'] for row in rows], marker='.', label=f'{objective} loss')
    for split in history.splits:
        rows = [row for row in history.evaluations if row['split'] == split]
        keys = [key for key in rows[0]['metrics'] if '/' not in key][:MAX_METRICS]
        for key in keys:
            metrics.plot(x_of(rows), [row['metrics'][key] for row in rows], marker='.', label=f'{split} {key}')
    for axes, label in ((losses, 'mean training loss'), (metrics, 'metric')):
        axes.set_xlabel(x_label)
        axes.set_ylabel(label)
        axes.grid(alpha=0.3)
        if axes.lines:
            axes.legend(fontsize=8)
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    return True
