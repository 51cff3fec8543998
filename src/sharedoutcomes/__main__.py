"""``python -m sharedoutcomes`` runs the command line."""

from sharedoutcomes.cli import main

raise SystemExit(main())
