"""Errors raised by openrec2.

Every error derives from :class:`OpenRecError`, so ``except OpenRecError`` catches
anything the library raises on purpose. Each subclass also derives from the built-in
exception a Python user would expect (``ValueError``, ``TypeError``, ...), so existing
``except ValueError`` code keeps working.

Messages start with the scope of the module or model that raised them (for example
``"bpr/user_vec: ..."``) and say what to change.
"""


class OpenRecError(Exception):
    """Root of every error openrec2 raises on purpose."""


class ShapeError(OpenRecError, ValueError):
    """A tensor or array has the wrong rank or shape."""


class DTypeError(OpenRecError, TypeError):
    """A tensor or array has the wrong dtype."""


class MissingInputError(OpenRecError, ValueError):
    """A batch lacks an input the model declared, or a required argument is missing."""


class UnknownOptionError(OpenRecError, ValueError):
    """An option (init, optimiser, model, dataset, metric, ...) is not one of the valid ones."""


class SettingError(UnknownOptionError):
    """A setting has a value it cannot take: a size or count that is not a positive
    integer, a rate or weight out of range, a learning rate <= 0, a choice that is not
    among the valid ones. Raised by :mod:`openrec2.validation` for every constructor and
    the command line alike (a subclass of :class:`UnknownOptionError`, which code written
    for earlier releases catches)."""


class VariableSharingError(OpenRecError, ValueError):
    """Variables were not shared as intended (e.g. serving asks for a variable training never made)."""


class DataError(OpenRecError, ValueError):
    """A data file or array is malformed or inconsistent."""


class DataFileNotFoundError(DataError, FileNotFoundError):
    """A data file that a loader needs does not exist."""


class SamplerError(OpenRecError, RuntimeError):
    """A sampler worker failed; the original exception is chained as ``__cause__``."""


class TrainingError(OpenRecError, RuntimeError):
    """Training cannot go on."""


class NaNLossError(TrainingError):
    """The training loss became NaN or infinite."""


class DivergenceError(NaNLossError):
    """Training diverged: a loss became NaN or infinite, exploded past the divergence
    bound, or a parameter stopped being finite (a :class:`NaNLossError`, which code
    written for earlier releases catches)."""


class CollapsedScoresError(TrainingError):
    """A trained model scores every item the same: its ranking is only the tie-breaking
    order, so its metrics are not reported as a result."""


class CheckpointError(OpenRecError, RuntimeError):
    """A checkpoint cannot be written or read."""


class ClusterError(OpenRecError, RuntimeError):
    """A parameter-server cluster cannot run: a task is unreachable or died, or the
    chief never initialised the variables."""


class ExportError(OpenRecError, RuntimeError):
    """A model cannot be exported (SavedModel or HDF5), or an export cannot be read back."""


def scoped(scope: str, message: str) -> str:
    """Prefix an error message with the scope that raised it.

    Args:
        scope: Name of the module or model scope (may be empty).
        message: What went wrong and what to change.

    Returns:
        ``"scope: message"``, or ``message`` alone when ``scope`` is empty.
    """
    return f"{scope}: {message}" if scope else message
