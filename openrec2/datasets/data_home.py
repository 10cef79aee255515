"""Where named datasets live on disk (the data home) and how a loader finds a file.

The data home is, in order: the ``data_home`` argument, the ``OPENREC2_DATA``
environment variable, else ``~/.openrec2/datasets``. Each dataset has its own folder
inside it (``ml-100k/``, ``ml-1m-ratings3/``, ``citeulike-a/``, ``amazon-beauty/``);
``datasets/download.py`` in the project fetches and checks them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional, Union

from openrec2.errors import DataFileNotFoundError, scoped

DATA_HOME_ENV = 'OPENREC2_DATA'
DEFAULT_DATA_HOME = Path('~/.openrec2/datasets')


def get_data_home(data_home: Optional[Union[str, os.PathLike]] = None) -> Path:
    """Resolve the data home folder (it need not exist).

    Args:
        data_home: Explicit folder; overrides everything else when given.

    Returns:
        The folder as an absolute, user-expanded path.
    """
    if data_home is None:
        data_home = os.environ.get(DATA_HOME_ENV) or DEFAULT_DATA_HOME
    return Path(data_home).expanduser().resolve()


def dataset_file(folder: str, filename: str, data_home: Optional[Union[str, os.PathLike]] = None,
                 loader: str = 'openrec2.datasets') -> Path:
    """Path of one file of a named dataset, checked to exist.

    Args:
        folder: Dataset folder inside the data home, e.g. ``'ml-100k'``.
        filename: File inside that folder, e.g. ``'u.data'``.
        data_home: Data home override (see :func:`get_data_home`).
        loader: Loader name for the error message.

    Returns:
        Path of the existing file.

    Raises:
        DataFileNotFoundError: The file does not exist; the message names the path, the
            data home rule and the download script.
    """
    path = get_data_home(data_home) / folder / filename
    if not path.is_file():
        raise DataFileNotFoundError(scoped(loader, (
            f'expected file {path} ({folder}/{filename}) was not found. The data home is the '
            f'data_home argument, else ${DATA_HOME_ENV}, else {DEFAULT_DATA_HOME}; fetch the data '
            f'with `python datasets/download.py {folder}` from the openrec2 project or pass '
            'data_home= pointing at the folder that holds it.')))
    return path
