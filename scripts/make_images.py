"""Draw the course's diagrams into images/ as SVG: `make images` (or `python scripts/make_images.py`).

Every figure is drawn from code with matplotlib patches, arrows and text, so the whole set can be regenerated
byte for byte (tests/test_images.py does this and compares). The visual language (one colour per role, shapes
written with the lessons' numbers, arrows for data flow) is described in CONTRIBUTING.md, "Diagrams".

    python scripts/make_images.py                 # all figures into images/
    python scripts/make_images.py --png /tmp/png  # also a PNG copy of each, to look at
    python scripts/make_images.py --only lstm_cell beam_tree

Layout is checked as the figures are drawn: no two labels may overlap, a label must fit inside its box,
and nothing may stick out of the figure. The script exits with an error listing any such problem.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Rectangle  # noqa: E402
from matplotlib.path import Path as MplPath  # noqa: E402
from matplotlib.text import Text  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "images"
NOTEBOOKS = ROOT / "notebooks"

# --------------------------------------------------------------------------------------
# Visual language: one colour per role (Okabe-Ito colours, readable with colour blindness)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Role:
    edge: str  # outline, arrows and bars of this role
    fill: str  # light tint for box backgrounds
    label: str  # name in legends


ROLES = {
    "input": Role("#0072B2", "#D4E6F3", "input"),
    "state": Role("#009E73", "#CDEDE3", "hidden / cell state"),
    "gate": Role("#E69F00", "#FBE1AE", "gate"),
    "output": Role("#CC79A7", "#F4DCEA", "output"),
    "attention": Role("#A88B00", "#FFF3A0", "attention"),
    "loss": Role("#D55E00", "#F9D7C2", "loss / gradient"),
    "weight": Role("#5A5A5A", "#E8E8E8", "weights"),
    "pad": Role("#9A9A9A", "#FFFFFF", "padding (id 0)"),
    "plain": Role("#333333", "#FFFFFF", ""),
    "faded": Role("#A8A8A8", "#F6F6F6", ""),
}
FLOW = "#333333"  # data-flow arrows
MUTED = "#555555"  # notes and shapes
FONT = 12  # labels
SMALL = 10.5  # shapes, notes
TITLE = 13.5  # panel titles
MONO = "DejaVu Sans Mono"

# Deterministic SVG: fixed salt for the ids matplotlib writes, text drawn as paths (so the picture is the same in
# every browser, whatever fonts it has), no date or creator in the metadata.
RC = {
    "svg.hashsalt": "sequence-models-with-keras",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "mathtext.fontset": "dejavusans",
    "font.size": FONT,
    "hatch.linewidth": 0.7,
    "axes.unicode_minus": True,
}
SVG_METADATA = {"Date": None, "Creator": None}


# --------------------------------------------------------------------------------------
# Shared helpers: canvas, boxes, arrows, labels
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    """A drawn box, in inches from the bottom left of the figure, with its anchor points."""

    x: float
    y: float
    w: float
    h: float

    @property
    def top(self) -> tuple[float, float]:
        return (self.x, self.y + self.h / 2)

    @property
    def bottom(self) -> tuple[float, float]:
        return (self.x, self.y - self.h / 2)

    @property
    def left(self) -> tuple[float, float]:
        return (self.x - self.w / 2, self.y)

    @property
    def right(self) -> tuple[float, float]:
        return (self.x + self.w / 2, self.y)

    def at(self, side: str, offset: float = 0.0) -> tuple[float, float]:
        """A point on one side, moved by ``offset`` along it (right or up)."""
        px, py = getattr(self, side)
        return (px + offset, py) if side in ("top", "bottom") else (px, py + offset)


def canvas(width: float, height: float) -> tuple[Figure, plt.Axes]:
    """A figure whose data coordinates are inches from its bottom-left corner."""
    fig = plt.figure(figsize=(width, height))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_axis_off()
    fig.course_boxes = []  # (patch, text) pairs: the layout check makes sure each text fits its box
    return fig, ax


def box(ax, x, y, w, h, text="", role="plain", *, size=FONT, family=None, weight="normal", dashed=False,
        hatch=None, lw=1.4, rounding=0.06, text_color="black", zorder=3, fill=None) -> Box:
    """A rounded box centred on (x, y), coloured by its role, with an optional centred label."""
    r = ROLES[role]
    patch = FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle=f"round,pad=0,rounding_size={rounding}",
                           facecolor=fill or r.fill, edgecolor=r.edge, lw=lw, ls=(0, (4, 2)) if dashed else "-",
                           hatch=hatch, zorder=zorder)
    ax.add_patch(patch)
    if text:
        t = ax.text(x, y, text, ha="center", va="center", fontsize=size, family=family, weight=weight,
                    color=text_color, zorder=zorder + 1)
        ax.figure.course_boxes.append((patch, t))
    return Box(x, y, w, h)


def op(ax, x, y, symbol, role="plain", *, r=0.17, size=FONT + 1) -> Box:
    """A small circle holding an operation: ⊙ (elementwise product), +, σ, tanh..."""
    c = Circle((x, y), r, facecolor=ROLES[role].fill if role != "plain" else "white", edgecolor=ROLES[role].edge,
               lw=1.3, zorder=4)
    ax.add_patch(c)
    t = ax.text(x, y, symbol, ha="center", va="center", fontsize=size, zorder=5)
    ax.figure.course_boxes.append((c, t))
    return Box(x, y, 2 * r, 2 * r)


def arrow(ax, start, end, *, color=FLOW, lw=1.5, rad=0.0, dashed=False, head=True, both=False, zorder=2,
          shrink=0.0, style=None):
    """A data-flow arrow from ``start`` to ``end`` (straight, or curved with ``rad``)."""
    arrowstyle = style or ("<|-|>" if both else "-|>" if head else "-")
    patch = FancyArrowPatch(start, end, arrowstyle=arrowstyle, mutation_scale=13, color=color, lw=lw,
                            ls=(0, (4, 2.5)) if dashed else "-", connectionstyle=f"arc3,rad={rad}",
                            shrinkA=shrink, shrinkB=shrink, zorder=zorder, joinstyle="miter")
    ax.add_patch(patch)
    return patch


def polyline(ax, points, *, color=FLOW, lw=1.5, dashed=False, head=True, zorder=2):
    """An arrow along straight segments through ``points`` (for routed connections)."""
    path = MplPath(points, [MplPath.MOVETO] + [MplPath.LINETO] * (len(points) - 1))
    patch = FancyArrowPatch(path=path, arrowstyle="-|>" if head else "-", mutation_scale=13, color=color, lw=lw,
                            ls=(0, (4, 2.5)) if dashed else "-", zorder=zorder, joinstyle="miter")
    ax.add_patch(patch)
    return patch


def label(ax, x, y, text, *, size=FONT, color="black", ha="center", va="center", weight="normal", family=None,
          style="normal", zorder=6, rotation=0):
    return ax.text(x, y, text, ha=ha, va=va, fontsize=size, color=color, weight=weight, family=family,
                   style=style, zorder=zorder, rotation=rotation)


def shape(ax, x, y, text, *, ha="center", va="center", size=SMALL, color=MUTED):
    """A tensor shape, e.g. (B, T, H) = (4, 6, 5), in the monospace font used for code."""
    return label(ax, x, y, text, size=size, color=color, ha=ha, va=va, family=MONO)


def title(ax, x, y, text, *, ha="left", size=TITLE):
    return label(ax, x, y, text, size=size, weight="bold", ha=ha)


def pill(ax, x, y, text, *, size=SMALL, w=None, h=0.24):
    """A weight tag (grey): the same tag on several arrows means the same, shared weights."""
    width = w if w is not None else 0.16 + 0.085 * len(text)
    return box(ax, x, y, width, h, text, "weight", size=size, rounding=0.1, lw=1.0, zorder=5)


def legend(ax, x, y, items: Sequence, *, size=SMALL, lines: Sequence[tuple[str, str, bool]] = ()) -> float:
    """A row of swatches from (x, y): ``items`` are role names or (role, text) pairs; ``lines`` adds
    (colour, text, dashed) arrow samples. Returns the x where the row ends."""
    for item in items:
        role, text = (item, ROLES[item].label) if isinstance(item, str) else item
        r = ROLES[role]
        ax.add_patch(FancyBboxPatch((x, y - 0.09), 0.26, 0.18, boxstyle="round,pad=0,rounding_size=0.03",
                                    facecolor=r.fill, edgecolor=r.edge, lw=1.2,
                                    hatch="////" if role == "pad" else None, ls="--" if role == "faded" else "-",
                                    zorder=3))
        t = label(ax, x + 0.34, y, text, size=size, ha="left")
        x += 0.34 + _text_width(ax, t) + 0.32
    for color, text, dashed in lines:
        arrow(ax, (x, y), (x + 0.42, y), color=color, dashed=dashed, lw=1.6)
        t = label(ax, x + 0.5, y, text, size=size, ha="left")
        x += 0.5 + _text_width(ax, t) + 0.32
    return x


def _text_width(ax, t: Text) -> float:
    renderer = ax.figure.canvas.get_renderer()
    extent = t.get_window_extent(renderer)
    return extent.width / ax.figure.dpi


def brace(ax, x0, x1, y, text, *, up=True, color=MUTED, size=SMALL, tick=0.08):
    """A bracket over (or under) x0..x1 at height y, with a label beyond it."""
    d = tick if up else -tick
    ax.plot([x0, x0, x1, x1], [y - d, y, y, y - d], color=color, lw=1.1, zorder=2, solid_joinstyle="miter")
    return label(ax, (x0 + x1) / 2, y + (0.17 if up else -0.17), text, size=size, color=color,
                 va="bottom" if up else "top")


def grid(ax, x0, y0, cols, rows, w, h=None, *, fill, edge, lines="#FFFFFF", lw=0.8, outline=1.4, hatch=None,
         zorder=2) -> None:
    """A block of rows x cols cells with its bottom-left corner at (x0, y0): one filled rectangle and one line
    for all the inner cell borders (so the SVG stays small)."""
    h = w if h is None else h
    ax.add_patch(Rectangle((x0, y0), cols * w, rows * h, facecolor=fill, edgecolor=lines, lw=0, hatch=hatch,
                           zorder=zorder))  # the hatch takes the edge colour
    xs, ys = [], []
    for k in range(1, cols):
        xs += [x0 + k * w, x0 + k * w, np.nan]
        ys += [y0, y0 + rows * h, np.nan]
    for k in range(1, rows):
        xs += [x0, x0 + cols * w, np.nan]
        ys += [y0 + k * h, y0 + k * h, np.nan]
    if xs:
        ax.plot(xs, ys, color=lines, lw=lw, zorder=zorder)
    ax.add_patch(Rectangle((x0, y0), cols * w, rows * h, fill=False, edgecolor=edge, lw=outline, zorder=zorder + 1))


def visible(token: str) -> str:
    """Make a character drawable: space -> ␣, newline -> ↵."""
    return {" ": "␣", "\n": "↵"}.get(token, token)


# --------------------------------------------------------------------------------------
# Layout check: overlapping labels, labels outside their box or the figure
# --------------------------------------------------------------------------------------


def layout_problems(fig: Figure) -> list[str]:
    """Describe every pair of overlapping labels, label sticking out of its box, or label off the figure."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = [t for ax in fig.axes for t in ax.texts if t.get_visible() and t.get_text().strip()]
    extents = [t.get_window_extent(renderer) for t in texts]
    problems = []
    page = fig.bbox
    for t, e in zip(texts, extents):
        if e.x0 < page.x0 - 0.5 or e.y0 < page.y0 - 0.5 or e.x1 > page.x1 + 0.5 or e.y1 > page.y1 + 0.5:
            problems.append(f"label {t.get_text()!r} sticks out of the figure")
    for i in range(len(texts)):
        a = extents[i].expanded(1, 1)
        for j in range(i + 1, len(texts)):
            b = extents[j]
            overlap_w = min(a.x1, b.x1) - max(a.x0, b.x0)
            overlap_h = min(a.y1, b.y1) - max(a.y0, b.y0)
            if overlap_w > 1.0 and overlap_h > 1.0:  # more than a pixel each way
                problems.append(f"labels {texts[i].get_text()!r} and {texts[j].get_text()!r} overlap")
    for patch, t in getattr(fig, "course_boxes", []):
        outer = patch.get_window_extent(renderer)
        inner = t.get_window_extent(renderer)
        if inner.x0 < outer.x0 + 1 or inner.x1 > outer.x1 - 1 or inner.y0 < outer.y0 + 0.5 or inner.y1 > outer.y1 - 0.5:
            problems.append(f"label {t.get_text()!r} does not fit inside its box")
    return problems


