"""``python -m openrec2``: the command line (see :mod:`openrec2.cli`)."""

import sys

from openrec2.cli import main

if __name__ == '__main__':
    sys.exit(main())
