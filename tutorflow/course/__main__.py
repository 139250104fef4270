"""``python -m tutorflow.course exercises [--solve]``: list the exercises, one line a notebook,
or run every notebook with the solutions filled in and report how many pass."""

import argparse
import sys

from .exercises import by_notebook


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tutorflow.course")
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("exercises", help="list the exercises of every notebook")
    listing.add_argument(
        "--solve",
        action="store_true",
        help="execute every notebook with the solutions filled in (quick mode)",
    )
    listing.add_argument(
        "notebooks", nargs="*", metavar="NN", help="only these notebooks, by number (e.g. 05 08)"
    )
    args = parser.parse_args(argv)
    if args.solve:
        from .solve import run

        passed, total = run(only=args.notebooks)
        return 0 if passed == total else 1
    for notebook, items in by_notebook().items():
        if args.notebooks and notebook[:2] not in args.notebooks:
            continue
        print(f"{notebook:<30} {len(items)} exercises")
    return 0


if __name__ == "__main__":
    sys.exit(main())
