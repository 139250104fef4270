"""The engine's layering, read from the source with ``ast`` (nothing is imported): which module
imports which, and what each layer may reach (issue 14).

What counts as an import. Every ``import`` and ``from ... import`` statement of a module, at
module level or inside a function (both are dependencies: a function-level import only delays
one), with relative imports resolved. An import names the most specific module it can:
``from ..framework import ops`` is an import of ``tutorflow.framework.ops``, and
``from .. import loops`` of the package ``tutorflow.loops`` (its ``__init__``); a name that is
no module (``from .optimizer import Optimizer``) is an import of the module it comes from.
The packages above a module, which Python runs first, are not counted: they run for every
import of anything beneath them, so counting them would make every module depend on everything.
Imports built at run time (``importlib.import_module``) are not seen.

Circles. A package's ``__init__`` that re-exports its submodules (``from .adam import
AdamOptimizer``, ``from . import losses``) imports them; a submodule that imports a sibling
(``from . import optimizer``) imports that sibling, not the ``__init__``. So re-exporting is
never a circle. A circle through an ``__init__`` appears only when a module imports a name the
``__init__`` itself defines or re-exports (``import tutorflow as tf`` inside a module that
``tutorflow/__init__`` reaches, ``from . import AdamOptimizer`` inside ``train``): then the
module does depend on the package that contains it, and that is a circle.

The layering rules reach through other modules: ``framework`` may not import ``ops``, directly
or through a module that does.
"""

from __future__ import annotations

import ast
import sys
from collections import deque
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "tutorflow"
ROOT = Path(__file__).resolve().parents[1] / PACKAGE

ENGINE = (
    "tutorflow",  # the root package: tf.* itself
    "tutorflow.framework",
    "tutorflow.ops",
    "tutorflow.loops",
    "tutorflow.client",
    "tutorflow.train",
    "tutorflow.gradients",
    "tutorflow.nn",
    "tutorflow.losses",
    "tutorflow.summary",
    "tutorflow.platform",
    "tutorflow.test",
    "tutorflow.python",
    "tutorflow.examples.tutorials.mnist.input_data",
)
ENGINE_PARTS = ENGINE[1:]  # each with everything beneath it
COURSE_SIDE = ("tutorflow.widgets", "tutorflow.course")
MAX_OP_MODULE_LINES = 400


@dataclass(frozen=True)
class Import:
    importer: str  # the importing module, dotted
    target: str  # the module imported: one of the package's, or an outside one (numpy.linalg)
    line: int

    def __str__(self) -> str:
        return f"{self.importer} imports {self.target} (line {self.line})"


