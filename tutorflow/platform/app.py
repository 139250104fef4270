"""``tf.app``: ``tf.app.run()`` parses the flags and runs the program's ``main``.

    def main(argv):                # argv: the program name and the arguments flags left
        ...
    if __name__ == "__main__":
        tf.app.run()               # or tf.app.run(main=main, argv=[sys.argv[0]] + unparsed)

In a script it exits with ``main``'s return value, as TF's does. In a Jupyter notebook exiting
would stop the kernel, so it returns that status instead, and says so.
"""

from __future__ import annotations

import sys

from . import flags


def run(main=None, argv=None):
    """Parses ``argv`` (default ``sys.argv``) into ``tf.app.flags.FLAGS``, leaving the
    arguments it does not know, and calls ``main`` (default: ``__main__.main``) with them."""
    main = main or sys.modules["__main__"].main
    argv = sys.argv if argv is None else argv
    if any(arg in ("-h", "--help", "--helpfull") for arg in argv[1:]):
        print(f"{argv[0]}:\n{flags.FLAGS.help_text()}")
        return _exit(0)
    try:
        remaining = flags.FLAGS(argv, known_only=True)
    except flags.Error as error:
        print(f"FATAL Flags parsing error: {error}", file=sys.stderr)
        return _exit(1)
    try:
        status = main(remaining)
    except SystemExit as exit_:
        if not _in_notebook():
            raise
        status = exit_.code
    return _exit(status)


def _exit(status):
    if not _in_notebook():
        sys.exit(status)
    print(f"tf.app.run: main finished with exit status {status or 0} (the kernel keeps running)")
    return status or 0


def _in_notebook() -> bool:
    """Whether this runs in a Jupyter kernel, where sys.exit would end the kernel."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell is not None and hasattr(shell, "kernel")
