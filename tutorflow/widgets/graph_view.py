"""Graph view: a tutorflow graph drawn as SVG, with the ops one ``Session.run`` would execute
highlighted. Pure Python (no graphviz), so it looks the same under pip, conda and Binder.

Taught in notebook 02 (graphs and sessions).
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

import tutorflow as tf
from tutorflow.client import fed_tensors, graph_elements, ops_to_run

from ..course.language import has_chinese, say

# Geometry, in pixels. Text is monospace so its width can be estimated from its length.
_NAME_FONT, _TYPE_FONT, _LABEL_FONT, _LEGEND_FONT = 12, 10, 9, 11
_CHAR = 0.6  # width of a monospace character, in font sizes
_BOX_HEIGHT, _BOX_PAD, _ROW_GAP, _MARGIN, _ARROW = 36, 10, 16, 16, 7
_PITCH = _BOX_HEIGHT + _ROW_GAP

# Colours (fill, stroke, text) of the node kinds; edges and labels take the stroke colour.
_STYLE = {
    "plain": ("#f8f9fa", "#495057", "#212529"),  # no fetches given: every op drawn alike
    "run": ("#fff3e0", "#e8590c", "#212529"),  # computed by the run
    "fed": ("#e7f5ff", "#1971c2", "#1864ab"),  # its output is fed: the run starts there
    "idle": ("#ffffff", "#ced4da", "#adb5bd"),  # in the graph, but this run skips it
}
_FAINT = ' opacity="0.5"'


class GraphView:
    """Draws ``graph`` left to right; given ``fetches`` (and ``feed_dict``), highlights the ops
    that ``Session.run(fetches, feed_dict)`` would compute, found by the session's own rule.

    Each op is a box with its name and type; each tensor's shape and dtype are written where
    it leaves its op (and in a tooltip on the edge, where the SVG is shown inline). Ops that
    only initialise variables (initial values, ``Variable/Assign``, the ``init`` op) are drawn
    faint and dashed unless the run computes them: they run once, before any training step,
    and in full colour they would crowd out the model itself.

    >>> import tutorflow as tf
    >>> g = tf.Graph()
    >>> with g.as_default():
    ...     x = tf.placeholder(tf.float32, name="x")
    ...     y = x * 2.0
    >>> view = GraphView(g, fetches=y, feed_dict={x: 1.0})
    >>> sorted(op.name for op in view.computed)
    ['mul', 'mul/y']
    """

    def __init__(self, graph=None, fetches=None, feed_dict=None, max_ops: int = 80, shapes=True):
        """
        Args:
            graph: the graph to draw (default: the graph of ``fetches``, else the default graph).
            fetches: what a run would fetch, in any structure ``Session.run`` accepts.
            feed_dict: a dict (or any iterable) whose keys are the fed tensors; values are unused.
            max_ops: refuse larger graphs, whose picture would be unreadable.
            shapes: write each tensor's shape and dtype beside its edges.
        """
        # Fetches and feeds are read, and checked, as Session.run reads them.
        self.fetches = graph_elements(fetches, graph) if fetches is not None else []
        if graph is None:
            graph = self.fetches[0].graph if self.fetches else tf.get_default_graph()
        self.graph = graph
        self.fed = set(fed_tensors(feed_dict or (), graph))
        self.ops = graph.get_operations()
        if len(self.ops) > max_ops:
            raise ValueError(
                f"The graph has {len(self.ops)} ops, more than max_ops={max_ops}: its picture "
                f"would be unreadable. Draw a smaller graph, or pass max_ops={len(self.ops)}."
            )
        self.computed = frozenset(ops_to_run(self.fetches, self.fed, graph))
        self.faint = _initialisation_ops(self.graph, self.ops) - self.computed
        self.shapes = shapes

    def kind(self, op) -> str:
        """How ``op`` is drawn: "plain" (no fetches given), "run", "fed" or "idle"."""
        if not self.fetches:
            return "plain"
        if op in self.computed:
            return "run"
        return "fed" if any(t in self.fed for t in op.outputs) else "idle"

    def to_svg(self) -> str:
        """The picture, as an SVG document."""
        layout = _Layout(self.ops, self.shapes)
        legend, legend_width, legend_height = _legend(self, layout.height)
        width, height = max(layout.width, legend_width), layout.height + legend_height
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
            + f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="monospace">'
        ]
        for op in self.ops:
            parts += [self._edge(t, op, layout, i) for i, t in enumerate(op.inputs)]
            parts += [self._edge(dependency, op, layout) for dependency in op.control_inputs]
        parts += [self._node(op, layout) for op in self.ops]
        if self.shapes:
            parts += [self._label(t, layout) for t in layout.first_user]
        parts += legend
        parts.append("</svg>")
        return "\n".join(parts)

    def _repr_svg_(self) -> str:
        return self.to_svg()

    def _repr_html_(self) -> str:
        # Inline SVG keeps the tooltips alive (an <img> would not); scroll if the graph is wide.
        return f'<div style="overflow-x:auto">{self.to_svg()}</div>'

    def __repr__(self) -> str:
        run = f", {len(self.computed)} computed by the run" if self.fetches else ""
        return f"<GraphView of {len(self.ops)} ops{run}>"

    # -- drawing ----------------------------------------------------------------------------

    def _node(self, op, layout) -> str:
        kind = self.kind(op)
        fill, stroke, text = _STYLE[kind]
        x, y, w = layout.x[op], layout.y[op], layout.box_width[op]
        faint = op in self.faint
        classes = f"op {kind} faint" if faint else f"op {kind}"
        box_style = ' stroke-dasharray="4 3"' + _FAINT if faint else ""
        name_style = ' font-weight="bold"' if kind == "run" else (_FAINT if faint else "")
        type_line = f"{op.type} · {say('fed', '喂入')}" if kind == "fed" else op.type
        middle = x + w / 2
        return (
            f'<g class="{classes}" data-name={quoteattr(op.name)}>'
            f"<title>{escape(op.name)} ({escape(op.type)})</title>"
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{_BOX_HEIGHT}" rx="5" '
            f'fill="{fill}" stroke="{stroke}" '
            f'stroke-width="{2 if kind == "run" else 1}"{box_style}/>'
            f'<text x="{middle:.1f}" y="{y + 15:.1f}" font-size="{_NAME_FONT}" '
            f'text-anchor="middle" fill="{text}"{name_style}>{escape(op.name)}</text>'
            f'<text x="{middle:.1f}" y="{y + 29:.1f}" font-size="{_TYPE_FONT}" '
            f'text-anchor="middle" fill="{text}" opacity="{0.4 if faint else 0.75}">'
            f"{escape(type_line)}</text></g>"
        )

    def _edge(self, source, op, layout, index=None) -> str:
        """The edge carrying tensor ``source`` into input ``index`` of ``op``, or, without an
        index, the control edge from the op ``source`` (``op`` runs after it)."""
        control = index is None
        source_op = source if control else source.op
        if not self.fetches:
            kind = "plain"
        elif op not in self.computed:
            kind = "idle"
        else:
            kind = "fed" if source in self.fed else "run"
        if control:
            description = say(
                f"control dependency: {source.name} runs before {op.name}",
                f"控制依赖：{source.name} 先于 {op.name} 运行",
            )
            end = layout.y[op] + _BOX_HEIGHT / 2
        else:
            description = say(
                f"{source.name}: shape {source.shape}, {source.dtype.name}",
                f"{source.name}：形状 {source.shape}，{source.dtype.name}",
            )
            description += say(" (fed)", "（喂入）") if source in self.fed else ""
            end = layout.y[op] + _BOX_HEIGHT * (index + 1) / (len(op.inputs) + 1)
        classes = f"edge control {kind}" if control else f"edge {kind}"
        tensor = "" if control else f" data-tensor={quoteattr(source.name)}"
        stroke = _STYLE[kind][1]
        width = 1.6 if kind in ("run", "fed") else 1
        dash = ' stroke-dasharray="5 3"' if control else ""
        return (
            f'<g class="{classes}" data-from={quoteattr(source_op.name)} '
            f"data-to={quoteattr(op.name)}{tensor}{_FAINT if op in self.faint else ''}>"
            f"<title>{escape(description)}</title>"
            f'<path d="{layout.path(source_op, op, end)}" fill="none" stroke="{stroke}" '
            f'stroke-width="{width}"{dash}/>'
            f'<polygon points="{_arrowhead(layout.x[op], end)}" fill="{stroke}"/></g>'
        )

    def _label(self, tensor, layout) -> str:
        """The shape and dtype of ``tensor``, where it leaves its op, coloured like the op."""
        op = tensor.op
        kind = "fed" if self.fetches and tensor in self.fed else self.kind(op)
        x = layout.x[op] + layout.box_width[op] + 4
        y = layout.y[op] + _BOX_HEIGHT / 2 - 4 - 10 * tensor.value_index
        return (
            f'<text class="shape" x="{x:.1f}" y="{y:.1f}" font-size="{_LABEL_FONT}" '
            f'fill="{_STYLE[kind][1]}"{_FAINT if op in self.faint else ""}>'
            f"{escape(_tensor_label(tensor))}</text>"
        )


def _arrowhead(x, y) -> str:
    return f"{x:.1f},{y:.1f} {x - _ARROW:.1f},{y - 4:.1f} {x - _ARROW:.1f},{y + 4:.1f}"


def _tensor_label(tensor) -> str:
    return f"{tensor.shape} {tensor.dtype.name}"


def _legend(view, top) -> tuple[list[str], float, float]:
    """Lines saying what the run computes, what the colours mean, and what faint ops are;
    returns the SVG parts, their width and their height."""
    parts, y, width = [], top + 4, 0.0
    if view.fetches:
        names = ", ".join(f.name for f in view.fetches)
        computed, total = len(view.computed), len(view.ops)
        summary = say(
            f"run({names}) computes {computed} of {total} ops:",
            f"run({names}) 计算了 {total} 个运算中的 {computed} 个：",
        )
        x = _legend_text(parts, _MARGIN, y, summary)
        kinds = [
            ("run", say("computed", "计算")),
            ("fed", say("fed", "喂入")),
            ("idle", say("skipped", "跳过")),
        ]
        for kind, word in kinds if view.fed else kinds[::2]:
            fill, stroke, _ = _STYLE[kind]
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 2}" width="12" height="12" fill="{fill}" '
                f'stroke="{stroke}" stroke-width="{2 if kind == "run" else 1}"/>'
            )
            x = _legend_text(parts, x + 16, y, word)
        width, y = x, y + 22
    if view.faint:
        note = say(
            "faint, dashed: variable initialisation (runs once, with the initializer)",
            "浅色虚线：变量初始化（随初始化器运行一次）",
        )
        width, y = max(width, _legend_text(parts, _MARGIN, y, note)), y + 22
    return parts, width + _MARGIN, y - top


def _legend_text(parts, x, y, text) -> float:
    """Appends a line of legend text at (x, y); returns where the next item may start."""
    parts.append(
        f'<text x="{x:.1f}" y="{y + 12}" font-size="{_LEGEND_FONT}" fill="#495057">'
        f"{escape(text)}</text>"
    )
    wide = sum(has_chinese(character) for character in text)  # a Chinese character: two
    return x + (len(text) + wide) * _LEGEND_FONT * _CHAR + 14


class _Layout:
    """Where the boxes go: one column per layer, left to right.

    An op's layer is its longest path from a source (an op without inputs), so every edge
    points right; sources are then pulled next to their nearest user, so that a constant made
    for a late op (``mul/y``) sits beside it. An edge that skips columns runs through a lane of
    its own in each column it crosses (one per source op and column), never behind a box.
    Rows start in creation order; one sweep then sorts each column by the mean height of its
    neighbours in the column before (a source: its users after), which uncrosses most edges.
    """

    def __init__(self, ops, shapes):
        self.layer, users = _layers(ops)
        self.first_user = {}  # tensor -> the first op that reads it (tensors with readers)
        for op in ops:
            for tensor in op.inputs:
                self.first_user.setdefault(tensor, op)
        columns, neighbours = self._columns(ops, users)
        tallest = max((len(c) for c in columns.values()), default=0)
        centre = {}  # op or lane -> the height of its middle
        for sweep in range(2):
            for index in sorted(columns):
                if sweep:
                    columns[index].sort(key=lambda item: _mean(centre, neighbours[item], item))
                top = _MARGIN + (tallest - len(columns[index])) * _PITCH / 2
                for row, item in enumerate(columns[index]):
                    centre[item] = top + row * _PITCH + _BOX_HEIGHT / 2
        self.box_width = {op: _box_width(op) for op in ops}
        self.x, self.y, self.lanes = {}, {}, {}
        x = _MARGIN
        for index in sorted(columns):
            boxes = [item for item in columns[index] if not isinstance(item, tuple)]
            width = max((self.box_width[op] for op in boxes), default=0)
            for item in columns[index]:
                if isinstance(item, tuple):
                    self.lanes[item] = (x, x + width, centre[item])
                else:
                    self.x[item] = x + (width - self.box_width[item]) / 2
                    self.y[item] = centre[item] - _BOX_HEIGHT / 2
            x += width + self._gap_after(boxes, shapes)
        self.width = max(x - self._gap_after([], shapes) + _MARGIN, 2 * _MARGIN)
        self.height = 2 * _MARGIN + tallest * _PITCH - _ROW_GAP

    def _columns(self, ops, users) -> tuple[dict, dict]:
        """The items of each column (ops, and lanes ``(source op, layer)`` for edges crossing
        it) in creation order; and for each item, the neighbours whose height orders it."""
        created = {op: position for position, op in enumerate(ops)}
        columns, neighbours = {}, {}
        for op in ops:
            columns.setdefault(self.layer[op], []).append(op)
        for op in ops:
            neighbours[op] = [self._carrier(s, self.layer[op] - 1) for s in _sources(op)]
            if not neighbours[op]:
                after = self.layer[op] + 1
                neighbours[op] = list(dict.fromkeys(self._carrier(op, after, u) for u in users[op]))
            for user in users[op]:
                for crossed in range(self.layer[op] + 1, self.layer[user]):
                    if (op, crossed) not in neighbours:
                        columns[crossed].append((op, crossed))
                        neighbours[(op, crossed)] = [self._carrier(op, crossed - 1)]
        for column in columns.values():  # a lane sits just after its source op
            column.sort(
                key=lambda item: (
                    created[item[0]] + 0.5 if isinstance(item, tuple) else created[item]
                )
            )
        return columns, neighbours

    def _carrier(self, source, column, user=None):
        """What holds the edge from ``source`` in ``column``: the source's box, the user's box
        (``user`` given and in that column), or otherwise the source's lane there."""
        if self.layer[source] == column:
            return source
        return user if user is not None and self.layer[user] == column else (source, column)

    def path(self, source, target, end_y) -> str:
        """SVG path data from ``source``'s right side to the arrowhead at ``target``'s left,
        straight through the lanes of the columns between them, curved in the gaps."""
        x, y = self.x[source] + self.box_width[source], self.y[source] + _BOX_HEIGHT / 2
        d = f"M{x:.1f},{y:.1f}"
        crossed = range(self.layer[source] + 1, self.layer[target])
        stops = [self.lanes[(source, c)] for c in crossed]
        stops.append((self.x[target] - _ARROW, None, end_y))
        for left, right, lane_y in stops:
            middle = (x + left) / 2
            d += f" C{middle:.1f},{y:.1f} {middle:.1f},{lane_y:.1f} {left:.1f},{lane_y:.1f}"
            if right is not None:
                d += f" L{right:.1f},{lane_y:.1f}"
            x, y = (left if right is None else right), lane_y
        return d

    def _gap_after(self, column, shapes) -> float:
        """Room between columns for the edges and the shape labels of the tensors leaving."""
        labels = [
            len(_tensor_label(t)) for op in column for t in op.outputs if t in self.first_user
        ]
        longest = max(labels, default=0) if shapes else 0
        return max(60, longest * _LABEL_FONT * _CHAR + 30)


