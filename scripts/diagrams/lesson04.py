"""Lesson 04: word vectors."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from .common import (
    MONO, MUTED, ROLES, SMALL, arrow, box, brace, canvas, grid, label, legend, op, polyline, shape, text_width,
    title,
)


def skipgram_negative_sampling() -> Figure:
    """word2vec's skip-gram with negative sampling: one (centre, context) pair and K = 3 negatives, scored by dot
    products of rows of two embedding tables, each pushed by a sigmoid towards its target, 1 or 0."""
    D, K, WINDOW = 50, 3, 4  # illustrative: embedding size, negatives per pair, words each side of the centre
    SENTENCE = "convert the tensor to a numpy array".split()
    CENTRE, CONTEXT = "tensor", "numpy"
    # illustrative unigram frequencies f(w) of a few words, and the negatives drawn for this pair
    FREQ = {"the": 0.30, "of": 0.20, "to": 0.15, "a": 0.15, "model": 0.08, "river": 0.07, "numpy": 0.05}
    NEGATIVES = ["of", "river", "model"]
    PROBS = [0.83, 0.21, 0.09, 0.34]  # illustrative σ(u·v_c) of the context word and the negatives
    assert len(NEGATIVES) == K and len(PROBS) == K + 1
    c = SENTENCE.index(CENTRE)
    assert 0 < abs(SENTENCE.index(CONTEXT) - c) <= WINDOW, "the context word must be inside the window"

    fig, ax = canvas(11, 7.9)
    blue, purple, red = ROLES["input"].edge, ROLES["output"].edge, ROLES["loss"].edge
    title(ax, 0.25, 7.6, f"skip-gram with negative sampling: one (centre, context) pair and K = {K} negatives")

    # the sentence and the window
    y_s, step = 6.75, 1.12
    xs = [1.3 + step * i for i in range(len(SENTENCE))]
    for x, word in zip(xs, SENTENCE):
        role = "input" if word == CENTRE else "output" if word == CONTEXT else "plain"
        box(ax, x, y_s, 0.98, 0.4, word, role, family=MONO, size=SMALL)
    label(ax, xs[c], y_s + 0.38, "centre word c", size=SMALL, color=blue)
    label(ax, xs[SENTENCE.index(CONTEXT)], y_s + 0.38, "context word o", size=SMALL, color=purple)
    first, last = max(0, c - WINDOW), min(len(SENTENCE) - 1, c + WINDOW)
    brace(ax, xs[first] - 0.49, xs[last] + 0.49, y_s - 0.3, f"window: up to {WINDOW} words on each side of c; "
          "every word in it makes one (c, o) pair", up=False)

    # the two tables, as grids of V rows x d columns (a few rows and columns drawn)
    cols, cell, rh = 8, 0.16, 0.19
    x_tab = 1.35

    def table(y_top, rows, name, looked_up):
        """A (V, d) table from y_top down, with the looked-up rows coloured; returns each looked-up row's y."""
        weight = ROLES["weight"]
        grid(ax, x_tab, y_top - rows * rh, cols, rows, cell, rh, fill=weight.fill, edge=weight.edge, lw=0.5)
        t = label(ax, x_tab - 0.1, y_top + 0.22, name, ha="left")
        shape(ax, x_tab + text_width(ax, t), y_top + 0.22, f"(V, {D})", ha="left")
        ys = []
        for row, word, role in looked_up:
            y = y_top - (row + 0.5) * rh
            r = ROLES[role]
            ax.add_patch(Rectangle((x_tab, y - rh / 2), cols * cell, rh, facecolor=r.fill, edgecolor=r.edge,
                                   lw=1.2, zorder=4))
            label(ax, x_tab - 0.1, y, word, size=SMALL - 1, family=MONO, color=r.edge, ha="right")
            ys.append(y)
        return ys

    (y_c,) = table(5.45, 7, r"$W_{in}$: centre table", [(3, CENTRE, "input")])
    rows_out = [(1, CONTEXT, "output")] + [(r, w, "output") for r, w in zip((4, 7, 10), NEGATIVES)]
    ys_out = table(3.6, 12, r"$W_{out}$: context table", rows_out)

    # v_c, and the K + 1 context vectors u
    x_v = 3.75
    vc = box(ax, x_v, y_c, 0.62, 0.42, r"$v_c$", "input")
    arrow(ax, (x_tab + cols * cell, y_c), vc.left, color=blue)
    shape(ax, x_v, y_c - 0.38, f"({D},)")
    y_rows = [3.3, 2.6, 1.9, 1.2]
    names = [r"$u_o$"] + [rf"$u_{k + 1}$" for k in range(K)]
    us = []
    for y_row, y, name in zip(ys_out, y_rows, names):
        u = box(ax, x_v, y, 0.62, 0.42, name, "output")
        arrow(ax, (x_tab + cols * cell, y_row), u.left, color=purple, lw=1.2)
        us.append(u)
    shape(ax, x_v, y_rows[-1] - 0.42, f"({K + 1}, {D})")

    # dot products, sigmoids, targets, loss terms
    x_dot, x_sig, x_p, x_t, x_term, x_sum = 5.05, 6.1, 6.95, 7.95, 9.25, 10.5
    dot = box(ax, x_dot, (y_rows[0] + y_rows[-1]) / 2, 1.0, y_rows[0] - y_rows[-1] + 0.62,
              "dot products\n" r"$u \cdot v_c$", "plain", size=SMALL - 1)
    polyline(ax, [vc.right, (x_dot, y_c), dot.top], color=blue)
    shape(ax, x_dot, dot.bottom[1] - 0.2, f"({K + 1},)")
    for name, x in [("sigmoid", x_sig), ("P(real pair)", x_p), ("target", x_t),
                    ("loss term", x_term)]:
        label(ax, x, 3.92, name, size=SMALL - 1, color=MUTED)
    terms = []
    for k, (u, y, p) in enumerate(zip(us, y_rows, PROBS)):
        positive = k == 0
        arrow(ax, u.right, (dot.left[0], y))
        s = op(ax, x_sig, y, "σ", r=0.19)
        arrow(ax, (dot.right[0], y), s.left)
        pb = box(ax, x_p, y, 0.62, 0.4, f"{p:.2f}", "output", size=SMALL)
        arrow(ax, s.right, pb.left)
        label(ax, (pb.right[0] + x_t - 0.2) / 2, y, "vs", size=SMALL - 1, color=MUTED)
        box(ax, x_t, y, 0.4, 0.4, "1" if positive else "0", "loss", size=SMALL)
        text = r"$-\log\,\sigma(u_o \cdot v_c)$" if positive else rf"$-\log\,\sigma(-u_{k} \cdot v_c)$"
        term = box(ax, x_term, y, 1.65, 0.4, text, "loss", size=SMALL)
        arrow(ax, (x_t + 0.2, y), term.left, color=red)
        terms.append(term)
    total = op(ax, x_sum, (y_rows[0] + y_rows[-1]) / 2, r"$\Sigma$", "loss", r=0.2)
    for term in terms:
        arrow(ax, term.right, (total.left[0] + 0.02, total.y + (term.y - total.y) * 0.25), color=red, lw=1.2)
    label(ax, x_sum, total.y - 0.38, "loss", size=SMALL, color=red)
    label(ax, 8.35, 0.38, r"$L = -\log\,\sigma(u_o \cdot v_c) \;-\; \sum_{k=1}^{K}\, \log\,\sigma(-u_k \cdot v_c)$",
          size=SMALL + 1.5)

    # where the negatives come from: the unigram distribution raised to the 3/4 power
    words = list(FREQ)
    f = np.array([FREQ[w] for w in words])
    q = f ** 0.75 / (f ** 0.75).sum()
    x0, gap, bw, y_base, scale = 6.4, 0.47, 0.16, 4.5, 2.3
    label(ax, 6.15, 5.95, rf"K = {K} negatives $\sim f(w)^{{3/4}}$", weight="bold", ha="left")
    for i, word in enumerate(words):
        x = x0 + gap * i
        grey = ROLES["weight"]
        ax.add_patch(Rectangle((x - bw, y_base), bw, f[i] * scale, facecolor=grey.fill, edgecolor=grey.edge,
                               lw=0.8, zorder=3))
        ax.add_patch(Rectangle((x, y_base), bw, q[i] * scale, facecolor=ROLES["output"].fill, edgecolor=purple,
                               lw=0.8, zorder=3))
        drawn = word in NEGATIVES
        label(ax, x, y_base - 0.16, word, size=SMALL - 1.5, family=MONO, color=purple if drawn else "black",
              weight="bold" if drawn else "normal")
    ax.plot([x0 - 0.3, x0 + gap * (len(words) - 1) + 0.3], [y_base, y_base], color="#888888", lw=0.8, zorder=2)
    legend(ax, 6.15, 5.6, [("weight", "f(w): unigram frequency"), ("output", r"$f(w)^{3/4} / Z$: sampling")],
           size=SMALL - 1)
    label(ax, x0 + gap * (len(words) - 1) + 0.35, y_base + 0.3, "rare words gain,\nfrequent ones lose;\n"
          "bold: drawn here", size=SMALL - 1.5, color=MUTED, ha="left")

    label(ax, 0.25, 0.35, f"d = {D} (illustrative), K = {K}, V: vocabulary size. Negative words, frequencies\n"
          "and probabilities are illustrative. After training, the rows of W_in are the word vectors.",
          size=SMALL - 1.5, color=MUTED, ha="left")
    return fig


FIGURES = {"skipgram_negative_sampling": skipgram_negative_sampling}
