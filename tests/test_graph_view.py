"""The graph view: well-formed SVG with every op and edge, and a highlight that is exactly what
``Session.run`` computes for the same fetches and feeds."""

import ast
import inspect
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import tutorflow as tf
from tutorflow.widgets import graph_view
from tutorflow.widgets.graph_view import GraphView

SVG = "{http://www.w3.org/2000/svg}"


def parse(view: GraphView):
    """The view's boxes {op name: classes} and edges {(from, to, classes)}, read from its SVG."""
    root = ET.fromstring(view.to_svg())
    boxes, edges = {}, set()
    for group in root.iter(f"{SVG}g"):
        classes = group.get("class").split()
        if "op" in classes:
            boxes[group.get("data-name")] = set(classes)
        elif "edge" in classes:
            edges.add((group.get("data-from"), group.get("data-to"), " ".join(classes)))
    return root, boxes, edges


def small_model():
    """y = relu(x @ w + b) with a loss and a counter that the model never reads."""
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    w = tf.Variable(np.ones([3, 2], np.float32), name="w")
    b = tf.Variable(np.zeros([2], np.float32), name="b")
    h = tf.matmul(x, w) + b
    y = tf.nn.relu(h)
    target = tf.placeholder(tf.float32, [None, 2], name="target")
    loss = tf.reduce_mean(tf.square(y - target))
    counter = tf.Variable(0, name="counter")
    with tf.control_dependencies([loss]):
        step = counter.assign_add(1)
    init = tf.global_variables_initializer()
    names = ("x", "w", "b", "h", "y", "target", "loss", "step", "init")
    return dict(zip(names, (x, w, b, h, y, target, loss, step, init)))


def executed_ops(fetches, feed_dict):
    """The ops a real session executes for one run: the steps of the plan it built, each fused
    step counted as the graph's ops it runs."""
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess._plans.clear()
        sess.run(fetches, feed_dict)
        (plan,) = sess._plans.values()
        return {op for step in plan.steps for op in getattr(step[0], "ops", [step[0]])}


def test_svg_is_well_formed_and_shows_every_op_and_edge():
    m = small_model()
    graph = tf.get_default_graph()
    root, boxes, edges = parse(GraphView())
    assert root.tag == f"{SVG}svg"
    texts = {element.text for element in root.iter(f"{SVG}text")}
    assert set(boxes) == {op.name for op in graph.get_operations()}
    assert {op.name for op in graph.get_operations()} <= texts
    data_edges = {(t.op.name, op.name) for op in graph.get_operations() for t in op.inputs}
    control_edges = {(d.name, op.name) for op in graph.get_operations() for d in op.control_inputs}
    assert {(a, b) for a, b, c in edges if "control" not in c} == data_edges
    assert {(a, b) for a, b, c in edges if "control" in c} == control_edges
    assert ("MatMul", "add") in data_edges and (m["loss"].op.name, "AssignAdd") in control_edges


def test_edges_carry_shape_and_dtype():
    m = small_model()
    root = ET.fromstring(GraphView(shapes=True).to_svg())
    labels = {
        element.text for element in root.iter(f"{SVG}text") if element.get("class") == "shape"
    }
    assert "(?, 3) float32" in labels  # x
    assert "(3, 2) float32" in labels  # w
    tips = {title.text for title in root.iter(f"{SVG}title")}
    assert f"{m['h'].name}: shape (?, 2), float32" in tips
    bare = ET.fromstring(GraphView(shapes=False).to_svg())
    assert not [t for t in bare.iter(f"{SVG}text") if t.get("class") == "shape"]


@pytest.mark.parametrize(
    "fetch_names, feed_names",
    [
        (["y"], ["x"]),
        (["loss"], ["x", "target"]),
        (["step"], ["x", "target"]),
        (["init"], []),
        (["w", "b"], []),
        (["loss"], ["h", "target"]),  # feeding h cuts x, w, b and the matmul away
        (["y", "h"], ["x"]),
    ],
)
def test_highlight_is_exactly_what_the_session_executes(fetch_names, feed_names):
    m = small_model()
    shapes = {"x": [2, 3], "target": [2, 2], "h": [2, 2]}
    feeds = {m[name]: np.ones(shapes[name], np.float32) for name in feed_names}
    fetches = [m[name] for name in fetch_names]
    view = GraphView(fetches=fetches, feed_dict=feeds)
    executed = executed_ops(fetches, feeds)
    assert view.computed == executed
    _, boxes, _ = parse(view)
    assert {name for name, classes in boxes.items() if "run" in classes} == {
        op.name for op in executed
    }


def test_the_highlight_on_a_small_graph_worked_out_by_hand():
    a = tf.constant(3, name="a")
    b = tf.constant(2, name="b")
    c = tf.add(a, b, name="c")
    tf.multiply(c, 4, name="d")
    _, boxes, edges = parse(GraphView(fetches=c))
    assert {name for name, classes in boxes.items() if "run" in classes} == {"a", "b", "c"}
    assert boxes["d"] == {"op", "idle"} and boxes["d/y"] == {"op", "idle"}
    assert ("a", "c", "edge run") in edges and ("c", "d", "edge idle") in edges


