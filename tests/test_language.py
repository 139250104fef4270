"""The course speaks English and Chinese: every message an exercise can print exists in both
(read from the source, so that no diagnosis lacks its Chinese, run or not), and
``set_language("zh")`` switches verdicts, hints and the progress table."""

import ast
from pathlib import Path

import numpy as np
import pytest
from test_exercises import EXERCISES, MISTAKES, answers_from

from tutorflow import course
from tutorflow.course import kit, language, tracker
from tutorflow.course.exercises import by_notebook, find
from tutorflow.course.language import Text, has_chinese

COURSE_DIR = Path(course.__file__).parent
EXERCISE_MODULES = sorted((COURSE_DIR / "exercises").glob("nb*.py"))


@pytest.fixture(autouse=True)
def private_progress(tmp_path, monkeypatch):
    monkeypatch.setenv("TUTORFLOW_PROGRESS", str(tmp_path / "progress.json"))


@pytest.fixture
def chinese():
    course.set_language("zh")
    yield
    course.set_language("en")


def is_text(node) -> bool:
    """A string the code builds: a literal, an f-string, or a sum or choice of them."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return is_text(node.left) or is_text(node.right)
    if isinstance(node, ast.IfExp):
        return is_text(node.body) or is_text(node.orelse)
    return False


def literal_parts(node) -> str:
    """The literal characters of a string expression (an f-string's, without its fields)."""
    return "".join(
        part.value
        for part in ast.walk(node)
        if isinstance(part, ast.Constant) and isinstance(part.value, str)
    )


def calls_to(tree, name: str) -> list[ast.Call]:
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == name
    ]


@pytest.mark.parametrize("path", EXERCISE_MODULES, ids=lambda path: path.stem)
def test_no_judge_returns_a_message_in_one_language(path):
    tree = ast.parse(path.read_text())
    bare = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Return) and node.value is not None and is_text(node.value)
    ]
    assert not bare, f"{path.name}: return Text(english, chinese) at lines {bare}"


@pytest.mark.parametrize("path", [*EXERCISE_MODULES, COURSE_DIR / "kit.py"], ids=lambda p: p.stem)
def test_every_text_has_its_chinese(path):
    for call in calls_to(ast.parse(path.read_text()), "Text"):
        english, chinese = (call.args + [kw.value for kw in call.keywords])[:2]
        assert has_chinese(literal_parts(chinese)), f"{path.name}:{call.lineno}"
        assert not has_chinese(literal_parts(english)), f"{path.name}:{call.lineno}"


@pytest.mark.parametrize("path", EXERCISE_MODULES, ids=lambda path: path.stem)
def test_what_differs_names_is_bilingual_or_a_variable(path):
    for call in calls_to(ast.parse(path.read_text()), "differs"):
        what = call.args[2] if len(call.args) > 2 else None
        if what is not None and is_text(what):
            assert isinstance(what, ast.Constant) and what.value.isidentifier(), (
                f"{path.name}:{call.lineno}: name the answer with Text(english, chinese)"
            )


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda item: item.id)
def test_hints_and_why_are_in_both_languages(exercise):
    assert all(isinstance(hint, Text) for hint in exercise.hints), exercise.id
    assert isinstance(exercise.why, Text), exercise.id


@pytest.mark.parametrize("exercise, mistake", MISTAKES)
def test_each_diagnosis_is_in_both_languages(exercise, mistake):
    diagnosis = exercise.judge(**answers_from(exercise, mistake.answer))
    assert isinstance(diagnosis, Text)
    assert mistake.says in diagnosis.en


def test_a_chinese_verdict_hint_and_blank(chinese, capsys):
    exercise = find("01.2")
    exercise.check(n_operations=2)
    wrong = capsys.readouterr().out
    assert wrong.startswith("还不对。") and exercise.judge(n_operations=2).zh in wrong
    exercise.check(n_operations=3)
    assert capsys.readouterr().out == f"正确！{exercise.why.zh}\n"
    exercise.check(n_operations=...)
    assert capsys.readouterr().out.startswith("练习 01.2：还没有作答。")
    exercise.hint()
    assert capsys.readouterr().out == f"提示 1/{len(exercise.hints)}：{exercise.hints[0].zh}\n"
    exercise.hints_shown = 0