# --------------------------------------------------------------------------------------
# Lesson 01: recurrent networks
# --------------------------------------------------------------------------------------


def rnn_unrolled() -> Figure:
    """The recurrent cell folded, and unrolled over the lesson's 6 steps with the same W, U, b at every step."""
    B, T, D, H = 4, 6, 3, 5  # lesson 01, section 2
    fig, ax = canvas(11, 4.9)
    legend(ax, 0.25, 4.55, ["input", "state", ("weight", "weights (shared)")])
    label(ax, 10.8, 4.55, r"$h_t = \tanh(x_t W + h_{t-1} U + b), \quad h_0 = 0$", size=15, ha="right")

    # folded
    title(ax, 0.25, 3.85, "folded")
    x_in = box(ax, 1.0, 0.95, 0.7, 0.48, r"$x_t$", "input")
    cell = box(ax, 1.25, 2.3, 1.2, 0.72, "cell\ntanh", "state")
    arrow(ax, x_in.top, (1.0, cell.bottom[1]))
    pill(ax, 1.0, 1.6, "W")
    polyline(ax, [(cell.right[0], 2.45), (2.2, 2.45), (2.2, 1.45), (1.55, 1.45), (1.55, cell.bottom[1])])
    pill(ax, 2.2, 1.95, "U")
    label(ax, 2.3, 1.25, r"$h_{t-1}$", size=SMALL)
    pill(ax, cell.x + 0.48, cell.y + 0.36, "b")
    arrow(ax, cell.top, (1.25, 3.3))
    label(ax, 1.25, 3.5, r"$h_t$")
    shape(ax, 1.4, 3.15, f"({B}, {H})", ha="left")
    shape(ax, 1.0, 0.48, f"({B}, {D})")

    label(ax, 3.05, 2.45, "unroll", size=SMALL, color=MUTED, va="bottom")
    arrow(ax, (2.7, 2.3), (3.4, 2.3), lw=2.2)

    # unrolled
    title(ax, 3.6, 3.85, f"unrolled over T = {T} steps")
    xs = [4.75 + 0.98 * t for t in range(T)]
    h0 = box(ax, 3.85, 2.3, 0.55, 0.5, r"$h_0$", "state", dashed=True)
    label(ax, 3.85, 1.85, "= 0", size=SMALL, color=MUTED)
    prev = h0
    for t, x in enumerate(xs, start=1):
        xi = box(ax, x, 0.95, 0.55, 0.48, rf"$x_{t}$", "input")
        c = box(ax, x, 2.3, 0.6, 0.6, rf"$h_{t}$", "state")
        arrow(ax, xi.top, c.bottom)
        pill(ax, x, 1.6, "W")
        arrow(ax, prev.right, c.left)
        pill(ax, (prev.right[0] + c.left[0]) / 2, 2.3, "U", w=0.26)
        pill(ax, x + 0.3, 2.6, "b", w=0.22)
        arrow(ax, c.top, (x, 3.2))
        prev = c
    brace(ax, xs[0] - 0.3, xs[-1] + 0.3, 3.3, f"return_sequences=True: all states (B, T, H) = ({B}, {T}, {H})")
    arrow(ax, prev.right, (10.75, 2.3))
    label(ax, 10.72, 2.0, "last state", size=SMALL, ha="right")
    shape(ax, 10.72, 1.75, f"({B}, {H})", ha="right")
    shape(ax, (xs[0] + xs[-1]) / 2, 0.5, f"x: (B, T, D) = ({B}, {T}, {D});  each x_t: ({B}, {D})")
    label(ax, 5.5, 0.13, f"The same W ({D}, {H}), U ({H}, {H}) and b ({H},) at every step: one set of weights, "
          "shared over time.", size=SMALL, color=MUTED)
    return fig


def rnn_patterns() -> Figure:
    """many-to-one, many-to-many (same length), one-to-many, encoder-decoder, with lesson 01's shapes."""
    B, T, D, H, K = 4, 6, 3, 5, 2  # lesson 01: batch, steps, features, units, classes
    Q_LEN, A_LEN, SYMBOLS = 7, 4, 12  # lesson 06: the encoder-decoder example
    fig, ax = canvas(11, 7.3)

    def chain(x0, y0, n, *, spacing=0.62, size=0.42):
        xs = [x0 + spacing * i for i in range(n)]
        cells = [box(ax, x, y0 + 1.2, size, size, "", "state") for x in xs]
        for a, b in zip(cells, cells[1:]):
            arrow(ax, a.right, b.left)
        return xs, cells

    def inputs(xs, cells, y0, size=0.42):
        for x, c in zip(xs, cells):
            arrow(ax, box(ax, x, y0 + 0.45, size, size * 0.8, "", "input").top, c.bottom)

    def outputs(xs, cells, y0, which, size=0.42):
        for x, c, on in zip(xs, cells, which):
            if on:
                arrow(ax, c.top, box(ax, x, y0 + 1.95, size, size * 0.8, "", "output").bottom)

    def heading(ox, oy, name, example, code):
        t = title(ax, ox, oy + 2.95, name)
        label(ax, ox + _text_width(ax, t) + 0.25, oy + 2.95, example, size=SMALL, color=MUTED, ha="left")
        shape(ax, ox, oy + 2.6, code, ha="left")

    ox, oy = 0.25, 3.6
    heading(ox, oy, "many-to-one", "classify a heartbeat, a review", f"SimpleRNN({H}) -> Dense({K})")
    xs, cells = chain(ox + 0.5, oy, T)
    inputs(xs, cells, oy)
    outputs(xs, cells, oy, [False] * (T - 1) + [True])
    shape(ax, xs[-1] + 0.4, oy + 1.95, f"({B}, {K})", ha="left")
    shape(ax, xs[-1] + 0.4, oy + 0.45, f"({B}, {T}, {D})", ha="left")

    ox = 5.75
    heading(ox, oy, "many-to-many, same length", "tag every step",
            f"SimpleRNN({H}, return_sequences=True) -> Dense({K})")
    xs, cells = chain(ox + 0.5, oy, T)
    inputs(xs, cells, oy)
    outputs(xs, cells, oy, [True] * T)
    shape(ax, xs[-1] + 0.4, oy + 1.95, f"({B}, {T}, {K})", ha="left")
    shape(ax, xs[-1] + 0.4, oy + 0.45, f"({B}, {T}, {D})", ha="left")

    ox, oy = 0.25, 0.2
    heading(ox, oy, "one-to-many", "write a sequence from one vector",
            f"RepeatVector({T}) -> SimpleRNN({H}, return_sequences=True)")
    xs, cells = chain(ox + 1.15, oy, T)
    vec = box(ax, ox + 0.35, oy + 0.45, 0.42, 0.34, "", "input")
    ax.plot([vec.right[0], xs[-1]], [oy + 0.45, oy + 0.45], color=FLOW, lw=1.5, zorder=2)
    for x, c in zip(xs, cells):
        arrow(ax, (x, oy + 0.45), c.bottom)
    label(ax, (xs[0] + xs[-1]) / 2, oy + 0.22, f"RepeatVector({T})", size=SMALL, color=MUTED)
    outputs(xs, cells, oy, [True] * T)
    shape(ax, xs[-1] + 0.4, oy + 1.95, f"({B}, {T}, {K})", ha="left")
    shape(ax, ox + 0.1, oy + 0.9, f"({B}, {D})", ha="left")

    ox = 5.75
    heading(ox, oy, "encoder-decoder", "lengths differ: lessons 06-08", "encoder RNN -> its last state -> decoder RNN")
    xs_e, enc = chain(ox + 0.3, oy, Q_LEN, spacing=0.43, size=0.32)
    inputs(xs_e, enc, oy, size=0.32)
    xs_d = [xs_e[-1] + 0.75 + 0.43 * i for i in range(A_LEN)]
    dec = [box(ax, x, oy + 1.2, 0.32, 0.32, "", "state") for x in xs_d]
    arrow(ax, enc[-1].right, dec[0].left, lw=2.4)
    for a, b in zip(dec, dec[1:]):
        arrow(ax, a.right, b.left)
    outputs(xs_d, dec, oy, [True] * A_LEN, size=0.32)
    label(ax, (xs_e[0] + xs_e[-1]) / 2, oy + 1.6, "encoder", size=SMALL, color=MUTED)
    label(ax, (xs_d[0] + xs_d[-1]) / 2, oy + 0.75, "decoder", size=SMALL, color=MUTED)
    shape(ax, xs_e[-1] + 0.3, oy + 0.45, f"(B, {Q_LEN}, {SYMBOLS})", ha="left")
    shape(ax, xs_d[0] - 0.3, oy + 1.95, f"(B, {A_LEN}, {SYMBOLS})", ha="right")

    legend(ax, 0.25, 7.05, ["input", "state", "output"])
    label(ax, 10.8, 7.05, f"B = {B} sequences, T = {T} steps, D = {D} features, H = {H} units, K = {K} classes",
          size=SMALL, color=MUTED, ha="right")
    return fig


def bptt() -> Figure:
    """Backpropagation through time: the two paths into h_t, and per-step gradients summed into dW."""
    B, T, D, H, K = 4, 6, 3, 5, 2  # lesson 01, section 3
    fig, ax = canvas(11, 6.2)
    red = ROLES["loss"].edge
    xs = [1.55 + 1.25 * t for t in range(T)]
    y_x, y_h, y_y, y_l = 1.45, 2.75, 3.95, 5.0
    cells = []
    for t, x in enumerate(xs, start=1):
        xi = box(ax, x, y_x, 0.55, 0.45, rf"$x_{t}$", "input")
        c = box(ax, x, y_h, 0.62, 0.55, rf"$h_{t}$", "state")
        yo = box(ax, x, y_y, 0.62, 0.5, rf"$\hat y_{t}$", "output")
        lo = box(ax, x, y_l, 0.62, 0.45, rf"$L_{t}$", "loss")
        arrow(ax, (x - 0.12, xi.top[1]), (x - 0.12, c.bottom[1]))
        arrow(ax, (x - 0.12, c.top[1]), (x - 0.12, yo.bottom[1]))
        arrow(ax, (x - 0.12, yo.top[1]), (x - 0.12, lo.bottom[1]))
        arrow(ax, (x + 0.12, lo.bottom[1]), (x + 0.12, yo.top[1]), color=red, dashed=True)
        arrow(ax, (x + 0.12, yo.bottom[1]), (x + 0.12, c.top[1]), color=red, dashed=True, lw=2.4 if t == 3 else 1.5)
        cells.append(c)
    for k, (a, b) in enumerate(zip(cells, cells[1:])):
        arrow(ax, (a.right[0], y_h - 0.1), (b.left[0], y_h - 0.1))
        arrow(ax, (b.left[0], y_h + 0.12), (a.right[0], y_h + 0.12), color=red, dashed=True, lw=2.4 if k == 2 else 1.5)
    label(ax, xs[2] + 0.22, (y_h + y_y) / 2, "path 1", size=SMALL, color=red, ha="left")
    label(ax, (xs[2] + xs[3]) / 2, y_h + 0.36, "path 2", size=SMALL, color=red)
    label(ax, 0.25, 5.8, r"$\dfrac{\partial L}{\partial h_3} = \dfrac{\partial L_3}{\partial h_3}"
          r" + \dfrac{\partial L}{\partial h_4}\,\dfrac{\partial h_4}{\partial h_3}$", size=FONT + 1, ha="left")
    label(ax, 3.75, 5.8, "path 1: through its own output,  path 2: through the next state", size=FONT, ha="left",
          color=red)
    # per-step gradients summed into dW
    y_bus = 0.6
    for x in xs:
        polyline(ax, [(x + 0.31, y_h - 0.27), (x + 0.45, y_h - 0.45), (x + 0.45, y_bus)], color=red, dashed=True,
                 head=False)
    arrow(ax, (xs[0] + 0.45, y_bus), (9.25, y_bus), color=red, dashed=True)
    label(ax, (xs[3] + xs[4]) / 2 + 0.45, y_bus - 0.3, r"each step adds $x_t^\top\,\partial L / \partial a_t$",
          size=SMALL, color=red)
    s = op(ax, 9.45, y_bus, r"$\Sigma$", "loss", r=0.2)
    dw = box(ax, 10.25, 1.2, 1.15, 0.75, r"$\partial L / \partial W$" + f"\n({D}, {H})", "loss", size=SMALL)
    arrow(ax, s.right, (dw.x - 0.2, dw.bottom[1]), rad=0.3, color=red)
    label(ax, 10.25, 1.85, "shared W:\nsum over t", size=SMALL, color=MUTED, va="bottom")
    label(ax, 9.05, 3.45, "the same for\n" r"$U$: $h_{t-1}^\top\,\partial L/\partial a_t$" "\n"
          r"$b$: $\partial L/\partial a_t$", size=SMALL, color=MUTED, ha="left", va="top")
    label(ax, 9.05, 4.45, r"$a_t = x_t W + h_{t-1} U + b$" "\n" r"$h_t = \tanh(a_t)$,  $\hat y_t = h_t V$",
          size=SMALL, color=MUTED, ha="left")
    shape(ax, xs[0] - 0.95, y_x, f"({B}, {D})")
    shape(ax, xs[0] - 0.95, y_h, f"({B}, {H})")
    shape(ax, xs[0] - 0.95, y_y, f"({B}, {K})")
    label(ax, xs[0] - 0.95, y_l, r"$L=\sum_t L_t$", size=SMALL, color=MUTED)
    label(ax, xs[0] - 0.95, 0.95, "shape\nper step", size=SMALL - 1, color=MUTED)
    legend(ax, 0.25, 0.15, [], lines=[(FLOW, "forward", False), (red, "gradient (backward)", True)])
    return fig


