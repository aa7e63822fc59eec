"""`python -m lawproof.cli`: the same as the `lawproof` command."""
import sys

from . import main

sys.exit(main())
