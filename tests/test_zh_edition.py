"""The Chinese edition is kept in step with the English one: every notebook has its twin in
``notebooks/zh/``, with the same code cells (and their tags) in the same order, one more cell
that picks the language, and every markdown cell written in Chinese."""

import re
from pathlib import Path

import nbformat
import pytest

from tutorflow.course.exercises import NOTEBOOKS
from tutorflow.course.language import has_chinese

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"
ZH_DIR = NOTEBOOK_DIR / "zh"
LANGUAGE_CELL = 'from tutorflow import course\n\ncourse.set_language("zh")'

# An English sentence left behind: six or more English words in a row, once code, formulas,
# links' targets and HTML are taken out.
_NOT_PROSE = re.compile(r"```.*?```|`[^`]*`|\$\$.*?\$\$|\$[^$]*\$|\]\([^)]*\)|<[^>]*>", re.S)
_ENGLISH_RUN = re.compile(r"(?:\b[A-Za-z][A-Za-z'’-]*[ ,;:]+){5,}[A-Za-z][A-Za-z'’-]*")


def english_left_behind(markdown: str) -> list[str]:
    return _ENGLISH_RUN.findall(_NOT_PROSE.sub(" ", markdown))


def read(path: Path):
    return nbformat.read(path, as_version=4)


def is_language_cell(cell) -> bool:
    return cell.get("metadata", {}).get("tutorflow", {}).get("language") == "zh"


def code_cells(notebook) -> list:
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def test_the_english_run_finder_sees_a_sentence_and_not_code():
    assert english_left_behind("The loss goes down as the model learns the digits.")
    assert not english_left_behind(
        "用 `tf.train.GradientDescentOptimizer(0.5).minimize(loss)` 训练。"
    )
    assert not english_left_behind("LeNet-5 在 MNIST 上达到 99% 的准确率。")


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_notebook_has_a_chinese_twin_with_the_same_code(name):
    english, twin = read(NOTEBOOK_DIR / f"{name}.ipynb"), read(ZH_DIR / f"{name}.ipynb")
    language = [cell for cell in twin.cells if is_language_cell(cell)]
    assert len(language) == 1, "one cell picks the language"
    assert language[0].source == LANGUAGE_CELL
    assert code_cells(twin)[0] is language[0], "the language is picked before any code runs"
    rest = [cell for cell in twin.cells if not is_language_cell(cell)]
    assert [c.cell_type for c in rest] == [c.cell_type for c in english.cells]
    for ours, theirs in zip(code_cells(english), [c for c in rest if c.cell_type == "code"]):
        assert theirs.source == ours.source
        for key in ("tags", "tutorflow"):
            assert theirs.metadata.get(key) == ours.metadata.get(key), ours.source[:60]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_chinese_markdown_cell_is_written_in_chinese(name):
    for cell in read(ZH_DIR / f"{name}.ipynb").cells:
        if cell.cell_type == "markdown":
            assert has_chinese(cell.source), cell.source[:80]
            assert not english_left_behind(cell.source), cell.source[:80]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_chinese_notebook_stores_a_run(name):
    notebook = read(ZH_DIR / f"{name}.ipynb")
    counts = [cell.execution_count for cell in code_cells(notebook)]
    assert None not in counts and counts == sorted(counts), "run once, top to bottom"


def test_no_twin_without_an_english_notebook():
    assert sorted(path.stem for path in ZH_DIR.glob("*.ipynb")) == sorted(NOTEBOOKS)