# --------------------------------------------------------------------------------------
# Lesson 02: LSTM and GRU
# --------------------------------------------------------------------------------------


def _cell_frame(ax) -> None:
    ax.add_patch(FancyBboxPatch((1.55, 1.45), 7.45, 3.9, boxstyle="round,pad=0,rounding_size=0.15",
                                facecolor="#F7F7F7", edgecolor="#BBBBBB", lw=1.2, zorder=0))


def lstm_cell() -> Figure:
    """The LSTM cell: the cell-state path along the top, three gates and the candidate below."""
    B, D, H = 4, 3, 5  # lesson 02, section 1
    fig, ax = canvas(11, 6.5)
    green, orange = ROLES["state"].edge, ROLES["gate"].edge
    _cell_frame(ax)
    y_c, y_mid, y_blk, y_bus = 4.65, 3.8, 2.85, 1.75
    fx, ix, cx, ox_, tx = 3.0, 4.45, 5.9, 7.35, 8.45
    # cell-state path
    label(ax, 0.75, y_c + 0.28, r"$c_{t-1}$")
    shape(ax, 0.75, y_c - 0.27, f"({B}, {H})")
    mul_f = op(ax, fx, y_c, "×")
    add = op(ax, cx, y_c, "+")
    arrow(ax, (0.35, y_c), mul_f.left, color=green, lw=3)
    arrow(ax, mul_f.right, add.left, color=green, lw=3)
    arrow(ax, add.right, (10.45, y_c), color=green, lw=3)
    label(ax, 10.1, y_c + 0.28, r"$c_t$")
    shape(ax, 10.1, y_c - 0.27, f"({B}, {H})")
    label(ax, (fx + cx) / 2, y_c + 0.42, "cell state: only × and + on this path", size=SMALL, color=green)
    # the four blocks, each reading [x_t, h_{t-1}]
    blocks = [(fx, "forget", r"$f_t$", "σ", "gate"), (ix, "input", r"$i_t$", "σ", "gate"),
              (cx, "candidate", r"$\tilde c_t$", "tanh", "state"), (ox_, "output", r"$o_t$", "σ", "gate")]
    boxes = {name: box(ax, x, y_blk, 1.2, 0.72, f"{name} {sym}\n{act}", role, size=SMALL)
             for x, name, sym, act, role in blocks}
    label(ax, 0.75, y_bus + 0.28, r"$h_{t-1}$")
    shape(ax, 0.75, y_bus - 0.27, f"({B}, {H})")
    ax.plot([0.35, ox_], [y_bus, y_bus], color=FLOW, lw=1.6, zorder=2)
    xin = box(ax, 2.1, 0.95, 0.6, 0.42, r"$x_t$", "input")
    arrow(ax, xin.top, (2.1, y_bus), head=False)
    shape(ax, 2.5, 0.95, f"({B}, {D})", ha="left")
    for x, *_ in blocks:
        arrow(ax, (x, y_bus), (x, y_blk - 0.36))
        ax.add_patch(Circle((x, y_bus), 0.035, color=FLOW, zorder=3))
    ax.add_patch(Circle((2.1, y_bus), 0.035, color=FLOW, zorder=3))
    arrow(ax, boxes["forget"].top, mul_f.bottom, color=orange)
    mul_i = op(ax, cx, y_mid, "×")
    polyline(ax, [boxes["input"].top, (ix, y_mid), mul_i.left], color=orange)
    arrow(ax, boxes["candidate"].top, mul_i.bottom, color=green)
    arrow(ax, mul_i.top, add.bottom, color=green)
    tanh_c = op(ax, tx, y_mid, "tanh", r=0.3, size=SMALL)
    mul_o = op(ax, tx, y_blk, "×")
    arrow(ax, (tx, y_c), tanh_c.top, color=green)
    ax.add_patch(Circle((tx, y_c), 0.035, color=green, zorder=3))
    arrow(ax, tanh_c.bottom, mul_o.top, color=green)
    arrow(ax, boxes["output"].right, mul_o.left, color=orange)
    polyline(ax, [mul_o.bottom, (tx, 2.15), (10.45, 2.15)], color=green, lw=2)
    label(ax, 10.1, 2.43, r"$h_t$")
    shape(ax, 10.1, 1.88, f"({B}, {H})")
    label(ax, 5.5, 0.55, r"each block: $x_t W_k + h_{t-1} U_k + b_k$, k = i, f, c, o:"
          f"   ({B}, {D})·({D}, {H}) + ({B}, {H})·({H}, {H}) + ({H},) → ({B}, {H})", size=SMALL, color=MUTED)
    label(ax, 5.5, 0.18, r"$c_t = f_t \odot c_{t-1} + i_t \odot \tilde c_t$,   $h_t = o_t \odot \tanh(c_t)$;"
          "   × is the elementwise product ⊙", size=SMALL, color=MUTED)
    legend(ax, 0.25, 6.15, ["input", "state", "gate"])
    return fig


def gru_cell() -> Figure:
    """The GRU cell as Keras computes it (reset_after=True): update gate z, reset gate r, candidate."""
    B, D, H = 4, 3, 5  # lesson 02, section 2
    fig, ax = canvas(11, 6.5)
    green, orange = ROLES["state"].edge, ROLES["gate"].edge
    _cell_frame(ax)
    y_h, y_mid, y_blk, y_bus = 4.65, 3.8, 2.85, 1.75
    zx, rx, rmx, hx = 3.0, 4.45, 5.9, 7.35
    label(ax, 0.75, y_h + 0.28, r"$h_{t-1}$")
    shape(ax, 0.75, y_h - 0.27, f"({B}, {H})")
    mul_z = op(ax, zx, y_h, "×")
    add = op(ax, hx, y_h, "+")
    arrow(ax, (0.35, y_h), mul_z.left, color=green, lw=3)
    arrow(ax, mul_z.right, add.left, color=green, lw=3)
    arrow(ax, add.right, (10.45, y_h), color=green, lw=3)
    label(ax, 10.1, y_h + 0.28, r"$h_t$")
    shape(ax, 10.1, y_h - 0.27, f"({B}, {H})")
    label(ax, (zx + hx) / 2, y_h + 0.42, r"keep $z_t$ of the old state, take $1 - z_t$ of the candidate",
          size=SMALL, color=green)
    # h_{t-1} also feeds the bus, with x_t
    polyline(ax, [(1.2, y_h), (1.2, y_bus), (hx, y_bus)], head=False, color=FLOW)
    ax.add_patch(Circle((1.2, y_h), 0.035, color=FLOW, zorder=3))
    xin = box(ax, 2.1, 0.95, 0.6, 0.42, r"$x_t$", "input")
    arrow(ax, xin.top, (2.1, y_bus), head=False)
    ax.add_patch(Circle((2.1, y_bus), 0.035, color=FLOW, zorder=3))
    shape(ax, 2.5, 0.95, f"({B}, {D})", ha="left")
    z = box(ax, zx, y_blk, 1.15, 0.72, "update " r"$z_t$" "\nσ", "gate", size=SMALL)
    r = box(ax, rx, y_blk, 1.15, 0.72, "reset " r"$r_t$" "\nσ", "gate", size=SMALL)
    cand = box(ax, hx, y_blk, 1.3, 0.72, "candidate " r"$\tilde h_t$" "\ntanh", "state", size=SMALL)
    for x in (zx, rx, hx):
        arrow(ax, (x, y_bus), (x, y_blk - 0.36))
        ax.add_patch(Circle((x, y_bus), 0.035, color=FLOW, zorder=3))
    # reset after the recurrent product: r * (h_{t-1} U_h + b'_h)
    rec = box(ax, rmx, 2.25, 1.1, 0.4, r"$h_{t-1} U_h + b'_h$", "plain", size=SMALL - 1)
    ax.add_patch(Circle((rmx, y_bus), 0.035, color=FLOW, zorder=3))
    arrow(ax, (rmx, y_bus), rec.bottom)
    mul_r = op(ax, rmx, y_blk + 0.2, "×")
    arrow(ax, rec.top, mul_r.bottom)
    arrow(ax, (r.right[0], y_blk + 0.2), mul_r.left, color=orange)
    arrow(ax, mul_r.right, (cand.left[0], y_blk + 0.2))
    # update gate: z * h_{t-1} along the top, (1 - z) * candidate
    arrow(ax, z.top, mul_z.bottom, color=orange)
    one_minus = op(ax, rx, y_mid, "1−", r=0.22, size=SMALL)
    polyline(ax, [(zx, y_mid), one_minus.left], color=orange)
    ax.add_patch(Circle((zx, y_mid), 0.035, color=orange, zorder=3))
    mul_c = op(ax, hx, y_mid, "×")
    arrow(ax, one_minus.right, mul_c.left, color=orange)
    arrow(ax, cand.top, mul_c.bottom, color=green)
    arrow(ax, mul_c.top, add.bottom, color=green)
    label(ax, 5.5, 0.55, r"$z_t, r_t = \sigma(x_t W_k + h_{t-1} U_k + b_k)$,  "
          r"$\tilde h_t = \tanh(x_t W_h + r_t \odot (h_{t-1} U_h + b'_h) + b_h)$", size=SMALL, color=MUTED)
    label(ax, 5.5, 0.18, r"$h_t = z_t \odot h_{t-1} + (1 - z_t) \odot \tilde h_t$;   Keras' default "
          "reset_after=True applies r after the product with U_h", size=SMALL, color=MUTED)
    legend(ax, 0.25, 6.15, ["input", "state", "gate"])
    return fig


