"""What every figure shares: the colours of the roles, the fonts, the deterministic SVG settings, the drawing
helpers (canvas, box, op, arrow, polyline, label, shape, title, pill, legend, brace, grid) and the layout check.

Coordinates are inches from the bottom-left corner of the figure (see ``canvas``). The visual language is
described in CONTRIBUTING.md, "Diagrams".
"""

from __future__ import annotations

from collections.abc import Sequence
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

ROOT = Path(__file__).resolve().parents[2]  # scripts/diagrams/common.py -> the project
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
        x += 0.34 + text_width(ax, t) + 0.32
    for color, text, dashed in lines:
        arrow(ax, (x, y), (x + 0.42, y), color=color, dashed=dashed, lw=1.6)
        t = label(ax, x + 0.5, y, text, size=size, ha="left")
        x += 0.5 + text_width(ax, t) + 0.32
    return x


def text_width(ax, t: Text) -> float:
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
