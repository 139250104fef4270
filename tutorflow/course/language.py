"""The course's two languages, English and Chinese.

``set_language("zh")``, the first code cell of every notebook in ``notebooks/zh/``, switches what
the course itself says: the exercises' feedback, hints and verdicts, the progress table and the
widgets' labels. TF-style error messages stay in English, as TensorFlow's own do.

A message the course shows is a :class:`Text`, written in both languages side by side::

    Text(f"{n:,} is `W` alone: you forgot the bias.", f"{n:,} 只是 `W`：你漏掉了偏置。")

and ``str()`` of it is the sentence in the language in use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LANGUAGES = {"en": "English", "zh": "中文"}

_in_use = "en"
_HAN = re.compile("[\u4e00-\u9fff]")


def set_language(code: str) -> None:
    """Makes the course speak ``"en"`` (English, the default) or ``"zh"`` (Chinese)."""
    global _in_use
    if code not in LANGUAGES:
        raise ValueError(f"language must be one of {list(LANGUAGES)}, got {code!r}")
    _in_use = code


def language() -> str:
    """The language in use: ``"en"`` or ``"zh"``."""
    return _in_use


def has_chinese(text: str) -> bool:
    """True when ``text`` holds at least one Chinese character."""
    return bool(_HAN.search(text))


@dataclass(frozen=True)
class Text:
    """One message in English and in Chinese; ``str()`` gives it in the language in use."""

    en: str
    zh: str

    def __post_init__(self):
        if not has_chinese(self.zh):
            raise ValueError(f"the Chinese text of {self.en[:60]!r} holds no Chinese: {self.zh!r}")

    def __str__(self) -> str:
        return self.zh if _in_use == "zh" else self.en


def say(en: str, zh: str) -> str:
    """The sentence in the language in use, for text shown at once (a widget's label)."""
    return str(Text(en, zh))