def test_the_language_can_be_switched_back_and_is_checked(capsys):
    course.set_language("zh")
    course.set_language("en")
    find("01.2").check(n_operations=3)
    assert capsys.readouterr().out.startswith("Correct!")
    assert language.language() == "en"
    with pytest.raises(ValueError, match="'zh-CN'"):
        course.set_language("zh-CN")


def test_a_text_without_chinese_is_refused():
    with pytest.raises(ValueError, match="holds no Chinese"):
        Text("Correct!", "Correct!")


def test_differs_says_it_in_both_languages():
    message = kit.differs(3, 4, Text("the count", "个数"))
    assert message.en == "Expected the count to be 4, received 3."
    assert message.zh == "个数应为 4，你给出的是 3。"
    shapes = kit.differs(np.zeros((2, 3)), np.zeros((3, 2)), "W")
    assert shapes.zh.startswith("`W`的形状应为 (3, 2)，你给出的形状是 (2, 3)")


def test_the_progress_table_in_chinese(chinese, capsys):
    tracker.record("01.1", correct=True)
    course.progress()
    first = capsys.readouterr().out.splitlines()[0]
    n = len(by_notebook()["01_start_here"])
    assert first.endswith(f"1 完成, 0 尝试过, {n - 1} 未开始")


def test_the_widgets_speak_the_course_language(chinese):
    import tutorflow as tf
    from tutorflow.widgets.drawing_pad import DrawingPad
    from tutorflow.widgets.feature_maps import FilterGrid
    from tutorflow.widgets.filter_editor import FilterEditor
    from tutorflow.widgets.graph_view import GraphView
    from tutorflow.widgets.monitor import TrainingMonitor
    from tutorflow.widgets.predictions import PredictionBars

    assert all(has_chinese(label) for label in DrawingPad().labels.values())
    editor = FilterEditor(np.zeros((28, 28)))
    assert editor.presets.description == "预设" and editor.weight_sum.value == "权重之和为 1"
    assert ("锐化", "sharpen") in editor.presets.options  # the value stays the preset's name
    grid = FilterGrid(np.zeros((5, 5, 2, 4)))
    assert grid.channel.description == "输入通道" and "4 个 5x5 的卷积核" in grid.children[0].value
    bars = PredictionBars(lambda digit: np.full(10, np.nan))
    assert "画一个数字" in bars.value
    bars.update(np.zeros((28, 28)))
    assert "无法判断" in bars.value and "学习率太大" in bars.value
    graph = tf.Graph()
    with graph.as_default():
        total = tf.constant(3) + tf.constant(2)
    assert "计算了 3 个运算中的 3 个" in GraphView(graph, fetches=total).to_svg()
    monitor = TrainingMonitor(10, metrics=("loss",), text=True)
    monitor.update(5, loss=0.5)
    assert monitor.status_line() == "第 5/10 步  loss 0.5"
    monitor.close()


def test_the_environment_check_lines_up_in_chinese(chinese, capsys, monkeypatch):
    monkeypatch.setattr(course, "_PACKAGES", [*course._PACKAGES, ("zz_missing", "pip install zz")])
    assert course.check_environment() is False
    lines = capsys.readouterr().out.splitlines()
    assert "zz_missing   缺少       解决： pip install zz" in lines
    assert lines[-1] == "在终端里运行上面“解决：”后面的命令，重启内核，再运行这个单元格。"


def test_a_numpy_number_is_shown_as_a_number():
    assert kit.differs(np.float32(7.0), np.float32(5.0), "loss").en == (
        "Expected `loss` to be 5.0, received 7.0."
    )