def find_modules(root: Path, package: str) -> dict[str, Path]:
    """Every module of the package at ``root``, by dotted name; a package is its ``__init__``."""
    modules = {}
    for path in sorted(root.rglob("*.py")):
        parts = [package, *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def read_imports(root: Path, package: str) -> tuple[dict[str, Path], list[Import]]:
    """The package's modules and every import statement in them, resolved as the docstring says."""
    modules = find_modules(root, package)

    def most_specific(dotted: str) -> str:
        """The longest prefix of ``dotted`` that is one of our modules, else ``dotted`` itself."""
        parts = dotted.split(".")
        for end in range(len(parts), 0, -1):
            if ".".join(parts[:end]) in modules:
                return ".".join(parts[:end])
        return dotted

    imports = []
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        here = name if is_package else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                targets = [most_specific(alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = here.split(".")[: len(here.split(".")) - (node.level - 1)]
                    base = ".".join([*anchor, *([base] if base else [])])
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                    for alias in node.names
                ]
                targets = [most_specific(target) for target in targets]
            else:
                continue
            imports += [Import(name, target, node.lineno) for target in dict.fromkeys(targets)]
    return modules, imports


def within(module: str, prefixes) -> bool:
    """Whether ``module`` is one of ``prefixes`` or lies beneath one."""
    return any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes)


def internal_graph(modules, imports) -> dict[str, list[Import]]:
    """Each module's imports of the package's own modules (a module importing itself aside)."""
    graph = {name: [] for name in modules}
    for imp in imports:
        if imp.target in modules and imp.target != imp.importer:
            graph[imp.importer].append(imp)
    return graph


def forbidden_reaches(graph, sources, forbidden) -> list[str]:
    """For each of the modules ``sources`` that reaches a module within ``forbidden``, the
    shortest chain of imports that gets there."""
    problems = []
    for start in sorted(sources):
        came_by = {start: None}
        queue = deque([start])
        while queue:
            module = queue.popleft()
            for imp in graph[module]:
                if imp.target in came_by:
                    continue
                came_by[imp.target] = imp
                if within(imp.target, forbidden):
                    chain = [imp]
                    while chain[0].importer != start:
                        chain.insert(0, came_by[chain[0].importer])
                    problems.append(", which ".join(str(step) for step in chain))
                else:
                    queue.append(imp.target)
    return problems


def outside_imports(imports, sources, allowed_roots, own) -> list[str]:
    """Imports by modules within ``sources`` of anything but ``own`` (a package prefix) and
    the top-level packages in ``allowed_roots``."""
    return [
        str(imp)
        for imp in imports
        if within(imp.importer, sources)
        and not within(imp.target, own)
        and imp.target.split(".")[0] not in allowed_roots
    ]


def import_circles(graph) -> list[list[Import]]:
    """One circle of imports for each strongly connected component of more than one module
    (Tarjan's algorithm), as the chain of imports that goes round it."""
    index, low, stack, on_stack, components = {}, {}, [], set(), []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imp in graph[module]:
            if imp.target not in index:
                visit(imp.target)
                low[module] = min(low[module], low[imp.target])
            elif imp.target in on_stack:
                low[module] = min(low[module], index[imp.target])
        if low[module] == index[module]:
            component = {module}
            while (member := stack.pop()) != module:
                on_stack.discard(member)
                component.add(member)
            on_stack.discard(module)
            if len(component) > 1:
                components.append(component)

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return [_circle_through(graph, component) for component in components]


def _circle_through(graph, component) -> list[Import]:
    """The shortest chain of imports, within ``component``, from its first module back to it."""
    start = min(component)
    came_by, queue = {}, deque([start])
    while queue:
        module = queue.popleft()
        for imp in graph[module]:
            if imp.target not in component or imp.target in came_by:
                continue
            came_by[imp.target] = imp
            if imp.target == start:
                chain = [imp]
                while chain[0].importer != start:
                    chain.insert(0, came_by[chain[0].importer])
                return chain
            queue.append(imp.target)
    raise AssertionError(f"no circle within {component}")  # Tarjan's components always have one


def describe(circle: list[Import]) -> str:
    return " -> ".join([circle[0].importer, *(f"{imp.target} (line {imp.line})" for imp in circle)])


def long_modules(modules, prefix, limit) -> list[str]:
    """The modules within ``prefix`` longer than ``limit`` lines."""
    found = []
    for name, path in modules.items():
        lines = len(path.read_text().splitlines())
        if within(name, [prefix]) and lines > limit:
            found.append(f"{name} has {lines} lines")
    return found


MODULES, IMPORTS = read_imports(ROOT, PACKAGE)
GRAPH = internal_graph(MODULES, IMPORTS)
STDLIB = set(sys.stdlib_module_names)


def report(problems) -> str:
    return "\n  " + "\n  ".join(problems)


def test_the_source_is_read():
    """The checks below see the real package: its modules and their imports."""
    assert {"tutorflow.framework.graph", "tutorflow.client.session", "tutorflow"} <= set(MODULES)
    assert any(imp.target == "numpy" for imp in IMPORTS)


def test_loops_import_only_numpy_numba_and_the_standard_library():
    """The compiled loops are plain array code: they know nothing of graphs."""
    problems = outside_imports(
        IMPORTS, ["tutorflow.loops"], {"numpy", "numba", *STDLIB}, ["tutorflow.loops"]
    )
    assert not problems, "tutorflow.loops imports more than numpy, numba and the stdlib:" + report(
        problems
    )


def test_framework_imports_no_layer_above_it():
    above = ["ops", "client", "train", "widgets", "course", "loops", "summary", "gradients"]
    framework = [name for name in MODULES if within(name, ["tutorflow.framework"])]
    problems = forbidden_reaches(GRAPH, framework, [f"tutorflow.{part}" for part in above])
    assert not problems, "tutorflow.framework reaches a layer above it:" + report(problems)


def test_datasets_import_nothing_from_the_engine_or_the_course():
    """The datasets are a data layer of their own: download, verify, cache, batch."""
    datasets = [name for name in MODULES if within(name, ["tutorflow.datasets"])]
    problems = forbidden_reaches(GRAPH, datasets, [*ENGINE_PARTS, *COURSE_SIDE])
    assert not problems, "tutorflow.datasets reaches the engine or the course:" + report(problems)


def test_the_engine_never_imports_widgets_or_the_course():
    engine = [name for name in MODULES if name == PACKAGE or within(name, ENGINE_PARTS)]
    problems = forbidden_reaches(GRAPH, engine, COURSE_SIDE)
    assert not problems, "the engine reaches the widgets or the course:" + report(problems)


def test_there_are_no_import_circles():
    circles = import_circles(GRAPH)
    assert not circles, "import circles:" + report(describe(circle) for circle in circles)


def test_no_op_module_is_over_400_lines():
    problems = long_modules(MODULES, "tutorflow.ops", MAX_OP_MODULE_LINES)
    assert not problems, f"op modules over {MAX_OP_MODULE_LINES} lines:" + report(problems)


# -- the checker itself ----------------------------------------------------------------------


def write_package(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_the_checker_catches_each_kind_of_violation(tmp_path):
    """A small fake package with one violation of each rule, and a re-export that is none."""
    write_package(
        tmp_path / "fake",
        {
            "__init__.py": "from . import train\nfrom .framework import graph\n",
            "framework/__init__.py": "",
            "framework/graph.py": "def build():\n    from ..helpers import util\n",
            "helpers/__init__.py": "",
            "helpers/util.py": "from fake.ops import math\n",
            "ops/__init__.py": "",
            "ops/math.py": "import numpy as np\nfrom ..framework import graph\n",
            "loops/__init__.py": "import os\nimport numba\nfrom . import conv\n",
            "loops/conv.py": "import requests\nfrom .. import ops\n",
            # a package re-exporting its submodules, which import a sibling: no circle
            "train/__init__.py": "from .adam import Adam\nfrom .optimizer import Optimizer\n",
            "train/optimizer.py": "class Optimizer: ...\n",
            "train/adam.py": "from . import optimizer\nclass Adam(optimizer.Optimizer): ...\n",
            "datasets/__init__.py": "from ..widgets.pad import Pad\n",
            "widgets/__init__.py": "",
            "widgets/pad.py": "Pad = None\n",
            "client.py": "from .datasets import Pad\n" + "\n" * 400,
        },
    )
    modules, imports = read_imports(tmp_path / "fake", "fake")
    graph = internal_graph(modules, imports)

    allowed = {"numpy", "numba", *STDLIB}
    assert outside_imports(imports, ["fake.loops"], allowed, ["fake.loops"]) == [
        "fake.loops.conv imports requests (line 1)",
        "fake.loops.conv imports fake.ops (line 2)",
    ]
    # through a function-level import and a helper module: the shortest chain
    framework = ["fake.framework", "fake.framework.graph"]
    assert forbidden_reaches(graph, framework, ["fake.ops"]) == [
        (
            "fake.framework.graph imports fake.helpers.util (line 2), "
            "which fake.helpers.util imports fake.ops.math (line 1)"
        )
    ]
    assert forbidden_reaches(graph, ["fake.datasets"], ["fake.widgets"]) == [
        "fake.datasets imports fake.widgets.pad (line 1)"
    ]
    circles = [describe(circle) for circle in import_circles(graph)]
    assert circles == [
        (
            "fake.framework.graph -> fake.helpers.util (line 2) -> fake.ops.math (line 1)"
            " -> fake.framework.graph (line 2)"
        )
    ]
    assert long_modules(modules, "fake", 400) == ["fake.client has 401 lines"]


def test_a_name_taken_from_the_package_that_contains_you_is_a_circle(tmp_path):
    """Not a re-export: the submodule needs what its package's ``__init__`` defines."""
    write_package(
        tmp_path / "fake",
        {
            "__init__.py": "from .adam import Adam\nRATE = 0.1\n",
            "adam.py": "from . import RATE\n",
        },
    )
    modules, imports = read_imports(tmp_path / "fake", "fake")
    circles = [describe(circle) for circle in import_circles(internal_graph(modules, imports))]
    assert circles == ["fake -> fake.adam (line 1) -> fake (line 1)"]
