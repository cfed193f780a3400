"""`python -m stepahead.cli`: the same as the `stepahead` command."""

import sys

from . import main

sys.exit(main())
