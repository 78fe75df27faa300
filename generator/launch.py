"""The `papercat` command as installed: generator.cli's `main`, with Ctrl-C while its modules load (MkDocs,
scikit-learn: about a second) ending as cleanly as Ctrl-C later does, and SOURCE_DATE_EPOCH kept from them."""
from __future__ import annotations

import os
import sys


def main() -> int:
    # numpy reads SOURCE_DATE_EPOCH as it loads (numpy.f2py, which SciPy loads) and fails with a traceback on a
    # value that is not whole seconds: it is hidden while the modules load, so that the build refuses it with
    # its own message (build.build_date). Set but blank, as CI systems leave it, it stays unset, for the tools
    # the build runs too (MkDocs fails on it the same way).
    epoch = os.environ.pop("SOURCE_DATE_EPOCH", None)
    try:
        from .cli import main as run
    except KeyboardInterrupt:
        print("papercat: interrupted before it began; nothing was changed", file=sys.stderr)
        return 130
    finally:
        if epoch is not None and epoch.strip():
            os.environ["SOURCE_DATE_EPOCH"] = epoch
    return run()
