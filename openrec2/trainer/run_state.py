"""What a training checkpoint holds besides the model, and how it is written safely.

A checkpoint of :class:`~openrec2.ModelTrainer` is the model's variables (optimiser slots
and global step included) plus a :class:`RunState` beside them
(``model.ckpt-<iteration>.run.json``): the iteration, the position of every training
sampler, the early-stopping state, the history so far, the partial loss window, the
reference losses of the divergence check and the best checkpoint. With both, a run
killed at any moment continues from its latest checkpoint exactly as if it had never
stopped.

The state is written atomically (a temporary file in the same folder, flushed and
synced, then renamed over the target), so a crash leaves either the old file or the
new one, never half of one.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from typing import Any, Optional

from openrec2.errors import CheckpointError, scoped

#: Suffix of the run-state file next to a checkpoint prefix.
STATE_SUFFIX = '.run.json'
#: Format version of the run-state file.
STATE_VERSION = 1
_SCOPE = 'ModelTrainer'


@dataclass
class RunState:
    """The trainer's state at a checkpoint.

    Attributes:
        iteration: Iterations done when the checkpoint was written.
        sampler_positions: Next batch index of each distinct training sampler, in the
            order of the schedule's objectives.
        sampler_signatures: Class, seed and batch size of each of those samplers (a
            resumed run must feed the same streams).
        schedule: The ``(objective, num_iters)`` phases and whether they cycle.
        stopper: :meth:`EarlyStopping.state` or None.
        history: :meth:`TrainingHistory.to_dict`.
        window: ``{objective: [loss sum, iterations]}`` of the loss window in progress.
        window_seconds: Training seconds of that window.
        loss_reference: First loss of each objective (the divergence check's reference).
        best_checkpoint: Prefix of the best checkpoint, relative to the run folder, or None.
        model: Class name of the recommender that wrote it (a run resumes the same model).
        version: Format version.
    """

    iteration: int
    sampler_positions: list
    sampler_signatures: list
    schedule: dict
    stopper: Optional[dict]
    history: dict
    window: dict = field(default_factory=dict)
    window_seconds: float = 0.0
    loss_reference: dict = field(default_factory=dict)
    best_checkpoint: Optional[str] = None
    model: Optional[str] = None
    version: int = STATE_VERSION

    def to_json(self) -> str:
        """The state as JSON text."""
        return json.dumps(asdict(self), indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str, source: str = 'run state') -> 'RunState':
        """Read a state written by :meth:`to_json`.

        Args:
            text: The JSON text.
            source: Where it came from, for messages.

        Returns:
            The :class:`RunState`.

        Raises:
            CheckpointError: Not a run state of this version, or a field of the wrong type.
        """
        try:
            values: dict[str, Any] = json.loads(text)
            if not isinstance(values, dict):
                raise ValueError(f'a JSON {type(values).__name__}, not an object')
            if values.get('version') != STATE_VERSION:
                raise ValueError(f'version {values.get("version")!r}, expected {STATE_VERSION}')
            state = cls(**values)
            _check_field_types(state)
            return state
        except (ValueError, TypeError) as error:
            raise CheckpointError(scoped(_SCOPE, f'{source} is not a readable run state ({error}).')) from error


#: The JSON types each field may have (a hand-edited or damaged file is refused, not half-used).
_FIELD_TYPES = {
    'iteration': (int,), 'sampler_positions': (list,), 'sampler_signatures': (list,), 'schedule': (dict,),
    'stopper': (dict, type(None)), 'history': (dict,), 'window': (dict,), 'window_seconds': (int, float),
    'loss_reference': (dict,), 'best_checkpoint': (str, type(None)), 'model': (str, type(None)),
}


def _check_field_types(state: RunState) -> None:
    """Raise ValueError naming the first field of ``state`` whose value has the wrong type."""
    for name, types in _FIELD_TYPES.items():
        value = getattr(state, name)
        if isinstance(value, bool) or not isinstance(value, types):
            raise ValueError(f'field {name!r} is {value!r}, expected {" or ".join(t.__name__ for t in types)}')
    if state.iteration < 0:
        raise ValueError(f'field \'iteration\' is {state.iteration}, expected a count >= 0')


def state_path(prefix: str) -> str:
    """The run-state file of a checkpoint prefix."""
    return prefix + STATE_SUFFIX


def write_atomically(path: str, text: str) -> None:
    """Replace ``path`` by ``text`` so that a crash leaves the old or the new file, whole.

    Args:
        path: Target file.
        text: Its new content.

    Raises:
        CheckpointError: The folder cannot be written.
    """
    folder = os.path.dirname(os.path.abspath(path))
    try:
        handle, temporary = tempfile.mkstemp(prefix='.tmp-', dir=folder)
        try:
            with os.fdopen(handle, 'w', encoding='utf-8') as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            if os.path.exists(temporary):
                os.remove(temporary)
            raise
        directory = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(directory)  # the rename itself reaches the disk
        finally:
            os.close(directory)
    except OSError as error:
        raise CheckpointError(scoped(_SCOPE, f'cannot write {path!r}: {error}')) from error


def read_state(prefix: str) -> RunState:
    """The run state stored with a checkpoint.

    Args:
        prefix: The checkpoint prefix.

    Returns:
        The :class:`RunState`.

    Raises:
        CheckpointError: No run state (a checkpoint written by ``model.save``, not by
            the trainer) or an unreadable one.
    """
    path = state_path(prefix)
    try:
        with open(path, encoding='utf-8') as handle:
            text = handle.read()
    except OSError as error:
        raise CheckpointError(scoped(_SCOPE, f'checkpoint {prefix!r} has no run state ({path} is missing): it '
                                             'was not written by ModelTrainer, so a run cannot resume from it; '
                                             'load it with model.load() and train with start_iter.')) from error
    return RunState.from_json(text, path)