def keras_kernels() -> Figure:
    """How Keras stores the fused weights: LSTM blocks i|f|c|o, GRU blocks z|r|h, for lesson 02's D=3, H=5."""
    D, H = 3, 5  # lesson 02: LSTM(5) / GRU(5) on 3 features
    fig, ax = canvas(11, 6.9)
    cell = 0.18

    def matrix(x0, y_top, rows, blocks, name, shape_text, row_names, letters=True):
        """rows x (len(blocks) * H) cells from (x0, y_top) down, one colour per block."""
        cols = len(blocks) * H
        for b, (letter, role) in enumerate(blocks):
            r = ROLES[role]
            grid(ax, x0 + b * H * cell, y_top - rows * cell, H, rows, cell, fill=r.fill, edge=r.edge, outline=1.6)
            if letters:
                label(ax, x0 + (b + 0.5) * H * cell, y_top + 0.17, letter, size=FONT, weight="bold")
        top = y_top + (0.52 if letters else 0.2)
        label(ax, x0, top, name, size=FONT, family=MONO, ha="left")
        shape(ax, x0 + cols * cell, top, shape_text, ha="right")
        for i, text in enumerate(row_names):
            label(ax, x0 - 0.08, y_top - (i + 0.5) * cell, text, size=SMALL - 2, color=MUTED, ha="right")
        return y_top - rows * cell

    def ranges(x0, y, n_blocks):
        for b in range(n_blocks):
            shape(ax, x0 + (b + 0.5) * H * cell, y, f"[:, {b * H}:{(b + 1) * H}]", size=SMALL - 2)

    lstm = [("i", "gate"), ("f", "gate"), ("c", "state"), ("o", "gate")]
    gru = [("z", "gate"), ("r", "gate"), ("h", "state")]
    xs_rows = [f"x{i + 1}" for i in range(D)]
    hs_rows = [f"h{i + 1}" for i in range(H)]
    title(ax, 0.25, 6.6, f"LSTM({H}) on {D} features: 4 blocks of H = {H} columns, in the order i, f, c, o")
    x1, x2 = 0.85, 5.6
    bottom = matrix(x1, 5.7, D, lstm, "kernel", f"({D}, {4 * H})", xs_rows)
    ranges(x1, bottom - 0.15, 4)
    matrix(x2, 5.7, H, lstm, "recurrent_kernel", f"({H}, {4 * H})", hs_rows)
    matrix(x1, bottom - 0.65, 1, lstm, "bias", f"({4 * H},)", [], letters=False)
    label(ax, x2, 4.1, "z = x_t @ kernel + h_prev @ recurrent_kernel + bias  # (B, 20)", size=SMALL - 1.5,
          family=MONO, ha="left")
    label(ax, x2, 3.8, "i, f, c, o = np.split(z, 4, axis=-1)  # each (B, 5)", size=SMALL - 1.5, family=MONO,
          ha="left")

    title(ax, 0.25, 3.2, f"GRU({H}), reset_after=True: 3 blocks in the order z, r, h, and two bias rows")
    x3 = 8.15
    bottom = matrix(x1, 2.3, D, gru, "kernel", f"({D}, {3 * H})", xs_rows)
    ranges(x1, bottom - 0.15, 3)
    matrix(x2 - 0.9, 2.3, H, gru, "recurrent_kernel", f"({H}, {3 * H})", hs_rows)
    matrix(x3, 2.3, 2, gru, "bias", f"(2, {3 * H})", ["b", "b'"])
    label(ax, x3, 1.55, "row 0: input bias b", size=SMALL - 1.5, color=MUTED, ha="left")
    label(ax, x3, 1.3, "row 1: recurrent bias b'", size=SMALL - 1.5, color=MUTED, ha="left")
    legend(ax, 0.25, 0.3, [("gate", "gate blocks"), ("state", "candidate blocks (c, h)")])
    return fig


def stacked_bidirectional() -> Figure:
    """Three stacked LSTM(16) layers, and a bidirectional GRU(16), on lesson 02's T=7 steps of 3 features."""
    T, D, U = 7, 3, 16  # lesson 02, section 7
    fig, ax = canvas(11, 8.0)
    xs = [3.65 + 0.78 * t for t in range(T)]
    green = ROLES["state"].edge

    title(ax, 0.25, 7.7, "stacked: every state goes up (return_sequences=True), the last layer gives one state")
    y0 = 4.4
    grid = {}
    for r in range(4):
        for t, x in enumerate(xs):
            grid[r, t] = box(ax, x, y0 + r * 0.8, 0.46, 0.4 if r else 0.34, "", "state" if r else "input")
        if r:
            for t in range(T - 1):
                arrow(ax, grid[r, t].right, grid[r, t + 1].left, color=green)
            for t in range(T):
                arrow(ax, grid[r - 1, t].top, grid[r, t].bottom)
    last = box(ax, xs[-1] + 1.0, y0 + 3 * 0.8, 0.55, 0.4, "", "output")
    arrow(ax, grid[3, T - 1].right, last.left, color=green)
    names = ["x", f"LSTM({U}, return_sequences=True)", f"LSTM({U}, return_sequences=True)", f"LSTM({U})"]
    shapes = [f"(B, {T}, {D})", f"(B, {T}, {U})", f"(B, {T}, {U})", f"(B, {U})"]
    for r, (name, shp) in enumerate(zip(names, shapes)):
        label(ax, 3.2, y0 + r * 0.8, name, size=SMALL, ha="right", family=MONO)
        if r < 3:
            shape(ax, xs[-1] + 0.45, y0 + r * 0.8, shp, ha="left")
    shape(ax, last.right[0] + 0.1, last.y, shapes[3], ha="left")

    title(ax, 0.25, 3.55, "bidirectional: a forward GRU and a backward copy, states concatenated at every step")
    yb = 0.85
    for t, x in enumerate(xs):
        grid["x", t] = box(ax, x, yb, 0.46, 0.34, "", "input")
        grid["f", t] = box(ax, x - 0.13, yb + 0.8, 0.4, 0.36, "", "state")
        grid["b", t] = box(ax, x + 0.13, yb + 1.5, 0.4, 0.36, "", "state")
        grid["o", t] = box(ax, x, yb + 2.25, 0.46, 0.34, "", "output")
        arrow(ax, (x - 0.13, grid["x", t].top[1]), grid["f", t].bottom)
        arrow(ax, (x + 0.13, grid["x", t].top[1]), grid["b", t].bottom)
        arrow(ax, grid["f", t].top, (x - 0.13, grid["o", t].bottom[1]))
        arrow(ax, grid["b", t].top, (x + 0.13, grid["o", t].bottom[1]))
    for t in range(T - 1):
        arrow(ax, grid["f", t].right, grid["f", t + 1].left, color=green, lw=1.8)
        arrow(ax, grid["b", t + 1].left, grid["b", t].right, color=green, lw=1.8)
    rows = [("x", "x", f"(B, {T}, {D})"), ("f", f"GRU({U}) forwards  →", f"(B, {T}, {U})"),
            ("b", f"GRU({U}) backwards ←", f"(B, {T}, {U})"), ("o", "concatenate", f"(B, {T}, {2 * U})")]
    for key, name, shp in rows:
        y = grid[key, 0].y
        label(ax, 3.2, y, name, size=SMALL, ha="right", family=MONO)
        shape(ax, xs[-1] + 0.45, y, shp, ha="left")
    legend(ax, 0.25, 0.25, ["input", "state", "output"])
    label(ax, 10.8, 0.25, f"B sequences of T = {T} steps, D = {D} features", size=SMALL, color=MUTED, ha="right")
    return fig


def padding_mask() -> Figure:
    """Pre- vs post-padding of lesson 02's first training sequence to 80 steps, and the mask."""
    from course_utils.data import last_token_task
    from course_utils.vectorization import Vocabulary

    MAXLEN, EMBED, UNITS = 80, 8, 16  # lesson 02, section 8
    seqs, _ = last_token_task(3000, seed=1)
    n = len(seqs[0])  # the lesson's first training sequence
    vocab_size = len(Vocabulary([str(i) for i in range(1, 9)]))
    fig, ax = canvas(11, 5.0)
    w, x0 = 0.1, 1.95
    pads = MAXLEN - n
    dark = ROLES["input"].edge

    def row(y, tokens_first, mask=False):
        first_token, first_pad = (0, n) if tokens_first else (pads, 0)
        grid(ax, x0 + first_token * w, y - 0.16, n, 1, w, 0.32, fill="#333333" if mask else ROLES["input"].fill,
             edge=dark, lines=dark, lw=0.5, outline=0.6)
        grid(ax, x0 + first_pad * w, y - 0.16, pads, 1, w, 0.32, fill="white", edge="#9A9A9A", lines="#9A9A9A",
             lw=0.5, outline=0.6, hatch=None if mask else "////")
        if not mask:  # the last token decides the label
            ax.add_patch(Rectangle((x0 + (first_token + n - 1) * w, y - 0.16), w, 0.32, facecolor=dark,
                                   edgecolor=dark, lw=0.5, zorder=4))

    y_pre, y_post, y_mask = 3.55, 2.15, 1.2
    row(y_pre, False)
    row(y_post, True)
    row(y_mask, True, mask=True)
    end = x0 + MAXLEN * w
    for y, name in [(y_pre, "pre-padding"), (y_post, "post-padding"), (y_mask, "mask of the\npost-padded row")]:
        label(ax, x0 - 0.15, y, name, ha="right")
    brace(ax, x0, x0 + pads * w, y_pre + 0.25, f"{pads} × id 0")
    brace(ax, x0 + pads * w, end, y_pre + 0.25, f"{n} tokens")
    brace(ax, x0, x0 + n * w, y_post + 0.25, f"{n} tokens")
    brace(ax, x0 + n * w, end, y_post + 0.25, f"{pads} padding steps between the deciding token and the output")
    for y in (y_pre, y_post):
        arrow(ax, (end + 0.05, y), (end + 0.45, y))
        box(ax, end + 0.67, y, 0.42, 0.34, "", "state")
        label(ax, end + 0.67, y - 0.38, f"LSTM({UNITS})", size=SMALL - 1.5, color=MUTED)
    label(ax, x0 + (n - 1) * w - 0.1, y_post - 0.38, "last token: decides the label", size=SMALL, color=dark,
          ha="left")
    label(ax, end - w - 0.1, y_pre - 0.38, "last token: read just before the output", size=SMALL, color=dark,
          ha="right")
    brace(ax, x0, x0 + n * w, y_mask - 0.25, "True: read", up=False)
    brace(ax, x0 + n * w, end, y_mask - 0.25, "False: skipped, the state is copied through", up=False)
    shape(ax, 5.5, 0.2, f"ids (B, {MAXLEN}) -> Embedding({vocab_size}, {EMBED}, mask_zero=True) -> "
          f"(B, {MAXLEN}, {EMBED}) -> LSTM({UNITS}) -> (B, {UNITS}) -> Dense(1, sigmoid)", size=SMALL - 0.5)
    x = legend(ax, 0.25, 4.7, ["input", "pad", "state"])
    for color, text in [(dark, "last token"), ("#333333", "mask True")]:
        ax.add_patch(Rectangle((x, 4.61), 0.26, 0.18, facecolor=color, edgecolor=dark, lw=0.5))
        t = label(ax, x + 0.34, 4.7, text, size=SMALL, ha="left")
        x += 0.34 + _text_width(ax, t) + 0.32
    return fig


# --------------------------------------------------------------------------------------
# Lesson 03: language models
# --------------------------------------------------------------------------------------


def lm_inputs_targets() -> Figure:
    """A character language model's training pair: targets are the inputs shifted by one, with the shapes."""
    V, T, EMBED, UNITS, BATCH = 97, 100, 32, 256, 64  # lesson 03: vocabulary, window, embedding, units, batch
    CELL = "GRU"  # lesson 03's recurrent layer
    # an illustrative window (the lesson reads Python source); it must hold at least T + 1 characters
    TEXT = ('def add(a, b):\n    """Return the sum of a and b."""\n    return a + b\n\n\n'
            "def sub(a, b):\n    return a - b\n")
    SHOWN = 9  # columns drawn before the "..."
    window = TEXT[:T + 1]
    assert len(window) == T + 1, "the example text is shorter than one window"
    fig, ax = canvas(11, 7.4)
    x0, step = 3.75, 0.62
    xs = [x0 + step * i for i in range(SHOWN)]
    x_dots, x_last, x_extra = x0 + step * SHOWN, x0 + step * (SHOWN + 1), x0 + step * (SHOWN + 2)

    # the window, and the two slices of it
    title(ax, 0.25, 7.1, f"one training window: T + 1 = {T + 1} characters")
    y_win = 6.05
    for i, x in enumerate(xs):
        box(ax, x, y_win, 0.48, 0.42, visible(window[i]), "plain", family=MONO)
        shape(ax, x, y_win - 0.36, str(i), size=SMALL - 2.5)
    label(ax, x_dots, y_win, "…")
    for i, x in [(T - 1, x_last), (T, x_extra)]:
        box(ax, x, y_win, 0.48, 0.42, visible(window[i]), "plain", family=MONO)
        shape(ax, x, y_win - 0.36, str(i), size=SMALL - 2.5)
    label(ax, x0 - 0.45, y_win, "text", size=SMALL, color=MUTED, ha="right")
    ax.plot([x0 - 0.24, x0 - 0.24, x_last + 0.24, x_last + 0.24], [5.5, 5.43, 5.43, 5.5], color=ROLES["input"].edge,
            lw=1.3)
    label(ax, x0 - 0.45, 5.43, f"x = window[:-1]  ({T})", size=SMALL, family=MONO, ha="right",
          color=ROLES["input"].edge)
    ax.plot([xs[1] - 0.24, xs[1] - 0.24, x_extra + 0.24, x_extra + 0.24], [6.35, 6.42, 6.42, 6.35],
            color=ROLES["loss"].edge, lw=1.3)
    label(ax, x0 - 0.45, 6.48, f"y = window[1:]   ({T})", size=SMALL, family=MONO, ha="right",
          color=ROLES["loss"].edge)

    # the model, unrolled
    y_in, y_emb, y_lstm, y_out, y_tgt = 0.95, 1.85, 2.75, 3.65, 4.6
    cols = [(x, window[i], window[i + 1]) for i, x in enumerate(xs)] + [(x_last, window[T - 1], window[T])]
    cells = []
    for x, cin, ctg in cols:
        xi = box(ax, x, y_in, 0.48, 0.42, visible(cin), "input", family=MONO)
        em = box(ax, x, y_emb, 0.48, 0.34, "", "input", fill="#EAF3FA")
        c = box(ax, x, y_lstm, 0.48, 0.46, "", "state")
        o = box(ax, x, y_out, 0.48, 0.34, "", "output")
        tg = box(ax, x, y_tgt, 0.48, 0.42, visible(ctg), "loss", family=MONO)
        arrow(ax, xi.top, em.bottom)
        arrow(ax, em.top, c.bottom)
        arrow(ax, c.top, o.bottom)
        arrow(ax, tg.bottom, o.top, color=ROLES["loss"].edge, dashed=True)
        cells.append(c)
    green = ROLES["state"].edge
    for a, b in zip(cells[:-2], cells[1:-1]):
        arrow(ax, a.right, b.left, color=green)
    arrow(ax, cells[-2].right, (x_dots - 0.15, y_lstm), color=green)
    label(ax, x_dots, y_lstm, "…")
    arrow(ax, (x_dots + 0.15, y_lstm), cells[-1].left, color=green)
    rows = [(y_in, "inputs x", f"({BATCH}, {T})"), (y_emb, f"Embedding({V}, {EMBED})", f"({BATCH}, {T}, {EMBED})"),
            (y_lstm, f"{CELL}({UNITS}), return_sequences", f"({BATCH}, {T}, {UNITS})"),
            (y_out, f"Dense({V}), softmax", f"({BATCH}, {T}, {V})"),
            (y_tgt, "targets y: cross-entropy", f"({BATCH}, {T})")]
    for y, name, shp in rows:
        label(ax, x0 - 0.45, y + 0.13, name, size=SMALL, ha="right")
        shape(ax, x0 - 0.45, y - 0.14, shp, ha="right", size=SMALL - 1)
    label(ax, 5.5, 0.2, f"At every step the model predicts the next character; a batch holds {BATCH} windows, "
          f"the vocabulary {V} characters.", size=SMALL, color=MUTED)
    return fig


