"""The `papercat` command as installed: generator.cli's `main`, with Ctrl-C while its modules load (MkDocs,
scikit-learn: about a second) ending as cleanly as Ctrl-C later does."""
from __future__ import annotations

import sys


def main() -> int:
    try:
        from .cli import main as run
    except KeyboardInterrupt:
        print("papercat: interrupted before it began; nothing was changed", file=sys.stderr)
        return 130
    return run()
