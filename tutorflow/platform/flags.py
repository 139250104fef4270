"""``tf.app.flags`` (also ``tf.flags``): command-line flags, defined where they are used and
parsed from ``sys.argv`` as TF 1.x (through absl) parses them.

    flags = tf.app.flags
    flags.DEFINE_integer("max_steps", 2000, "Number of steps to run trainer.")
    flags.DEFINE_boolean("fake_data", False, "If true, uses fake data for unit testing.")
    FLAGS = flags.FLAGS
    ...
    FLAGS.max_steps        # 2000, or the value of --max_steps=500 on the command line

Accepted forms: ``--name=value``, ``--name value``, ``-name=value``, and for booleans ``--name``,
``--noname`` and ``--name=false``. Reading a flag before ``tf.app.run`` parses ``sys.argv``
first, leaving the arguments it does not know. Unlike TF, defining a flag again replaces it,
so that a notebook cell that defines flags can be run twice.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


class Error(Exception):
    """A flag that cannot be parsed (TF and absl: ``flags.Error``)."""


class IllegalFlagValueError(Error):
    """A value that does not parse as the flag's type."""


class UnrecognizedFlagError(Error):
    """A ``--name`` on the command line that no DEFINE_* defined."""


@dataclass
class Flag:
    name: str
    default: Any
    help: str
    parse: Callable[[str], Any]
    value: Any = None


def _parse_bool(text: str) -> bool:
    lowered = text.lower()
    if lowered in ("true", "t", "1", "yes", "y"):
        return True
    if lowered in ("false", "f", "0", "no", "n"):
        return False
    raise ValueError("Non-boolean argument to boolean flag")


class FlagValues:
    """The defined flags; their values are attributes: ``FLAGS.learning_rate``."""

    def __init__(self):
        object.__setattr__(self, "_flags", {})
        object.__setattr__(self, "_parsed", False)

    def define(self, name: str, default, help: str, parse) -> None:
        value = parse(default) if isinstance(default, str) and parse is not str else default
        self._flags[name] = Flag(name, default, help, parse, value)

    def __call__(self, argv, known_only: bool = False) -> list:
        """Sets the flags named in ``argv[1:]``; returns ``argv[0]`` and what was left over."""
        argv = list(argv)
        left = argv[:1]
        rest = argv[1:]
        while rest:
            arg = rest.pop(0)
            if arg == "--":
                left.extend(rest)
                break
            if not arg.startswith("-") or arg == "-":
                left.append(arg)
                continue
            name, has_value, text = arg.lstrip("-").partition("=")
            flag = self._flags.get(name)
            if flag is None and not has_value and name.startswith("no"):
                negated = self._flags.get(name[2:])
                if negated is not None and negated.parse is _parse_bool:
                    flag, has_value, text = negated, True, "false"
            if flag is None:
                if not known_only:
                    raise UnrecognizedFlagError(f"Unknown command line flag '{name}'")
                left.append(arg)
                continue
            if not has_value:
                if flag.parse is _parse_bool:
                    text = "true"
                elif rest:
                    text = rest.pop(0)
                else:
                    raise IllegalFlagValueError(f"Flag --{name} needs a value")
            try:
                flag.value = flag.parse(text)
            except ValueError as error:
                raise IllegalFlagValueError(f"flag --{name}={text}: {error}") from None
        object.__setattr__(self, "_parsed", True)
        return left

    def is_parsed(self) -> bool:
        return self._parsed

    def __getattr__(self, name: str):
        flags = self.__dict__["_flags"]
        if name not in flags:
            raise AttributeError(name)
        if not self._parsed:  # as TF 1.x does when a flag is read before tf.app.run
            self(sys.argv, known_only=True)
        return flags[name].value

    def __setattr__(self, name: str, value) -> None:
        if name not in self._flags:
            raise AttributeError(f"No flag named '{name}' is defined.")
        self._flags[name].value = value

    def __contains__(self, name: str) -> bool:
        return name in self._flags

    def flag_values_dict(self) -> dict:
        return {name: flag.value for name, flag in self._flags.items()}

    def help_text(self) -> str:
        """One line per flag: ``--name: help (default: value)``."""
        return "\n".join(
            f"  --{flag.name}: {flag.help}\n    (default: {flag.default!r})"
            for flag in self._flags.values()
        )


FLAGS = FlagValues()


def DEFINE_string(name: str, default, help: str) -> None:
    """A flag holding text (or None)."""
    FLAGS.define(name, default, help, str)


def DEFINE_integer(name: str, default, help: str) -> None:
    """A flag holding an int."""
    FLAGS.define(name, default, help, int)


def DEFINE_float(name: str, default, help: str) -> None:
    """A flag holding a float."""
    FLAGS.define(name, default, help, float)


def DEFINE_boolean(name: str, default, help: str) -> None:
    """A flag that is True or False: ``--name``, ``--noname``, ``--name=false``."""
    FLAGS.define(name, default, help, _parse_bool)


DEFINE_bool = DEFINE_boolean