def test_a_fed_tensor_cuts_the_graph_above_it():
    x = tf.placeholder(tf.float32, name="x")
    doubled = tf.multiply(x, 2.0, name="doubled")
    out = tf.add(doubled, 1.0, name="out")
    view = GraphView(fetches=out, feed_dict={doubled: 5.0})
    _, boxes, edges = parse(view)
    assert {op.name for op in view.computed} == {"out", "out/y"}
    assert "fed" in boxes["doubled"]  # not computed: its value comes from the feed
    assert "idle" in boxes["x"] and "idle" in boxes["doubled/y"]
    assert ("doubled", "out", "edge fed") in edges and ("x", "doubled", "edge idle") in edges
    with tf.Session() as sess:  # and indeed x need not be fed
        assert sess.run(out, {doubled: 5.0}) == 6.0


def test_a_fed_placeholder_is_marked_fed_not_computed():
    x = tf.placeholder(tf.float32, [None], name="x")
    y = tf.square(x, name="y")
    _, boxes, edges = parse(GraphView(fetches=y, feed_dict={x: [1.0]}))
    assert boxes["x"] == {"op", "fed"} and "run" in boxes["y"]
    assert ("x", "y", "edge fed") in edges


def test_variable_initialisation_is_faint_until_a_run_computes_it():
    m = small_model()
    _, boxes, _ = parse(GraphView(fetches=m["y"]))
    faint = {name for name, classes in boxes.items() if "faint" in classes}
    assert faint == {
        "w/initial_value",
        "w/Assign",
        "b/initial_value",
        "b/Assign",
        "counter/initial_value",
        "counter/Assign",
        "init",
    }
    assert "faint" not in boxes["w"] and "faint" not in boxes["w/read"]
    _, boxes, _ = parse(GraphView(fetches=m["init"]))
    assert not any("faint" in classes for classes in boxes.values())


def test_boxes_never_overlap_and_every_edge_points_right():
    small_model()
    root = ET.fromstring(GraphView().to_svg())
    rects = {}
    for group in root.iter(f"{SVG}g"):
        if "op" in group.get("class").split():
            r = group.find(f"{SVG}rect")
            x, y, w, h = (float(r.get(k)) for k in ("x", "y", "width", "height"))
            rects[group.get("data-name")] = (x, y, x + w, y + h)
    names = sorted(rects)
    for i, p in enumerate(names):
        for q in names[i + 1 :]:
            a, b = rects[p], rects[q]
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (p, q)
    for group in root.iter(f"{SVG}g"):
        if "edge" in group.get("class").split():
            assert rects[group.get("data-from")][2] < rects[group.get("data-to")][0]
    width, height = float(root.get("width")), float(root.get("height"))
    assert all(box[2] <= width and box[3] <= height for box in rects.values())


def test_fetch_structures_and_names_are_accepted_as_in_session_run():
    m = small_model()
    by_objects = GraphView(fetches={"out": [m["y"], (m["loss"],)]}, feed_dict={m["x"]: None})
    by_names = GraphView(fetches=["Relu:0", m["loss"].name], feed_dict=["x:0"])
    assert by_objects.computed == by_names.computed
    assert GraphView(fetches=m["w"]).computed == {
        m["w"].op,
        tf.get_default_graph().get_operation_by_name("w/read"),
    }


def test_bad_fetches_and_feeds_say_what_is_wrong_in_session_runs_words():
    x = tf.placeholder(tf.float32, name="x")
    y = x + 1.0
    with pytest.raises(TypeError, match="Fetch argument 3 has invalid type <class 'int'>"):
        GraphView(fetches=3)
    with pytest.raises(TypeError, match="Fetch argument None"):
        GraphView(fetches=[y, None])
    with pytest.raises(ValueError, match="'nothing' refers to an Operation not in the graph"):
        GraphView(fetches="nothing")
    other = tf.Graph()
    with other.as_default():
        z = tf.constant(1.0)
    with pytest.raises(ValueError, match="not an element of this graph"):
        GraphView(tf.get_default_graph(), fetches=z)
    with pytest.raises(TypeError, match="is an Operation; feed one of its outputs"):
        GraphView(fetches=y, feed_dict={x.op: 1.0})


def test_large_graphs_are_refused_with_advice():
    total = tf.constant(0.0)
    for _ in range(10):
        total = total + 1.0
    with pytest.raises(ValueError, match=r"21 ops, more than max_ops=20.*pass max_ops=21"):
        GraphView(max_ops=20)
    assert len(GraphView(max_ops=21).ops) == 21


def test_displays_in_jupyter():
    a = tf.constant(1.0)
    view = GraphView(fetches=a * 2.0)
    assert view._repr_svg_() == view.to_svg()
    assert view.to_svg() in view._repr_html_()
    assert repr(view) == "<GraphView of 3 ops, 3 computed by the run>"
    assert repr(GraphView()) == "<GraphView of 3 ops>"
    ET.fromstring(GraphView(tf.Graph()).to_svg())  # an empty graph is an empty picture


def test_uses_only_public_api():
    """The widget is an example of drawing with tutorflow: it reads the graph through the names
    a learner can use too, never through the engine's internals."""
    tree = ast.parse(inspect.getsource(graph_view))
    imported = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            imported[node.module or "." * node.level] = [alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            imported.update({alias.name: [] for alias in node.names})
    assert "tutorflow.client" in imported
    imported.pop("__future__", None)
    for module, names in imported.items():
        assert not module.startswith(".") and not module.startswith("tutorflow.framework")
        assert module in ("tutorflow", "tutorflow.client") or not module.startswith("tutorflow")
        assert not any(name.startswith("_") for name in [*module.split("."), *names])
    private_attributes = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr.startswith("_")
        and not (isinstance(node.value, ast.Name) and node.value.id == "self")
    }
    assert private_attributes == set()
