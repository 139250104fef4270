"""The course's optional guests: a missing library gives None and the install line, never an
error; an installed one is imported."""

import json
import os
import re
import sys
from pathlib import Path

import tomllib

from tutorflow.course.graduate import INSTALL, optional


def test_an_installed_package_is_imported_silently(capsys):
    assert optional("json") is json
    assert capsys.readouterr().out == ""


def test_a_missing_package_gives_none_and_says_how_to_install_it(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch now raises ImportError
    assert optional("torch") is None
    printed = capsys.readouterr().out
    assert "PyTorch is not installed" in printed
    assert INSTALL in printed


def test_missing_tensorflow_is_named_as_learners_know_it(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "tensorflow", None)
    assert optional("tensorflow") is None
    assert "TensorFlow is not installed" in capsys.readouterr().out


def test_the_install_line_names_an_extra_that_installs_both_libraries():
    extra = re.fullmatch(r'pip install -e "\.\[(\w+)\]"', INSTALL).group(1)
    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    extras = tomllib.loads(pyproject.read_text())["project"]["optional-dependencies"]
    assert {re.match(r"[\w-]+", spec).group() for spec in extras[extra]} == {"tensorflow", "torch"}


def test_tensorflows_start_up_notices_are_hidden_and_stderr_comes_back(capfd):
    from tutorflow.course.graduate import _stderr_hidden

    with _stderr_hidden():
        os.write(2, b"I0000 port.cc: oneDNN custom operations are on\n")  # as C++ code writes
    os.write(2, b"after\n")
    assert capfd.readouterr().err == "after\n"
