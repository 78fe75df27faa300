"""The `papercat` command as installed: generator.cli's `main`, with Ctrl-C while its modules load (MkDocs,
scikit-learn: about a second) ending as cleanly as Ctrl-C later does, and SOURCE_DATE_EPOCH kept from them."""
from __future__ import annotations

import os
import signal
import sys


class Terminated(KeyboardInterrupt):
    """SIGTERM (a `kill`, a CI job cancelled), which stops papercat as Ctrl-C does: with a message, its processes
    ended and the site whole."""


def stop_on_terminate(signum: int, frame: object) -> None:
    raise Terminated


def main() -> int:
    signal.signal(signal.SIGTERM, stop_on_terminate)
    # numpy reads SOURCE_DATE_EPOCH as it loads (numpy.f2py, which SciPy loads) and fails with a traceback on a
    # value that is not whole seconds: it is hidden while the modules load, so that the build refuses it with
    # its own message (build.build_date). Set but blank, as CI systems leave it, it stays unset, for the tools
    # the build runs too (MkDocs fails on it the same way).
    epoch = os.environ.pop("SOURCE_DATE_EPOCH", None)
    try:
        from .cli import main as run
    except KeyboardInterrupt as stop:
        print("papercat: interrupted before it began; nothing was changed", file=sys.stderr)
        return interrupted_status(stop)
    finally:
        if epoch is not None and epoch.strip():
            os.environ["SOURCE_DATE_EPOCH"] = epoch
    return run()


def interrupted_status(stop: KeyboardInterrupt) -> int:
    """A shell's status for a command a signal stopped: 128 and the signal's number."""
    return 128 + (signal.SIGTERM if isinstance(stop, Terminated) else signal.SIGINT)
