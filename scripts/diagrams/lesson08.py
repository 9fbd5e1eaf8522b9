"""Lesson 08: attention."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from .common import (
    MONO, MUTED, ROLES, SMALL, arrow, box, brace, canvas, grid, label, legend, op, polyline, shape, title, visible,
)

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
    label(ax, 0.1, 1.45, "score for every j:\n" r"$v^\top \tanh(W_q s_i + W_k h_j)$" "\n"
          f"W_q, W_k: ({H2}, {UNITS})\nv: ({UNITS},)", size=SMALL - 1.5, ha="left")

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
    label(ax, gx + TV * c / 2, gy + 0.95, f"keys = values @ W_k: (B, {TV}, {U})", size=SMALL, family=MONO)
    label(ax, gx + TV * c / 2, gy + 0.68, f"expand_dims(keys, 1) -> (B, 1, {TV}, {U})", size=SMALL - 1,
          family=MONO, color=MUTED)
    label(ax, gx - 0.3 - c - 0.12, gy - 0.45, f"queries =\nquery @ W_q:\n(B, {TQ}, {U})", size=SMALL - 1,
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


FIGURES = {"attention_step": attention_step, "bahdanau_luong": bahdanau_luong, "additive_broadcast": additive_broadcast}
