"""A hand-drawn 0-9 as mouse strokes: for each digit, the pen's path(s) in a unit square.

Coordinates are (x, y) with y pointing down, as on screen; the test scales them onto the canvas.
Curves are sampled every few degrees so the mouse moves through them as a hand would, and the
whole set leans a little to the right, as handwriting does.
"""

from __future__ import annotations

import math

Stroke = list[tuple[float, float]]


def arc(cx, cy, rx, ry, start, end, step=6.0) -> Stroke:
    """Points on an ellipse from angle ``start`` to ``end`` (degrees, counter-clockwise on
    screen, 0 = right, 90 = top)."""
    count = max(2, int(abs(end - start) / step) + 1)
    angles = [math.radians(start + (end - start) * i / (count - 1)) for i in range(count)]
    return [(cx + rx * math.cos(a), cy - ry * math.sin(a)) for a in angles]


def line(*points) -> Stroke:
    return list(points)


def figure_eight() -> Stroke:
    """One pen stroke crossing itself in the middle: top loop, then bottom loop."""
    count = 72
    return [
        (0.5 - 0.2 * math.sin(2 * t), 0.5 - 0.37 * math.cos(t))
        for t in (2 * math.pi * i / (count - 1) for i in range(count))
    ]


SHAPES: dict[int, list[Stroke]] = {
    0: [arc(0.5, 0.5, 0.2, 0.36, 95, 455)],
    1: [line((0.52, 0.12), (0.48, 0.88))],
    2: [arc(0.5, 0.32, 0.2, 0.2, 160, -40) + line((0.26, 0.86), (0.76, 0.86))],
    3: [arc(0.48, 0.3, 0.19, 0.18, 150, -90) + arc(0.48, 0.67, 0.22, 0.19, 90, -150)],
    4: [line((0.36, 0.12), (0.26, 0.58), (0.78, 0.58)), line((0.64, 0.3), (0.64, 0.88))],
    5: [line((0.72, 0.13), (0.36, 0.13), (0.34, 0.46)) + arc(0.48, 0.64, 0.22, 0.22, 130, -150)],
    6: [line((0.64, 0.1), (0.42, 0.34), (0.3, 0.64)) + arc(0.5, 0.68, 0.2, 0.19, 180, 530)],
    7: [line((0.26, 0.14), (0.76, 0.14), (0.44, 0.88))],
    8: [figure_eight()],
    9: [arc(0.5, 0.32, 0.2, 0.19, 0, 360) + line((0.7, 0.34), (0.64, 0.88))],
}


def slanted(strokes: list[Stroke], slant: float = 0.15) -> list[Stroke]:
    """Lean the strokes right, as most hands do: the top moves right by ``slant`` / 2."""
    return [[(x + slant * (0.5 - y), y) for x, y in stroke] for stroke in strokes]


DIGITS: dict[int, list[Stroke]] = {digit: slanted(strokes) for digit, strokes in SHAPES.items()}