def lm_generation() -> Figure:
    """Generating text: each sampled character is fed back as the next input, the GRU state carried along."""
    V, UNITS = 97, 256  # lesson 03: vocabulary, units of the recurrent layer
    STATE = "state h"  # a GRU carries one state vector (an LSTM: "state h, c")
    PROMPT, GENERATED = "def ", "add("  # illustrative characters
    fig, ax = canvas(11, 5.6)
    steps = list(PROMPT) + list(GENERATED[:-1])
    xs = [1.3 + 1.18 * i for i in range(len(steps))]
    y_in, y_lstm, y_out, y_smp = 0.95, 2.05, 3.1, 4.15
    purple, green = ROLES["output"].edge, ROLES["state"].edge
    title(ax, 0.25, 5.3, "generation: sample a character, write it, feed it back")
    legend(ax, 6.6, 5.3, ["input", "state", "output"])
    prev = None
    for i, (x, ch) in enumerate(zip(xs, steps)):
        live = i >= len(PROMPT) - 1
        xi = box(ax, x, y_in, 0.5, 0.45, visible(ch), "input", family=MONO)
        c = box(ax, x, y_lstm, 0.62, 0.52, "", "state")
        o = box(ax, x, y_out, 0.7, 0.42, "softmax", "output" if live else "faded", size=SMALL - 1.5)
        arrow(ax, xi.top, c.bottom)
        arrow(ax, c.top, o.bottom)
        if prev is not None:
            arrow(ax, prev.right, c.left, color=green, lw=2)
        prev = c
        if live:
            s = box(ax, x, y_smp, 0.5, 0.45, visible(GENERATED[i - len(PROMPT) + 1]), "output", family=MONO)
            arrow(ax, o.top, s.bottom, color=purple)
            if i + 1 < len(xs):
                polyline(ax, [s.right, (x + 0.59, y_smp), (x + 0.59, y_in), (xs[i + 1] - 0.25, y_in)], color=purple,
                         dashed=True)
        else:
            label(ax, x, y_smp, "(ignored)", size=SMALL - 1, color=MUTED)
    arrow(ax, prev.right, (xs[-1] + 0.85, y_lstm), color=green, lw=2)
    label(ax, xs[-1] + 0.95, y_lstm, "…", ha="left")
    brace(ax, xs[0] - 0.3, xs[len(PROMPT) - 1] + 0.3, 0.55, f"the prompt {PROMPT!r}", up=False)
    brace(ax, xs[len(PROMPT)] - 0.3, xs[-1] + 0.3, 0.55, "each input: the character sampled one step before",
          up=False)
    shape(ax, 10.85, y_lstm + 0.45, f"{STATE}: (1, {UNITS}) each", ha="right")
    shape(ax, 10.85, y_out, f"P(next): (1, {V})", ha="right")
    label(ax, 10.85, (y_out + y_smp) / 2, "sampled from\nsoftmax(logits / temperature)", size=SMALL - 1.5,
          color=purple, ha="right")
    shape(ax, 10.85, y_in, "input: (1, 1) id", ha="right")
    return fig


# --------------------------------------------------------------------------------------
# Lesson 06: addition
# --------------------------------------------------------------------------------------


def addition_seq2seq() -> Figure:
    """The adder: reversed, zero-padded question -> GRU encoder -> RepeatVector(4) -> GRU decoder -> answer."""
    from course_utils.data import addition_questions

    DIGITS, UNITS, BATCH, SYMBOLS = 3, 128, 128, 12  # lesson 06, section 5
    (plain,), (answer,) = addition_questions(1, digits=DIGITS, seed=0)  # the lesson's first question
    (padded,), _ = addition_questions(1, digits=DIGITS, seed=0, zero_pad=True)
    (question,), _ = addition_questions(1, digits=DIGITS, seed=0, reverse=True, zero_pad=True)
    q_len, a_len = len(question), len(answer)
    fig, ax = canvas(11, 6.3)
    green = ROLES["state"].edge

    # the formatting, left to right
    title(ax, 0.25, 6.0, "the question, formatted")
    legend(ax, 6.9, 6.0, ["input", "state", "output"])
    x = 0.45
    for text, note, role in [(plain, "as generated", "plain"), (padded, "zero-padded", "plain"),
                             (question, "reversed: the model's input", "input")]:
        for k, ch in enumerate(text):
            box(ax, x + 0.32 * k, 5.2, 0.3, 0.38, visible(ch), role, family=MONO)
        label(ax, x + 0.32 * (len(text) - 1) / 2, 4.75, note, size=SMALL, color=MUTED)
        x += 0.32 * len(text) + 0.4
        if role == "plain":
            arrow(ax, (x - 0.45, 5.2), (x - 0.18, 5.2))
    label(ax, x + 0.05, 5.2, "answer", size=SMALL, ha="left")
    x += 0.85
    for k, ch in enumerate(answer):
        box(ax, x + 0.32 * k, 5.2, 0.3, 0.38, visible(ch), "output", family=MONO)
    label(ax, x + 0.32 * (a_len - 1) / 2, 4.75, "space-padded", size=SMALL, color=MUTED)

    # the model, unrolled
    xs_e = [0.85 + 0.66 * i for i in range(q_len)]
    xs_d = [xs_e[-1] + 1.7 + 0.8 * i for i in range(a_len)]
    y_in, y_enc, y_dec, y_out = 0.85, 1.95, 3.0, 3.95
    enc = []
    for x, ch in zip(xs_e, question):
        xi = box(ax, x, y_in, 0.42, 0.42, visible(ch), "input", family=MONO)
        c = box(ax, x, y_enc, 0.46, 0.46, "", "state")
        arrow(ax, xi.top, c.bottom)
        enc.append(c)
    for a, b in zip(enc, enc[1:]):
        arrow(ax, a.right, b.left, color=green)
    rep = box(ax, (xs_d[0] + xs_d[-1]) / 2, y_enc, xs_d[-1] - xs_d[0] + 0.6, 0.36, f"RepeatVector({a_len})",
              "plain", size=SMALL)
    arrow(ax, enc[-1].right, rep.left, color=green, lw=2.4)
    label(ax, (enc[-1].right[0] + rep.left[0]) / 2, y_enc + 0.25, "final state", size=SMALL - 1, color=MUTED)
    shape(ax, (enc[-1].right[0] + rep.left[0]) / 2, y_enc - 0.28, f"(B, {UNITS})", size=SMALL - 1)
    dec = []
    for x, ch in zip(xs_d, answer):
        c = box(ax, x, y_dec, 0.46, 0.46, "", "state")
        arrow(ax, (x, rep.top[1]), c.bottom)
        arrow(ax, c.top, box(ax, x, y_out, 0.42, 0.42, visible(ch), "output", family=MONO).bottom)
        dec.append(c)
    for a, b in zip(dec, dec[1:]):
        arrow(ax, a.right, b.left, color=green)
    label(ax, (xs_e[0] + xs_e[-1]) / 2, y_enc + 0.5, f"encoder GRU({UNITS})", size=SMALL)
    label(ax, xs_d[0] - 0.45, y_dec, f"decoder GRU({UNITS})\nreturn_sequences=True", size=SMALL, ha="right")
    label(ax, xs_d[0] - 0.45, y_out, f"Dense({SYMBOLS}, softmax)", size=SMALL, ha="right")
    shape(ax, (xs_e[0] + xs_e[-1]) / 2, 0.3, f"(B, {q_len}, {SYMBOLS}): one-hot over {SYMBOLS} symbols")
    for y, text in [(y_enc, f"(B, {a_len}, {UNITS})"), (y_dec, f"(B, {a_len}, {UNITS})"),
                    (y_out, f"(B, {a_len}, {SYMBOLS})")]:
        shape(ax, xs_d[-1] + 0.45, y, text, ha="left")
    label(ax, 10.8, 0.3, f"B = {BATCH} questions per batch", size=SMALL, color=MUTED, ha="right")
    return fig


# --------------------------------------------------------------------------------------
# Lesson 07: translation
# --------------------------------------------------------------------------------------


