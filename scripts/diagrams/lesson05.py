"""Lesson 05: text classification."""

from __future__ import annotations

from matplotlib.figure import Figure

from .common import MONO, MUTED, ROLES, SMALL, arrow, box, canvas, label, legend, op, polyline, shape, title


def text_classifier() -> Figure:
    """A many-to-one tweet classifier two ways, on the same padded tokens: the mean of the real tokens' embeddings
    (order-free) beside a bidirectional GRU whose two last states are concatenated; both end in Dense(3, softmax)."""
    EMBED = 50  # the word vectors' size
    TOKENS = ["not", "a", "good", "flight"]  # an illustrative tweet
    PAD = 2  # padding positions, masked
    CLASSES = ["negative", "neutral", "positive"]
    tokens = TOKENS + ["<pad>"] * PAD
    n, T = len(TOKENS), len(TOKENS) + PAD
    fig, ax = canvas(11, 7.3)
    green, purple = ROLES["state"].edge, ROLES["output"].edge
    step, w = 0.64, 0.56
    y_tok, y_emb = 1.1, 2.05

    def inputs(x0):
        """The token ids and their embeddings, padding hatched; returns the x of each position."""
        xs = [x0 + step * t for t in range(T)]
        for x, tok in zip(xs, tokens):
            real = tok != "<pad>"
            t = box(ax, x, y_tok, w, 0.4, tok if real else "", "input" if real else "pad", size=SMALL - 1.5,
                    family=MONO, hatch=None if real else "////")
            if not real:  # on a white ground, to stay readable over the hatching
                label(ax, x, y_tok, tok, size=SMALL - 2, family=MONO, color="#555555").set_bbox(
                    dict(facecolor="white", edgecolor="none", pad=0.8))
            e = box(ax, x, y_emb, w - 0.12, 0.5, "", "input" if real else "pad", hatch=None if real else "////",
                    fill="#EAF3FA" if real else None, dashed=not real)
            if real:
                arrow(ax, t.top, e.bottom)
        label(ax, (xs[n] + xs[-1]) / 2, y_tok - 0.4, "masked (id 0)", size=SMALL - 1.5, color=MUTED)
        label(ax, (xs[0] + xs[n - 1]) / 2, y_tok - 0.4, "the same tweet in both models", size=SMALL - 1.5,
              color=MUTED)
        return xs

    def rows(x, items):
        """Layer names and shapes in a column at x: (y, name, shape) each."""
        for y, name, shp in items:
            if name:
                label(ax, x, y + 0.13, name, size=SMALL - 1.5, ha="left")
                shape(ax, x, y - 0.13, shp, ha="left", size=SMALL - 1)
            else:
                shape(ax, x, y, shp, ha="left", size=SMALL - 1)

    def head(x, y_in, source):
        """Dense(3, softmax) above (x, y_in), and the three class probabilities."""
        dense = box(ax, x, y_in, 1.9, 0.46, "Dense(3, softmax)", "output", size=SMALL - 1, family=MONO)
        arrow(ax, source, dense.bottom)
        y_cls = y_in + 0.85
        for k, name in enumerate(CLASSES):
            xc = x + (k - 1) * 0.95
            c = box(ax, xc, y_cls, 0.88, 0.36, name, "output", size=SMALL - 2)
            arrow(ax, (x + (k - 1) * 0.5, dense.top[1]), c.bottom, color=purple, lw=1.2)
        return dense, y_cls

    # left: the mean of the real tokens' embeddings
    x0 = 0.75
    xs = inputs(x0)
    mid = (xs[0] + xs[n - 1]) / 2
    title(ax, 0.25, 7.0, "mean of the embeddings: order-free")
    shape(ax, 0.25, 6.65, "Embedding -> masked mean -> Dense(3, softmax)", ha="left")
    y_mean, y_vec = 3.3, 4.5
    mean = op(ax, mid, y_mean, "mean", r=0.3, size=SMALL - 1.5)
    for x in xs[:n]:
        arrow(ax, (x, y_emb + 0.25), mean.at("bottom", (x - mid) * 0.12), lw=1.2)
    vec = box(ax, mid, y_vec, 1.2, 0.4, "", "input", fill="#EAF3FA")
    arrow(ax, mean.top, vec.bottom)
    label(ax, mid + 0.45, y_mean, f"over the {n} real tokens only;\norder-free: any permutation\ngives the "
          "same mean", size=SMALL - 1.5, color=MUTED, ha="left")
    head(mid, 5.4, vec.top)
    x_col = xs[-1] + 0.45
    rows(x_col, [(y_tok, "token ids", "(B, T)"), (y_emb, "embeddings", f"(B, T, {EMBED})"),
                 (y_vec, "mean vector", f"(B, {EMBED})"), (5.4, "", "(B, 3)")])

    # right: a bidirectional GRU, its two last states concatenated
    ax.plot([5.55, 5.55], [0.45, 7.1], color="#CCCCCC", lw=1)
    x0 = 6.1
    xs = inputs(x0)
    mid = (xs[0] + xs[n - 1]) / 2
    title(ax, 5.8, 7.0, "bidirectional GRU: reads the order")
    shape(ax, 5.8, 6.65, "Embedding -> Bidirectional(GRU(H)) -> Dense(3, softmax)", ha="left")
    y_f, y_b, y_cat = 2.95, 3.7, 4.55
    fwd = [box(ax, x - 0.13, y_f, 0.34, 0.36, "", "state") for x in xs[:n]]
    bwd = [box(ax, x + 0.13, y_b, 0.34, 0.36, "", "state") for x in xs[:n]]
    for x, f, b in zip(xs, fwd, bwd):
        arrow(ax, (f.x, y_emb + 0.25), f.bottom, lw=1.2)
        arrow(ax, (b.x, y_emb + 0.25), b.bottom, lw=1.2)
    for a, b in zip(fwd, fwd[1:]):
        arrow(ax, a.right, b.left, color=green)
    for a, b in zip(bwd[1:], bwd):
        arrow(ax, a.left, b.right, color=green)
    cat = box(ax, mid, y_cat, 1.7, 0.42, r"$[\overrightarrow{h}_4;\, \overleftarrow{h}_1]$", "state")
    polyline(ax, [fwd[-1].right, (xs[n - 1] + 0.32, y_f), (xs[n - 1] + 0.32, y_cat), cat.right], color=green, lw=2)
    polyline(ax, [bwd[0].left, (xs[0] - 0.32, y_b), (xs[0] - 0.32, y_cat), cat.left], color=green, lw=2)
    label(ax, (xs[n] + xs[-1]) / 2, (y_f + y_b) / 2, "masked:\nskipped", size=SMALL - 1.5, color=MUTED)
    head(mid, 5.4, cat.top)
    x_col = xs[-1] + 0.45
    rows(x_col, [(y_tok, "token ids", "(B, T)"), (y_emb, "embeddings", f"(B, T, {EMBED})"),
                 (y_f, "forward →", "(B, H)"), (y_b, "backward ←", "(B, H)"),
                 (y_cat, "last states", "(B, 2H)"), (5.4, "", "(B, 3)")])

    legend(ax, 0.25, 0.2, ["input", "state", "output", "pad"])
    label(ax, 10.85, 0.2, f"B tweets, T = {T} tokens ({PAD} of them padding),\nH units each way; the tweet is "
          "illustrative", size=SMALL - 1.5, color=MUTED, ha="right")
    return fig


FIGURES = {"text_classifier": text_classifier}
