"""The classic tutorial's section 2.2 (constants, sessions, eval, InteractiveSession,
placeholders, variables with ``load``) run verbatim, printing exactly what the tutorial shows.

Each transcript below is copied from ``../shared/seed/000_ef6e7b4b034e3eb4.txt``: ``>>>`` lines
are run as a Python shell runs them, one statement at a time, after ``import tutorflow as tf``
(the tutorial's ``import tensorflow as tf``); the other lines are what the tutorial printed.
"""

import ast
import re
from pathlib import Path

import pytest

import tutorflow as tf

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_ef6e7b4b034e3eb4.txt"

TRANSCRIPTS = {
    "constants and a session": """\
>>>a = tf.constant (3)
>>>b = tf.constant (2)
>>>c = a + b
>>>sess = tf.Session ()
>>>print (sess.run(c))
5""",
    "printed tensors": """\
>>>a = tf.constant (3)
>>>b = tf.constant (2)
>>>print (a, b)
Tensor("Const:0", shape=(), dtype=int32) Tensor("Const_1:0", shape=(), dtype=int32)
>>>c = a + b
>>>print(c)
Tensor("add:0", shape=(), dtype=int32)
>>>sess = tf.Session ()
>>>sess.run ((a,b))
(3,2)
>>>print(sess.run(c))
5""",
    "interactive session and eval": """\
>>>a = tf.constant (3)
>>>b = tf.constant (2)
>>>c = a + b
>>>sess = tf.InteractiveSession ()
>>>print (c.eval())
5""",
    "placeholders": """\
>>>a = tf.placeholder(tf.int32)
>>>b = tf.placeholder(tf.int32)
>>>c = a + b
>>> sess = tf.InteractiveSession()
#下面的语句也可写成print (sess.run (c, {a:3, b:2}))
>>>print (c.eval ({a:3, b:2}))
5
>>>print (c.eval ({a:[1,2,3], b:[4,5,6]}))
[5 7 9]""",
    "variables and load": """\
>>>a = tf.Variable (3)
>>>b = tf.Variable (2)
>>>c = a + b
>>>init = tf.global_variables_initializer()
>>>sess = tf.InteractiveSession()
>>>init.run()
>>>print(c.eval())
5
>>>a.load (7)
>>>b.load (8)
>>>print (c.eval())
15""",
}


def parse(transcript: str) -> list[tuple[str, list[str]]]:
    """``[(statement, lines it printed), …]``; a ``#`` line is a comment in the code."""
    steps = []
    for line in transcript.splitlines():
        if line.startswith(">>>"):
            steps.append((line[3:].strip(), []))
        elif not line.startswith("#"):
            steps[-1][1].append(line)
    return steps


def is_echoed(statement: str) -> bool:
    """Whether the shell shows this statement's value itself (an expression, not a print)."""
    (node,) = ast.parse(statement).body
    if not isinstance(node, ast.Expr):
        return False
    call = node.value
    return not (isinstance(call, ast.Call) and getattr(call.func, "id", None) == "print")


def without_numpy_scalar_repr(text: str) -> str:
    """``(np.int32(3), np.int32(2))`` (numpy >= 2) and ``(3, 2)`` (numpy 1) both as ``(3,2)``."""
    return re.sub(r"np\.\w+\(([^()]*)\)", r"\1", text).replace(" ", "")


@pytest.mark.parametrize("title", TRANSCRIPTS)
def test_section_2_2_runs_verbatim(title, capsys):
    tf.reset_default_graph()  # each block of the tutorial starts afresh, as its names show
    namespace = {}
    exec("import tutorflow as tf", namespace)
    for statement, expected in parse(TRANSCRIPTS[title]):
        exec(compile(statement, "<tutorial>", "single"), namespace)
        printed = capsys.readouterr().out.splitlines()
        if is_echoed(statement):
            assert [without_numpy_scalar_repr(p) for p in printed] == expected, statement
        else:
            assert printed == expected, statement
    session = namespace["sess"]
    session.close()
    assert tf.get_default_session() is None


def test_the_echoed_run_returns_a_tuple_of_int32_scalars():
    """``sess.run((a,b))`` shows ``(3,2)``: a tuple of numpy int32 scalars, TF's own types."""
    a, b = tf.constant(3), tf.constant(2)
    with tf.Session() as sess:
        values = sess.run((a, b))
    assert type(values) is tuple
    assert values == (3, 2)
    assert all(type(v) is tf.int32.as_numpy_dtype for v in values)


def transcripts_in(text: str) -> list[str]:
    """The code-and-output blocks of the tutorial's text: lines that are code (``>>>``, ``#``)
    or output (no Chinese characters), grouped until the next paragraph of prose."""
    blocks, current = [], []
    for line in text.splitlines():
        if not line.strip():
            continue
        if line.startswith((">>>", "#")) or not re.search(r"[\u4e00-\u9fff]", line):
            current.append(line)
        elif current:
            blocks.append("\n".join(current))
            current = []
    if current:
        blocks.append("\n".join(current))
    return blocks


@pytest.mark.skipif(not SEED.exists(), reason="the tutorial is not checked out beside the repo")
def test_transcripts_are_copied_verbatim_from_the_tutorial():
    lines = SEED.read_text(encoding="utf-8").splitlines()
    section = "\n".join(lines[19:150])  # the install check and section 2.2
    blocks = transcripts_in(section)
    assert blocks[0] == ">>>import tensorflow as tf"
    assert blocks[1:] == list(TRANSCRIPTS.values())
