"""``python -m roi_xl.refresh PATH...``: the same as ``roi-xl refresh PATH...``."""

from .command import main

raise SystemExit(main())