def teacher_forcing() -> Figure:
    """Training with teacher forcing beside inference feeding each output back, on lesson 07's task."""
    SRC_LEN, TGT_LEN, V_TGT, UNITS, BATCH, N_TEST = 13, 7, 14, 256, 128, 5000  # lesson 07
    source = "quatre vingt douze mille".split()
    target = list("92000")
    n_pad = TGT_LEN - len(target) - 1
    dec_in = ["<start>"] + target + ["<pad>"] * n_pad
    dec_out = target + ["<end>"] + ["<pad>"] * n_pad
    fig, ax = canvas(11, 8.4)
    purple, green = ROLES["output"].edge, ROLES["state"].edge

    def token(x, y, text, role):
        if text == "<pad>":
            return box(ax, x, y, 0.72, 0.4, text, "faded", size=SMALL - 1.5, dashed=True, text_color="#777777")
        return box(ax, x, y, 0.72, 0.4, text, role, size=SMALL - 1 if text.startswith("<") else SMALL)

    def panel(y0, training):
        xs_e = [0.65 + 0.9 * i for i in range(len(source))]
        n_dec = TGT_LEN if training else len(target) + 1
        xs_d = [xs_e[-1] + 1.4 + 0.86 * i for i in range(n_dec)]
        enc = []
        for x, word in zip(xs_e, source):
            xi = box(ax, x, y0 + 0.35, 0.8, 0.4, word, "input", size=SMALL)
            c = box(ax, x, y0 + 1.35, 0.5, 0.46, "", "state")
            arrow(ax, xi.top, c.bottom)
            enc.append(c)
        for a, b in zip(enc, enc[1:]):
            arrow(ax, a.right, b.left, color=green)
        dec, outs = [], []
        for k, x in enumerate(xs_d):
            tok_in = dec_in[k] if training or k == 0 else dec_out[k - 1]
            xi = token(x, y0 + 0.35, tok_in, "input")
            c = box(ax, x, y0 + 1.35, 0.5, 0.46, "", "faded" if tok_in == "<pad>" else "state")
            o = token(x, y0 + 2.35, dec_out[k], "output")
            arrow(ax, xi.top, c.bottom)
            arrow(ax, c.top, o.bottom)
            dec.append(c)
            outs.append(o)
        arrow(ax, enc[-1].right, dec[0].left, color=green, lw=2.4)
        label(ax, (enc[-1].right[0] + dec[0].left[0]) / 2, y0 + 1.6, "state", size=SMALL - 1, color=MUTED)
        for a, b in zip(dec, dec[1:]):
            arrow(ax, a.right, b.left, color=green)
        label(ax, (xs_e[0] + xs_e[-1]) / 2, y0 + 1.78, f"encoder GRU({UNITS})", size=SMALL - 1, color=MUTED)
        if training:
            brace(ax, xs_d[0] - 0.36, xs_d[-1] + 0.36, y0 + 2.7, "targets: the same digits shifted by one; "
                  "loss at every real step, padding masked out")
            brace(ax, xs_d[0] - 0.36, xs_d[-1] + 0.36, y0 + 0.02, "inputs: the TRUE previous token, "
                  "all steps in parallel", up=False)
        else:
            for k in range(n_dec - 1):
                polyline(ax, [outs[k].right, (xs_d[k] + 0.43, y0 + 2.35), (xs_d[k] + 0.43, y0 - 0.05),
                              (xs_d[k + 1], y0 - 0.05), (xs_d[k + 1], y0 + 0.15)], color=purple, dashed=True)
            label(ax, xs_d[-1] + 0.5, y0 + 2.35, "stop at <end>", size=SMALL - 1, color=MUTED, ha="left")
            label(ax, (xs_d[0] + xs_d[-1]) / 2, y0 + 2.85, "each step reads its own previous prediction (argmax): "
                  "one step at a time", size=SMALL, color=MUTED)

    title(ax, 0.25, 8.05, "training: teacher forcing")
    shape(ax, 10.85, 8.05, f"source ({BATCH}, {SRC_LEN}), decoder input ({BATCH}, {TGT_LEN}) -> "
          f"({BATCH}, {TGT_LEN}, {V_TGT})", ha="right", size=SMALL - 1)
    panel(4.65, True)
    title(ax, 0.25, 3.85, "inference: greedy decoding")
    shape(ax, 10.85, 3.85, f"all {N_TEST} test phrases at once: token ({N_TEST}, 1), state ({N_TEST}, {UNITS})",
          ha="right", size=SMALL - 1)
    panel(0.55, False)
    label(ax, 0.25, 4.4, f"source padded to {SRC_LEN} words, target to {TGT_LEN} tokens; id 0 is masked",
          size=SMALL - 1, color=MUTED, ha="left")
    return fig


def inference_models() -> Figure:
    """The encoder model and the decoder-step model reuse the trained model's layers (shared weights)."""
    SRC_LEN, TGT_LEN, V_TGT, UNITS = 13, 7, 14, 256  # lesson 07
    fig, ax = canvas(11, 7.0)
    xs = {"source_embedding": 2.2, "encoder_gru": 3.95, "target_embedding": 5.7, "decoder_gru": 7.45,
          "next_token": 9.0}
    widths = {"source_embedding": 1.55, "encoder_gru": 1.2, "target_embedding": 1.55, "decoder_gru": 1.2,
              "next_token": 1.1}
    roles = {"source_embedding": "input", "encoder_gru": "state", "target_embedding": "input",
             "decoder_gru": "state", "next_token": "output"}
    green = ROLES["state"].edge
    y_top, y_bot = 5.2, 1.85

    def frame(x0, y0, w, h, text):
        ax.add_patch(FancyBboxPatch((x0, y0), w, h, boxstyle="round,pad=0,rounding_size=0.12", facecolor="none",
                                    edgecolor="#BBBBBB", lw=1.1, ls=(0, (5, 3)), zorder=0))
        title(ax, x0 + 0.15, y0 + h - 0.25, text, size=FONT)

    def layers(y):
        return {name: box(ax, xs[name], y, widths[name], 0.5, name, roles[name], size=SMALL, family=MONO)
                for name in widths}

    def small(x, y, text, role="plain", w=0.85):
        return box(ax, x, y, w, 0.42, text, role, size=SMALL - 0.5)

    # the training model
    frame(0.15, 4.0, 10.7, 2.85, "training model: seq2seq([source, target_in]) -> probabilities")
    top = layers(y_top)
    src = small(0.65, y_top, "source")
    arrow(ax, src.right, top["source_embedding"].left)
    arrow(ax, top["source_embedding"].right, top["encoder_gru"].left)
    arrow(ax, top["target_embedding"].right, top["decoder_gru"].left)
    arrow(ax, top["decoder_gru"].right, top["next_token"].left)
    polyline(ax, [top["encoder_gru"].top, (xs["encoder_gru"], 5.85), (xs["decoder_gru"], 5.85),
                  top["decoder_gru"].top], color=green, lw=2)
    label(ax, (xs["encoder_gru"] + xs["decoder_gru"]) / 2, 6.02, "final state = initial state", size=SMALL - 1,
          color=MUTED)
    tin = small(4.95, 4.4, "target_in", w=1.05)
    arrow(ax, tin.top, top["target_embedding"].at("bottom", -0.4))
    probs = small(10.3, y_top, "probs", "output", w=0.8)
    arrow(ax, top["next_token"].right, probs.left)
    shape(ax, 0.65, 4.7, f"(B, {SRC_LEN})")
    shape(ax, tin.right[0] + 0.08, 4.4, f"(B, {TGT_LEN})", ha="left")
    shape(ax, 10.3, 4.7, f"(B, {TGT_LEN}, {V_TGT})")

    # the two inference models
    frame(0.15, 0.15, 4.65, 2.45, "encoder: once per phrase")
    frame(4.95, 0.15, 5.9, 2.45, "decoder_step: once per output token")
    bottom = layers(y_bot)
    src2 = small(0.65, y_bot, "source")
    arrow(ax, src2.right, bottom["source_embedding"].left)
    arrow(ax, bottom["source_embedding"].right, bottom["encoder_gru"].left)
    st_out = small(3.15, 0.7, "state", "state", w=1.0)
    arrow(ax, bottom["encoder_gru"].at("bottom", -0.3), st_out.at("top", 0.25), color=green)
    shape(ax, 1.9, 0.7, f"(N, {UNITS})")
    tok = small(5.6, 0.7, "token", w=0.8)
    arrow(ax, tok.top, bottom["target_embedding"].at("bottom", -0.1))
    st_in = small(7.0, 0.7, "state", "state", w=0.9)
    arrow(ax, st_in.top, bottom["decoder_gru"].at("bottom", -0.4), color=green)
    st_new = small(8.35, 0.7, "new state", "state", w=1.1)
    arrow(ax, bottom["decoder_gru"].at("bottom", 0.4), st_new.at("top", -0.3), color=green)
    arrow(ax, bottom["target_embedding"].right, bottom["decoder_gru"].left)
    arrow(ax, bottom["decoder_gru"].right, bottom["next_token"].left)
    probs2 = small(10.3, y_bot, "probs", "output", w=0.8)
    arrow(ax, bottom["next_token"].right, probs2.left)
    shape(ax, 5.6, 0.35, "(N, 1)")
    shape(ax, 7.0, 0.35, f"(N, {UNITS})")
    shape(ax, 8.35, 0.35, f"(N, {UNITS})")
    shape(ax, 10.3, 1.35, f"(N, {V_TGT})")

    # shared layers
    for name in widths:
        xo = xs[name] + widths[name] / 2 - 0.18
        arrow(ax, (xo, y_top - 0.25), (xo, y_bot + 0.25), color=ROLES["weight"].edge, dashed=True, both=True,
              lw=1.3)
    note = label(ax, 5.5, 3.55, "the same layer objects, fetched by name: the inference models share the trained "
                 "weights", size=SMALL, color=ROLES["weight"].edge, zorder=7)
    note.set_bbox(dict(facecolor="white", edgecolor="none", pad=1.5))
    label(ax, 10.85, 3.05, "B: batch; N: phrases decoded together", size=SMALL - 1, color=MUTED, ha="right")
    return fig


# --------------------------------------------------------------------------------------
# Lesson 08: attention
# --------------------------------------------------------------------------------------

ATTENTION = dict(TX=32, TY=11, UNITS=64, V_TGT=15, COMBINE=128)  # lesson 08: the date model's sizes


def _illustrative_weights(source: str) -> np.ndarray:
    """Made-up attention weights for the step that writes the first year digit (not a trained model's)."""
    raw = np.array([0.2 if c.isalpha() else 0.3 if c in " ," else 0.5 for c in source], dtype=float)
    start = source.index("2009")
    raw[start], raw[start + 1] = 6.0, 2.0
    return raw / raw.sum()


def attention_step() -> Figure:
    """One decoder step with attention, with lesson 08's shapes: scores, masked softmax, context, output."""
    TX, UNITS, COMBINE, V_TGT = ATTENTION["TX"], ATTENTION["UNITS"], ATTENTION["COMBINE"], ATTENTION["V_TGT"]
    H2 = 2 * UNITS  # bidirectional encoder: UNITS each way; the decoder GRU has H2 units
    source = "apr 1, 2009"  # a test date of the lesson
    weights = _illustrative_weights(source)
    n = len(source)
    fig, ax = canvas(11, 7.4)
    gold, green = ROLES["attention"].edge, ROLES["state"].edge
    w, x0 = 0.24, 1.7
    xs = [x0 + (j + 0.5) * w for j in range(TX)]
    x_end = x0 + TX * w
    y_src, y_h, y_e, y_a = 0.45, 1.3, 2.45, 3.45

    for j, x in enumerate(xs):
        real = j < n
        box(ax, x, y_src, w - 0.03, 0.3, visible(source[j]) if real else "", "input" if real else "pad",
            size=SMALL - 1.5, family=MONO, hatch=None if real else "////", rounding=0.03, lw=0.9)
        box(ax, x, y_h, w - 0.03, 0.7, "", "state" if real else "pad", hatch=None if real else "////",
            rounding=0.03, lw=0.9)
        if real:
            score = np.log(weights[j] * 10)
            ax.add_patch(Rectangle((x - 0.08, y_e), 0.16, 0.1 + 0.12 * score, facecolor=ROLES["attention"].fill,
                                   edgecolor=gold, lw=0.8, zorder=3))
            ax.add_patch(Rectangle((x - 0.08, y_a), 0.16, 0.9 * weights[j] / weights.max(), facecolor=gold,
                                   edgecolor=gold, lw=0.8, zorder=3))
            arrow(ax, (x, y_h + 0.36), (x, y_e - 0.08), color="#999999", lw=0.8)
    for y in (y_e, y_a):
        ax.plot([x0, x_end], [y, y], color="#888888", lw=0.8, zorder=2)
    mid_pad = (xs[n] + xs[-1]) / 2
    label(ax, mid_pad, y_e + 0.22, "padding: score set to −∞", size=SMALL, color=MUTED)
    label(ax, mid_pad, y_a + 0.22, "padding: weight exactly 0", size=SMALL, color=MUTED)
    rows = [(y_src, "source", f"({TX} chars)"), (y_h, "encoder states h_j", f"(B, {TX}, {H2})"),
            (y_e, "scores e_ij", f"(B, {TX})"), (y_a + 0.2, "weights α_ij", f"(B, {TX})")]
    for y, name, shp in rows:
        label(ax, x_end + 0.12, y + 0.12, name, size=SMALL - 0.5, ha="left")
        shape(ax, x_end + 0.12, y - 0.13, shp, ha="left", size=SMALL - 1)
    label(ax, x_end + 0.12, y_a - 0.18, "masked softmax", size=SMALL - 1.5, color=MUTED, ha="left")

    # the query: the decoder's state s_i, scored against every h_j
    s = box(ax, 0.75, y_e + 0.15, 1.0, 0.55, r"$s_i$", "state")
    shape(ax, 0.75, y_e - 0.3, f"(B, {H2})")
    label(ax, 0.75, y_e + 0.6, "decoder state", size=SMALL - 1.5, color=MUTED)
    arrow(ax, s.right, (x0 - 0.02, y_e + 0.15), color=green)
    label(ax, 0.1, 1.45, "score for every j:\n" r"$v^\top \tanh(W_1 h_j + W_2 s_i)$" "\n"
          f"W1, W2: ({H2}, {UNITS})\nv: ({UNITS},)", size=SMALL - 1.5, ha="left")

    # weighted sum, and the output path along the top
    y_top = 5.85
    brace(ax, xs[0] - 0.1, xs[n - 1] + 0.1, y_a + 1.0, "")
    sig = op(ax, (xs[0] + xs[n - 1]) / 2, 4.85, r"$\Sigma$", "attention", r=0.2)
    arrow(ax, ((xs[0] + xs[n - 1]) / 2, y_a + 1.0), sig.bottom, color=gold)
    label(ax, sig.x + 0.3, sig.y, r"$c_i = \sum_j \alpha_{ij} h_j$", size=SMALL, ha="left")
    ctx = box(ax, sig.x, y_top, 1.0, 0.55, r"$c_i$", "attention")
    arrow(ax, sig.top, ctx.bottom, color=gold)
    shape(ax, sig.x - 0.62, y_top, f"(B, {H2})", ha="right")
    cat = box(ax, 5.1, y_top, 1.2, 0.55, r"$[s_i; c_i]$", "plain")
    comb = box(ax, 6.9, y_top, 1.1, 0.55, "tanh", "plain", size=SMALL)
    out = box(ax, 8.6, y_top, 1.1, 0.55, "softmax", "output", size=SMALL)
    nxt = box(ax, 10.15, y_top, 0.55, 0.55, "2", "output", family=MONO)
    for a, b in [(ctx, cat), (cat, comb), (comb, out), (out, nxt)]:
        arrow(ax, a.right, b.left)
    for b, shp, note in [(cat, f"(B, {2 * H2})", "concatenate"), (comb, f"(B, {COMBINE})", f"Dense({COMBINE})"),
                         (out, f"(B, {V_TGT})", f"Dense({V_TGT})"), (nxt, "", "next char")]:
        if shp:
            shape(ax, b.x, y_top + 0.45, shp)
        label(ax, b.x, y_top - 0.45, note, size=SMALL - 1.5, color=MUTED)
    polyline(ax, [s.top, (0.75, 6.75), (cat.x, 6.75), cat.top], color=green)
    label(ax, 10.85, 4.4, "weights drawn for illustration:\nthe step that writes the '2' of 2009", size=SMALL - 1,
          color=MUTED, ha="right")
    legend(ax, 0.25, 7.15, ["input", "state", "attention", "output", "pad"])
    return fig


