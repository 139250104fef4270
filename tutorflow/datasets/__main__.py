"""Fetch and verify datasets ahead of time: ``python -m tutorflow.datasets mnist fashion``."""

import argparse
import signal
import sys

from .idx import DataError
from .mnist import DATASETS, prefetch


def main(argv: list[str] | None = None) -> int:
    """Fetch each named dataset, print where its files are; return the exit status."""
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    parser = argparse.ArgumentParser(prog="python -m tutorflow.datasets", description=__doc__)
    parser.add_argument("datasets", nargs="+", choices=sorted(DATASETS))
    for dataset in parser.parse_args(argv).datasets:
        try:
            paths = prefetch(dataset)
        except DataError as error:
            print(f"{dataset}: {error}", file=sys.stderr)
            return 1
        print(f"{dataset}: {len(paths)} files verified")
        for path in paths.values():
            print(f"  {path}")
    return 0


def _exit_on_sigterm(signum, frame):
    """SIGTERM (``kill``, a closing terminal, a CI timeout) ends the fetch as Ctrl-C would,
    unwinding it, so that its partial file and npm scratch folder are removed."""
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    sys.exit(main())
