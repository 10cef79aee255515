"""The trainer's checkpoints in a run folder: written with their run state, rotated, found again.

Layout of ``save_dir``::

    model.ckpt-<iteration>.index / .data-*     the model (TensorFlow checkpoint)
    model.ckpt-<iteration>.run.json            its run state (RunState)
    checkpoint                                 TensorFlow's pointer file: latest + kept ones
    best/best-<iteration>.*                    the best early-stopping state

Order of a save, so that a crash at any moment leaves a usable latest checkpoint: the
model's files, then the run state (atomic), then the pointer file (atomic, by
TensorFlow), then the deletion of checkpoints beyond the ``keep`` newest. A resumed run
finds the checkpoints by their run-state files, so those written before a crash stay in
the rotation and are deleted in turn. Best checkpoints are kept while a kept run state refers to
them (a resume from an older checkpoint needs the best state it knew).
"""

from __future__ import annotations

import glob
import os
from typing import Optional

import tensorflow.compat.v1 as tf

from openrec2.errors import CheckpointError, scoped
from openrec2.trainer.run_state import RunState, read_state, state_path, write_atomically

#: File name of periodic checkpoints (``model.ckpt-<iteration>``).
CHECKPOINT_NAME = 'model.ckpt'
#: Folder and file name of the best early-stopping checkpoint.
BEST_NAME = 'best'
#: Periodic checkpoints kept (older ones are deleted).
DEFAULT_KEEP = 5
_SCOPE = 'ModelTrainer'


def remove_checkpoint(prefix: str) -> None:
    """Delete every file of a checkpoint (its run state included).

    Args:
        prefix: The checkpoint prefix.
    """
    for path in glob.glob(prefix + '.*'):
        os.remove(path)


class CheckpointStore:
    """Periodic and best checkpoints of one run folder.

    Args:
        save_dir: The run's checkpoint folder (created when needed).
        keep: Periodic checkpoints kept.
    """

    def __init__(self, save_dir: str, keep: int = DEFAULT_KEEP) -> None:
        self.save_dir = os.path.abspath(save_dir)
        self.keep = int(keep)
        self.best_dir = os.path.join(self.save_dir, BEST_NAME)
        self._kept: list[str] = self._recorded()

    # ------------------------------------------------------------------ paths
    def _recorded(self) -> list[str]:
        """The periodic checkpoints of the folder, oldest first.

        They are found by their files, not from TensorFlow's pointer file: a final
        ``model.save`` into the same folder rewrites the pointer to name only itself,
        and a resume must still find the trainer's checkpoints (:meth:`latest` passes
        over those without a run state; the rotation deletes them in turn).
        """
        pattern = os.path.join(glob.escape(self.save_dir), f'{CHECKPOINT_NAME}-*.index')
        found = []
        for path in glob.glob(pattern):
            prefix = path[:-len('.index')]
            iteration = prefix.rsplit('-', 1)[1]
            if iteration.isdigit():
                found.append((int(iteration), prefix))
        return [prefix for _, prefix in sorted(found)]

    def relative(self, prefix: Optional[str]) -> Optional[str]:
        """A prefix relative to the run folder (None stays None)."""
        return None if prefix is None else os.path.relpath(prefix, self.save_dir)

    def absolute(self, prefix: Optional[str]) -> Optional[str]:
        """A prefix of :meth:`relative` as an absolute path."""
        return None if prefix is None else os.path.join(self.save_dir, prefix)

    def prefix_for(self, iteration: int) -> str:
        """The prefix :meth:`save` writes for ``iteration``."""
        return os.path.join(self.save_dir, f'{CHECKPOINT_NAME}-{iteration}')

    # ------------------------------------------------------------------ writing
    def save(self, model, iteration: int, state: RunState) -> str:
        """Write a periodic checkpoint with its run state and rotate.

        Args:
            model: The recommender.
            iteration: Its iteration (the file suffix).
            state: The run state at this iteration.

        Returns:
            The checkpoint prefix.

        Raises:
            CheckpointError: The folder cannot be written.
        """
        prefix = model.save(self.save_dir, step=iteration, name=CHECKPOINT_NAME, rotate=False)
        write_atomically(state_path(prefix), state.to_json())
        self._kept = [path for path in self._kept if path != prefix] + [prefix]
        dropped, self._kept = self._kept[:-self.keep], self._kept[-self.keep:]
        try:
            # Relative paths, so that the run folder can be moved (TensorFlow reads them relative to it).
            tf.train.update_checkpoint_state(self.save_dir, self.relative(prefix),
                                             [self.relative(path) for path in self._kept])
        except (OSError, tf.errors.OpError) as error:
            raise CheckpointError(scoped(_SCOPE, f'cannot write the checkpoint pointer in {self.save_dir!r}: '
                                                 f'{error}')) from error
        for old in dropped:
            remove_checkpoint(old)
        self._collect_best(state.best_checkpoint)
        return prefix

    def save_best(self, model, iteration: int) -> str:
        """Write the best early-stopping state (outside the rotation).

        Args:
            model: The recommender.
            iteration: Its iteration.

        Returns:
            The checkpoint prefix.
        """
        return model.save(self.best_dir, step=iteration, name=BEST_NAME, rotate=False)

    def _collect_best(self, newest: Optional[str]) -> None:
        """Delete best checkpoints that neither a kept run state nor ``newest`` refers to."""
        wanted = {self.absolute(newest)} if newest else set()
        for prefix in self._kept:
            try:
                wanted.add(self.absolute(read_state(prefix).best_checkpoint))
            except CheckpointError:
                continue
        for index in glob.glob(os.path.join(self.best_dir, f'{BEST_NAME}-*.index')):
            prefix = index[:-len('.index')]
            if prefix not in wanted:
                remove_checkpoint(prefix)

    def keep_only_best(self, best: Optional[str]) -> None:
        """At the end of a run: delete every best checkpoint but ``best``.

        Args:
            best: The prefix of the run's final best checkpoint (None: delete all).
        """
        for index in glob.glob(os.path.join(self.best_dir, f'{BEST_NAME}-*.index')):
            prefix = index[:-len('.index')]
            if best is None or os.path.abspath(prefix) != os.path.abspath(best):
                remove_checkpoint(prefix)

    # ------------------------------------------------------------------ reading
    def latest(self) -> Optional[tuple[str, RunState]]:
        """The newest checkpoint that has a readable run state, and its state.

        A checkpoint whose state file is missing or damaged (a crash between the two
        writes cannot cause it, a damaged disk can) is passed over for the one before.

        Returns:
            ``(prefix, state)``, or None when the folder holds no trainer checkpoint.
        """
        for prefix in reversed(self._kept):
            if not os.path.exists(prefix + '.index'):
                continue
            try:
                return prefix, read_state(prefix)
            except CheckpointError:
                continue
        return None