def bahdanau_luong() -> Figure:
    """Bahdanau (query s_{i-1}, context into the GRU input) beside Luong (query s_i, context combined after)."""
    fig, ax = canvas(11, 6.3)
    gold, green = ROLES["attention"].edge, ROLES["state"].edge

    def encoder_states(x, y):
        b = box(ax, x, y, 1.35, 0.5, r"$h_1 \ldots h_{T_x}$", "state", size=SMALL)
        label(ax, x, y - 0.42, "encoder states", size=SMALL - 1, color=MUTED)
        return b

    def output(ox, soft):
        arrow(ax, soft.right, (soft.right[0] + 0.45, soft.y), color=ROLES["output"].edge)
        label(ax, soft.right[0] + 0.55, soft.y, r"$y_i$", ha="left")

    # Bahdanau
    ox, oy = 0.2, 0.35
    title(ax, ox, 5.95, "Bahdanau (2015)")
    label(ax, ox + 2.45, 5.95, r"query = previous state $s_{i-1}$", size=SMALL, ha="left")
    y_prev = box(ax, ox + 0.9, oy + 0.65, 1.0, 0.48, r"$y_{i-1}$", "input")
    s_prev = box(ax, ox + 2.75, oy + 0.65, 0.9, 0.48, r"$s_{i-1}$", "state")
    hs = encoder_states(ox + 4.45, oy + 0.65)
    att = box(ax, ox + 3.6, oy + 1.85, 1.4, 0.5, "attention", "attention", size=SMALL)
    arrow(ax, s_prev.top, att.at("bottom", -0.4), color=green)
    arrow(ax, hs.top, att.at("bottom", 0.45))
    ctx = box(ax, ox + 3.6, oy + 2.85, 0.8, 0.45, r"$c_i$", "attention")
    arrow(ax, att.top, ctx.bottom, color=gold)
    cat = box(ax, ox + 0.9, oy + 2.85, 1.35, 0.45, r"$[y_{i-1}; c_i]$", "plain", size=SMALL)
    arrow(ax, y_prev.top, cat.bottom)
    arrow(ax, ctx.left, cat.right, color=gold)
    gru = box(ax, ox + 0.9, oy + 3.85, 1.0, 0.5, "GRU", "state", size=SMALL)
    arrow(ax, cat.top, gru.bottom)
    polyline(ax, [s_prev.left, (ox + 1.9, oy + 0.65), (ox + 1.9, oy + 3.85), gru.right], color=green)
    s_new = box(ax, ox + 2.75, oy + 4.75, 0.8, 0.45, r"$s_i$", "state")
    polyline(ax, [gru.top, (ox + 0.9, oy + 4.75), s_new.left], color=green)
    soft = box(ax, ox + 4.2, oy + 4.75, 1.1, 0.45, "softmax", "output", size=SMALL)
    arrow(ax, s_new.right, soft.left)
    output(ox, soft)
    label(ax, ox + 0.1, 0.2, "the context is part of the recurrent input", size=SMALL, color=MUTED, ha="left")

    # Luong
    ox = 5.8
    ax.plot([5.6, 5.6], [0.2, 6.1], color="#CCCCCC", lw=1)
    title(ax, ox, 5.95, "Luong (2015)")
    label(ax, ox + 2.0, 5.95, r"query = current state $s_i$", size=SMALL, ha="left")
    y_prev = box(ax, ox + 0.9, oy + 0.65, 1.0, 0.48, r"$y_{i-1}$", "input")
    s_prev = box(ax, ox + 2.45, oy + 0.65, 0.9, 0.48, r"$s_{i-1}$", "state")
    gru = box(ax, ox + 0.9, oy + 1.85, 1.0, 0.5, "GRU", "state", size=SMALL)
    arrow(ax, y_prev.top, gru.bottom)
    polyline(ax, [s_prev.top, (ox + 2.45, oy + 1.85), gru.right], color=green)
    s_new = box(ax, ox + 0.9, oy + 2.85, 0.8, 0.45, r"$s_i$", "state")
    arrow(ax, gru.top, s_new.bottom, color=green)
    hs = encoder_states(ox + 4.3, oy + 1.85)
    att = box(ax, ox + 3.0, oy + 2.85, 1.4, 0.5, "attention", "attention", size=SMALL)
    arrow(ax, s_new.right, att.left, color=green)
    arrow(ax, hs.top, att.at("bottom", 0.4))
    ctx = box(ax, ox + 3.0, oy + 3.85, 0.8, 0.45, r"$c_i$", "attention")
    arrow(ax, att.top, ctx.bottom, color=gold)
    cat = box(ax, ox + 0.9, oy + 3.85, 1.25, 0.45, r"$[s_i; c_i]$", "plain", size=SMALL)
    arrow(ax, s_new.top, cat.bottom, color=green)
    arrow(ax, ctx.left, cat.right, color=gold)
    comb = box(ax, ox + 0.9, oy + 4.75, 1.1, 0.45, "tanh", "plain", size=SMALL)
    arrow(ax, cat.top, comb.bottom)
    soft = box(ax, ox + 2.75, oy + 4.75, 1.1, 0.45, "softmax", "output", size=SMALL)
    arrow(ax, comb.right, soft.left)
    output(ox, soft)
    label(ax, ox + 0.1, 0.2, "lesson 08's model: Luong's arrangement, Bahdanau's score", size=SMALL, color=MUTED,
          ha="left")
    return fig


def additive_broadcast() -> Figure:
    """Bahdanau's score for all (query, value) pairs at once: (B,Tq,1,U) + (B,1,Tv,U) -> (B,Tq,Tv)."""
    TQ, TV, U = ATTENTION["TY"], ATTENTION["TX"], ATTENTION["UNITS"]
    H2 = 2 * ATTENTION["UNITS"]
    fig, ax = canvas(11, 5.6)
    gold = ROLES["attention"].edge
    c = 0.15
    gx, gy = 2.2, 3.5  # top-left corner of the (Tq, Tv) grid
    title(ax, 0.25, 5.3, "the additive score for every (output step, source position) pair at once")
    green = ROLES["state"]
    grid(ax, gx, gy + 0.3, TV, 1, c, fill=green.fill, edge=green.edge, lines=green.edge, lw=0.6, outline=0.8)
    grid(ax, gx - 0.3 - c, gy - TQ * c, 1, TQ, c, fill=green.fill, edge=green.edge, lines=green.edge, lw=0.6,
         outline=0.8)
    grid(ax, gx, gy - TQ * c, TV, TQ, c, fill=ROLES["attention"].fill, edge=gold, lw=0.6)
    i_mark, j_mark = 3, 9  # one cell, labelled
    ax.add_patch(Rectangle((gx + j_mark * c, gy - (i_mark + 1) * c), c, c, facecolor=gold, edgecolor=gold, zorder=3))
    ax.add_patch(Rectangle((gx + j_mark * c, gy + 0.3), c, c, facecolor=ROLES["state"].edge, zorder=3))
    ax.add_patch(Rectangle((gx - 0.3 - c, gy - (i_mark + 1) * c), c, c, facecolor=ROLES["state"].edge, zorder=3))
    label(ax, gx + TV * c / 2, gy + 0.95, f"keys = values @ W2: (B, {TV}, {U})", size=SMALL, family=MONO)
    label(ax, gx + TV * c / 2, gy + 0.68, f"expand_dims(keys, 1) -> (B, 1, {TV}, {U})", size=SMALL - 1,
          family=MONO, color=MUTED)
    label(ax, gx - 0.3 - c - 0.12, gy - 0.45, f"queries =\nquery @ W1:\n(B, {TQ}, {U})", size=SMALL - 1,
          family=MONO, ha="right")
    label(ax, gx - 0.3 - c - 0.12, gy - 1.45, f"expand_dims\n(queries, 2)\n-> (B, {TQ}, 1, {U})", size=SMALL - 1.5,
          family=MONO, color=MUTED, ha="right")
    arrow(ax, (gx + TV * c + 0.12, gy + 0.3 + c / 2), (gx + TV * c + 0.12, gy - TQ * c), color=gold, lw=1.3)
    label(ax, gx + TV * c + 0.22, gy - 0.6, f"each key\ncopied down\nthe {TQ} rows", size=SMALL - 1.5,
          color=MUTED, ha="left")
    arrow(ax, (gx - 0.3 - c, gy - TQ * c - 0.14), (gx + TV * c, gy - TQ * c - 0.14), color=gold, lw=1.3)
    label(ax, gx + TV * c / 2, gy - TQ * c - 0.36, f"each query copied across the {TV} columns", size=SMALL - 1,
          color=MUTED)
    label(ax, gx + TV * c / 2, 0.95, r"cell (i, j): $\tanh(q_i + k_j) \cdot v$, the score of output step i for "
          "source position j", size=SMALL)
    steps = [(f"q + k: (B, {TQ}, {TV}, {U})", "plain", True), ("tanh, · v, sum over U", "plain", False),
             (f"scores (B, {TQ}, {TV})", "attention", True), ("masked softmax over Tv", "plain", False),
             (f"weights (B, {TQ}, {TV})", "attention", True)]
    y, prev = 4.65, None
    for text, role, mono in steps:
        b = box(ax, 9.6, y, 2.35, 0.42, text, role, size=SMALL - 1.5, family=MONO if mono else None)
        if prev is not None:
            arrow(ax, prev.bottom, b.top)
        prev, y = b, y - 0.85
    label(ax, 5.5, 0.35, f"lesson 08: Tq = {TQ} output characters, Tv = {TV} source characters (padded), "
          f"U = {U} attention units, query and values of {H2} features", size=SMALL - 1, color=MUTED)
    return fig


# --------------------------------------------------------------------------------------
# Lesson 09: BLEU
# --------------------------------------------------------------------------------------