def _mean(centre, items, default):
    """The mean height of ``items`` (their sort key), or the current height of ``default``."""
    return sum(centre[i] for i in items) / len(items) if items else centre[default]


def _layers(ops) -> tuple[dict, dict]:
    """Longest-path layers, with every source moved to just before its nearest user; and
    the users of each op."""
    layer, users = {}, {op: [] for op in ops}
    for op in ops:  # creation order is a topological order
        layer[op] = 1 + max((layer[source] for source in _sources(op)), default=-1)
        for source in _sources(op):
            users[source].append(op)
    for op in ops:
        if not _sources(op) and users[op]:
            layer[op] = min(layer[user] for user in users[op]) - 1
    return layer, users


def _sources(op) -> list:
    """The ops that ``op`` reads from or runs after, each once."""
    return list(dict.fromkeys([t.op for t in op.inputs] + list(op.control_inputs)))


def _box_width(op) -> float:
    text = max(len(op.name) * _NAME_FONT, (len(op.type) + 6) * _TYPE_FONT) * _CHAR
    return max(text + 2 * _BOX_PAD, 60)


# -- what to draw and highlight --------------------------------------------------------------


def _initialisation_ops(graph, ops) -> set:
    """The ops that exist only to initialise variables: each variable's initializer, the ops
    that nothing else uses, and ``NoOp`` groups of initializers such as the ``init`` op."""
    initializers = {
        item.initializer
        for key in graph.get_all_collection_keys()
        for item in graph.get_collection(key)
        if isinstance(item, tf.Variable)
    }
    found = set()
    for op in ops:  # groups come after what they group
        grouped = op.type == "NoOp" and op.control_inputs and not op.inputs
        if op in initializers or grouped and all(d in found for d in op.control_inputs):
            found.add(op)
    _, users = _layers(ops)
    for op in reversed(ops):  # users come after the ops they use
        if op.type != "VariableV2" and users[op] and all(user in found for user in users[op]):
            found.add(op)
    return found
