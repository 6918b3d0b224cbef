"""``python -m compat``: the same as the ``compat`` command."""

from compat.cli import main

raise SystemExit(main())