def bleu_clipping() -> Figure:
    """Papineni's example as a table: candidate counts, each reference's counts, the max, the clipped count."""
    from course_utils.metrics import ngram_counts

    candidate = "the the the the the the the".split()
    references = ["the cat is on the mat".split(), "there is a cat on the mat".split()]
    fig, ax = canvas(11, 4.0)
    purple = ROLES["output"].edge

    def sentence(y, name, words):
        label(ax, 2.2, y, name, ha="right")
        x = 2.4
        for word in words:
            hit = word == "the"
            t = label(ax, x, y, word, size=FONT + 1, ha="left", family=MONO, color=purple if hit else "black",
                      weight="bold" if hit else "normal")
            x += _text_width(ax, t) + 0.16

    sentence(3.65, "candidate", candidate)
    sentence(3.2, "reference 1", references[0])
    sentence(2.75, "reference 2", references[1])

    cand = ngram_counts(candidate, 1)
    per_ref = [ngram_counts(r, 1) for r in references]
    headers = ["unigram", "count in\ncandidate", "count in\nreference 1", "count in\nreference 2",
               "max count in\none reference", "clipped count\nmin(count, max)"]
    rows = []
    for gram, count in cand.items():
        most = max(r[gram] for r in per_ref)
        rows.append([" ".join(gram), count, *(r[gram] for r in per_ref), most, min(count, most)])
    total = sum(cand.values())
    clipped = sum(r[-1] for r in rows)
    widths = [1.3, 1.45, 1.55, 1.55, 1.75, 1.95]
    xs = np.cumsum([0.75] + widths)
    y0, rh = 1.95, 0.62
    for k, text in enumerate(headers):
        box(ax, (xs[k] + xs[k + 1]) / 2, y0, widths[k] - 0.04, rh, text, "plain", size=SMALL, rounding=0.02,
            lw=1.0, fill="#F2F2F2")
    for r, row in enumerate(rows):
        y = y0 - (r + 1) * rh * 0.85
        for k, value in enumerate(row):
            box(ax, (xs[k] + xs[k + 1]) / 2, y, widths[k] - 0.04, rh * 0.75, str(value),
                "output" if k == len(row) - 1 else "plain", size=FONT + 1, rounding=0.02, lw=1.0,
                family=MONO if k == 0 else None)
    y = y0 - (len(rows) + 1) * rh * 0.85 - 0.2
    label(ax, 5.5, y, rf"clipped unigram precision $p_1$ = {clipped} / {total} = {clipped / total:.3f}"
          f"      (without clipping: {total} / {total} = 1)", size=FONT + 1)
    label(ax, 5.5, y - 0.42, "an n-gram counts at most as often as it appears in one reference; the total is every "
          "n-gram of the candidate, repeats included", size=SMALL - 0.5, color=MUTED)
    return fig


# --------------------------------------------------------------------------------------
# Lesson 10: beam search
# --------------------------------------------------------------------------------------


def _toy_model() -> tuple[np.ndarray, dict[str, int], list[str]]:
    """The toy next-token table of lesson 10, read from the notebook's own code (so the figure follows it)."""
    paths = sorted(NOTEBOOKS.glob("*beam_search*.ipynb"))
    if len(paths) != 1:
        raise RuntimeError(f"expected one beam-search notebook in {NOTEBOOKS}, found {[p.name for p in paths]}")
    wanted = {"next_token", "names", "END", "A", "B", "START"}
    for cell in json.loads(paths[0].read_text())["cells"]:
        if cell["cell_type"] != "code" or "next_token" not in "".join(cell["source"]):
            continue
        tree = ast.parse("".join(cell["source"]))
        assigns = [node for node in tree.body if isinstance(node, ast.Assign)
                   and {n.id for t in node.targets for n in ast.walk(t) if isinstance(n, ast.Name)} & wanted]
        namespace: dict = {"np": np}
        exec(compile(ast.Module(body=assigns, type_ignores=[]), paths[0].name, "exec"), namespace)  # noqa: S102
        if wanted <= namespace.keys():
            ids = {name: int(namespace[name]) for name in ("END", "A", "B", "START")}
            return np.asarray(namespace["next_token"], dtype=float), ids, list(namespace["names"])
    raise RuntimeError(f"{paths[0].name}: no code cell defines {sorted(wanted)}; update _toy_model")


@dataclass
class Node:
    tokens: tuple[int, ...]
    log_prob: float
    status: str  # "kept" (stays in the beam), "finished" (ended with <end>), "pruned"
    parent: tuple[int, ...]


def beam_levels(log_probs: np.ndarray, start: int, end: int, width: int, max_length: int) -> list[list[Node]]:
    """Every candidate beam search looks at, step by step, with its fate (the rule of course_utils.decoding)."""
    live: list[tuple[tuple[int, ...], float]] = [((), 0.0)]
    levels = []
    for step in range(max_length):
        candidates = [(tokens + (tok,), lp + log_probs[tokens[-1] if tokens else start, tok], tokens)
                      for tokens, lp in live for tok in range(log_probs.shape[1])]
        best = set(np.argsort(-np.array([c[1] for c in candidates]), kind="stable")[:width].tolist())
        level, live = [], []
        for k, (tokens, lp, parent) in enumerate(candidates):
            if k not in best:
                status = "pruned"
            elif tokens[-1] == end or step == max_length - 1:
                status = "finished"
            else:
                status = "kept"
                live.append((tokens, lp))
            level.append(Node(tokens, lp, status, parent))
        levels.append(level)
        if not live:
            break
    return levels


def beam_tree() -> Figure:
    """Lesson 10's toy example at beam width 2: kept, pruned and finished hypotheses, and greedy's path."""
    from course_utils.decoding import beam_search, greedy_decode

    WIDTH, MAX_LENGTH = 2, 3  # as in lesson 10, section 1
    log_probs, ids, names = _toy_model()
    levels = beam_levels(log_probs, ids["START"], ids["END"], WIDTH, MAX_LENGTH)

    def step_fn(tokens, state):
        return log_probs[tokens], state

    def words(tokens):
        return " ".join(names[t] for t in tokens)

    finished = sorted((n for level in levels for n in level if n.status == "finished"), key=lambda n: -n.log_prob)
    reference = beam_search(step_fn, np.zeros((1, 1)), ids["START"], ids["END"], WIDTH, MAX_LENGTH)
    if [list(n.tokens) for n in finished] != [h.tokens for h in reference]:
        raise RuntimeError("the drawn tree disagrees with course_utils.decoding.beam_search")
    greedy = tuple(int(t) for t in greedy_decode(step_fn, np.zeros((1, 1)), ids["START"], ids["END"], MAX_LENGTH)[0])
    log_prob = {n.tokens: n.log_prob for level in levels for n in level} | {(): 0.0}
    greedy_lp = sum(log_probs[a, b] for a, b in zip((ids["START"],) + greedy, greedy))

    fig, ax = canvas(11, 7.0)
    blue = ROLES["input"].edge
    level_x = [0.85, 2.55, 5.55]
    pos = {(): (level_x[0], 4.0)}
    first = np.linspace(6.0, 1.9, len(levels[0]))
    for node, y in zip(levels[0], first):
        pos[node.tokens] = (level_x[1], y)
    for depth, level in enumerate(levels[1:], start=2):
        kids: dict = {}
        for node in level:
            kids.setdefault(node.parent, []).append(node)
        for parent, group in kids.items():
            for k, node in enumerate(group):
                pos[node.tokens] = (level_x[depth], pos[parent][1] + ((len(group) - 1) / 2 - k) * 0.62)
    drawn = {(): box(ax, *pos[()], 1.0, 0.5, "<start>", "input", size=SMALL)}
    for level in levels:
        for node in level:
            x, y = pos[node.tokens]
            pruned = node.status == "pruned"
            role = {"kept": "state", "finished": "output", "pruned": "faded"}[node.status]
            b = box(ax, x + 0.9, y, 1.8, 0.46, f"{names[node.tokens[-1]]}   P = {np.exp(node.log_prob):.2f}", role,
                    size=SMALL, dashed=pruned, text_color="#777777" if pruned else "black",
                    lw=2.2 if node.status == "finished" else 1.4)
            drawn[node.tokens] = b
            parent = drawn[node.parent]
            arrow(ax, parent.right, b.left, color=ROLES["faded"].edge if pruned else FLOW, dashed=pruned, lw=1.3)
            if node.tokens == greedy[:len(node.tokens)]:
                ax.plot([parent.right[0], b.left[0]], [parent.right[1], b.left[1]], color=blue, lw=8, alpha=0.25,
                        zorder=1, solid_capstyle="round")
            step_p = np.exp(node.log_prob - log_prob[node.parent])
            mx, my = 0.35 * parent.right[0] + 0.65 * b.left[0], 0.35 * parent.right[1] + 0.65 * b.left[1]
            label(ax, mx, my, f"{step_p:.2f}", size=SMALL - 2, color=MUTED, zorder=7).set_bbox(
                dict(facecolor="white", edgecolor="none", pad=0.6))
    best = drawn[finished[0].tokens]
    label(ax, best.right[0] + 0.1, best.y, "★ best", size=SMALL, color=ROLES["output"].edge, ha="left")

    # what happened, written from the tree
    lines = []
    for depth, level in enumerate(levels, start=1):
        kept = sorted((n for n in level if n.status != "pruned"), key=lambda n: -n.log_prob)
        lines.append(f"step {depth}: {len(level)} candidates, keep {WIDTH}:\n" + "\n".join(
            f"   {words(n.tokens)}  ({np.exp(n.log_prob):.2f})" + ("  finished" if n.status == "finished" else "")
            for n in kept))
        for n in level:
            tie = [k for k in kept if n.status == "pruned" and abs(k.log_prob - n.log_prob) < 1e-12]
            if tie:
                lines.append(f"{words(n.tokens)} ties with {words(tie[0].tokens)}:\nthe candidate listed first stays")
    if not any(n.status == "kept" for n in levels[-1]):
        lines.append("no hypothesis left alive: stop")
    lines.append(f"best: {words(finished[0].tokens)}  (P = {np.exp(finished[0].log_prob):.2f})\n"
                 f"greedy: {words(greedy)}  (P = {np.exp(greedy_lp):.2f})")
    y = 6.1
    for text in lines:
        label(ax, 8.55, y, text, size=SMALL - 1, ha="left", va="top")
        y -= (text.count("\n") + 1) * 0.24 + 0.3
    title(ax, 0.25, 6.7, f"beam width {WIDTH} on lesson 10's toy model (P: probability of the whole sequence)",
          size=FONT)
    x = legend(ax, 0.25, 0.3, [("state", "kept in the beam"), ("output", "finished (<end>)"), ("faded", "pruned")])
    ax.plot([x, x + 0.42], [0.3, 0.3], color=blue, lw=8, alpha=0.25, solid_capstyle="round")
    label(ax, x + 0.55, 0.3, "greedy's path", size=SMALL, ha="left")
    return fig


# --------------------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------------------

FIGURES: dict[str, Callable[[], Figure]] = {
    "rnn_unrolled": rnn_unrolled,
    "rnn_patterns": rnn_patterns,
    "bptt": bptt,
    "lstm_cell": lstm_cell,
    "gru_cell": gru_cell,
    "keras_kernels": keras_kernels,
    "stacked_bidirectional": stacked_bidirectional,
    "padding_mask": padding_mask,
    "lm_inputs_targets": lm_inputs_targets,
    "lm_generation": lm_generation,
    "addition_seq2seq": addition_seq2seq,
    "teacher_forcing": teacher_forcing,
    "inference_models": inference_models,
    "attention_step": attention_step,
    "bahdanau_luong": bahdanau_luong,
    "additive_broadcast": additive_broadcast,
    "bleu_clipping": bleu_clipping,
    "beam_tree": beam_tree,
}


def build(out_dir: Path, names: Sequence[str] | None = None, png_dir: Path | None = None) -> dict[str, list[str]]:
    """Draw the figures into ``out_dir`` as NAME.svg; return the layout problems found, per figure."""
    out_dir.mkdir(parents=True, exist_ok=True)
    problems = {}
    for name in names or FIGURES:
        if name not in FIGURES:
            raise ValueError(f"unknown figure {name!r}; known: {', '.join(FIGURES)}")
        with plt.style.context("default"), matplotlib.rc_context(RC):
            fig = FIGURES[name]()
            for artist in fig.axes[0].get_children():
                artist.set_clip_on(False)  # nothing needs clipping; the SVG is smaller without clip paths
            problems[name] = layout_problems(fig)
            fig.savefig(out_dir / f"{name}.svg", format="svg", metadata=SVG_METADATA)
            if png_dir is not None:
                png_dir.mkdir(parents=True, exist_ok=True)
                fig.savefig(png_dir / f"{name}.png", format="png", dpi=110)
            plt.close(fig)
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=IMAGES, help="folder for the SVG files (default: images/)")
    parser.add_argument("--png", type=Path, default=None, help="also write a PNG copy of each figure here")
    parser.add_argument("--only", nargs="+", default=None, metavar="NAME", help="draw only these figures")
    args = parser.parse_args(argv)
    problems = build(args.out, args.only, args.png)
    bad = {name: p for name, p in problems.items() if p}
    for name, found in bad.items():
        for p in found:
            print(f"{name}: {p}", file=sys.stderr)
    print(f"{len(problems)} figures written to {args.out}" + (f", {len(bad)} with layout problems" if bad else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
