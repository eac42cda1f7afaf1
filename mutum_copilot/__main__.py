"""Allow `python -m mutum_copilot`."""

from mutum_copilot.cli import main

raise SystemExit(main())
