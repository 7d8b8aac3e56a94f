"""``python -m luukku.cli``."""

import sys

from luukku.cli import main

sys.exit(main())
