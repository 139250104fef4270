// The browser side of tutorflow.widgets.drawing_pad.DrawingPad (an anywidget module).
//
// Strokes are drawn here, in the browser, as the pointer moves; only when a stroke ends does the
// ink go to Python, as the `pixels` trait: size*size bytes, one per canvas pixel, 0 = paper,
// 255 = full ink (the canvas's alpha channel, so the anti-aliased edges come along).
// Python can set `pixels` too: that image becomes the base layer that later strokes draw over.

function render({ model, el }) {
  const size = model.get("size");
  const labels = model.get("labels"); // in the course's language, set from Python
  el.classList.add("tf-drawing-pad");

  const canvas = document.createElement("canvas");
  canvas.width = size;
  canvas.height = size;
  canvas.style.width = `${size}px`;
  canvas.style.height = `${size}px`;
  canvas.setAttribute("aria-label", labels.canvas);
  const ctx = canvas.getContext("2d", { willReadFrequently: true });

  const toolbar = document.createElement("div");
  toolbar.className = "tf-drawing-pad-toolbar";
  const undoButton = button(labels.undo, labels.undo_tip);
  const clearButton = button(labels.clear, labels.clear_tip);
  const brushLabel = document.createElement("label");
  brushLabel.textContent = `${labels.brush} `;
  const brushInput = document.createElement("input");
  brushInput.type = "range";
  brushInput.min = "4";
  brushInput.max = "48";
  brushInput.value = String(model.get("brush"));
  brushLabel.append(brushInput);
  toolbar.append(undoButton, clearButton, brushLabel);
  el.append(canvas, toolbar);

  let base = null; // ImageData set from Python, or null for a blank canvas
  let strokes = []; // finished strokes: {width, points: [[x, y], ...]}
  let current = null; // the stroke being drawn

  function button(text, title) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.title = title;
    return b;
  }

  function position(event) {
    const rect = canvas.getBoundingClientRect();
    return [
      ((event.clientX - rect.left) * size) / rect.width,
      ((event.clientY - rect.top) * size) / rect.height,
    ];
  }

  function drawSegment(stroke, from, to) {
    ctx.lineWidth = stroke.width;
    ctx.beginPath();
    ctx.moveTo(from[0], from[1]);
    ctx.lineTo(to[0], to[1]);
    ctx.stroke();
  }

  function drawStroke(stroke) {
    const points = stroke.points;
    if (points.length === 1) {
      // a tap leaves a dot
      ctx.beginPath();
      ctx.arc(points[0][0], points[0][1], stroke.width / 2, 0, 2 * Math.PI);
      ctx.fill();
      return;
    }
    ctx.lineWidth = stroke.width;
    ctx.beginPath();
    ctx.moveTo(points[0][0], points[0][1]);
    for (const [x, y] of points.slice(1)) ctx.lineTo(x, y);
    ctx.stroke();
  }

  function redraw() {
    ctx.clearRect(0, 0, size, size);
    if (base) ctx.putImageData(base, 0, 0);
    ctx.strokeStyle = ctx.fillStyle = "#000";
    ctx.lineCap = ctx.lineJoin = "round";
    for (const stroke of strokes) drawStroke(stroke);
  }

  // Python -> browser: the ink bytes become the base layer.
  function showPixels() {
    const view = model.get("pixels");
    strokes = [];
    base = null;
    if (view && view.byteLength === size * size) {
      const ink = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
      base = ctx.createImageData(size, size);
      for (let i = 0; i < ink.length; i++) base.data[4 * i + 3] = ink[i];
    }
    redraw();
  }

  // Browser -> Python, once a stroke ends (never on every pointer move).
  let sending = false;
  function sendPixels() {
    const rgba = ctx.getImageData(0, 0, size, size).data;
    const ink = new Uint8Array(size * size);
    for (let i = 0; i < ink.length; i++) ink[i] = rgba[4 * i + 3];
    sending = true;
    model.set("pixels", new DataView(ink.buffer));
    sending = false;
    model.save_changes();
  }

  canvas.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    canvas.setPointerCapture(event.pointerId);
    current = { width: model.get("brush"), points: [position(event)] };
    strokes.push(current);
    drawStroke(current);
    event.preventDefault();
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!current) return;
    const moves = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
    for (const move of moves.length ? moves : [event]) {
      const point = position(move);
      drawSegment(current, current.points[current.points.length - 1], point);
      current.points.push(point);
    }
  });
  function endStroke() {
    if (!current) return;
    current = null;
    sendPixels();
  }
  canvas.addEventListener("pointerup", endStroke);
  canvas.addEventListener("pointercancel", endStroke);

  undoButton.addEventListener("click", () => {
    if (strokes.length === 0) return;
    strokes.pop();
    redraw();
    sendPixels();
  });
  clearButton.addEventListener("click", () => {
    base = null;
    strokes = [];
    redraw();
    sendPixels();
  });
  brushInput.addEventListener("input", () => {
    model.set("brush", Number(brushInput.value));
    model.save_changes();
  });

  const onPixels = () => {
    if (!sending) showPixels();
  };
  const onBrush = () => {
    brushInput.value = String(model.get("brush"));
  };
  model.on("change:pixels", onPixels);
  model.on("change:brush", onBrush);
  showPixels();
  return () => {
    model.off("change:pixels", onPixels);
    model.off("change:brush", onBrush);
  };
}

export default { render };
