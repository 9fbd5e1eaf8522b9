"""Lesson 12: from attention to the Transformer."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from .common import MONO, MUTED, ROLES, SMALL, arrow, box, canvas, grid, label, polyline, shape, title

TRANSFORMER = dict(D_MODEL=64, HEADS=4)  # lesson 12: the model's width and number of heads


def scaled_dot_product_attention() -> Figure:
    """Scaled dot-product attention with its shapes (left); multi-head attention: split, attend, concatenate,
    project (right)."""
    D_MODEL, HEADS = TRANSFORMER["D_MODEL"], TRANSFORMER["HEADS"]
    HEAD = D_MODEL // HEADS
    assert HEAD * HEADS == D_MODEL and HEAD == 16
    fig, ax = canvas(11, 7.6)
    gold, blue = ROLES["attention"].edge, ROLES["input"].edge

    # left: one head
    title(ax, 0.25, 7.3, "scaled dot-product attention")
    cx = 2.55
    yq, ym, ys, yk, yw, yo = 0.75, 1.85, 2.85, 3.85, 4.85, 6.1
    q = box(ax, 1.0, yq, 0.7, 0.45, "Q", "input")
    k = box(ax, 2.1, yq, 0.7, 0.45, "K", "input")
    v = box(ax, 4.1, yq, 0.7, 0.45, "V", "input")
    for b, shp in [(q, "(Tq, d)"), (k, "(Tk, d)"), (v, "(Tk, dv)")]:
        shape(ax, b.x, yq - 0.38, shp)
    mm = box(ax, 1.55, ym, 1.5, 0.45, r"$Q K^\top$", "plain")
    arrow(ax, q.top, mm.at("bottom", -0.45))
    arrow(ax, k.top, mm.at("bottom", 0.45))
    shape(ax, mm.right[0] + 0.12, ym, "(Tq, Tk)", ha="left")
    sc = box(ax, 1.55, ys, 1.5, 0.45, r"$\div\ \sqrt{d}$", "attention")
    arrow(ax, mm.top, sc.bottom)
    label(ax, sc.right[0] + 0.12, ys + 0.1, "scores", size=SMALL, ha="left")
    label(ax, sc.right[0] + 0.12, ys - 0.15, "keeps the softmax from saturating", size=SMALL - 1.5, color=MUTED,
          ha="left")
    mk = box(ax, 1.55, yk, 1.5, 0.45, "mask", "plain", dashed=True)
    arrow(ax, sc.top, mk.bottom)
    label(ax, mk.right[0] + 0.12, yk + 0.1, "optional: −∞ where a query", size=SMALL - 1, ha="left")
    label(ax, mk.right[0] + 0.12, yk - 0.15, "may not look (padding, causal)", size=SMALL - 1, ha="left")
    sm = box(ax, 1.55, yw, 1.5, 0.45, "softmax", "attention")
    arrow(ax, mk.top, sm.bottom)
    label(ax, sm.right[0] + 0.12, yw + 0.1, "weights, over Tk:", size=SMALL, ha="left")
    label(ax, sm.right[0] + 0.12, yw - 0.15, "each row sums to 1", size=SMALL - 1.5, color=MUTED, ha="left")
    shape(ax, sm.right[0] + 0.12, yw - 0.4, "(Tq, Tk)", ha="left")
    out = box(ax, 2.85, yo, 1.6, 0.5, r"weights $\times$ V", "attention")
    polyline(ax, [sm.top, (sm.x, yo), out.left])
    polyline(ax, [v.top, (v.x, yo), out.right])
    shape(ax, out.x, yo + 0.42, "output (Tq, dv)")
    label(ax, 0.25, 6.85, r"$\mathrm{softmax}(Q K^\top / \sqrt{d} + M)\, V$", size=SMALL + 1.5, ha="left")
    label(ax, 0.25, 0.12, f"in one head of the lesson's model: d = dv = {HEAD}", size=SMALL - 1, color=MUTED,
          ha="left")

    # right: multi-head
    ax.plot([5.45, 5.45], [0.1, 7.45], color="#CCCCCC", lw=1)
    x0 = 5.7
    title(ax, x0, 7.3, f"multi-head: h = {HEADS} heads of {HEAD}")
    y_in, y_proj, y_split, y_att, y_cat, y_out = 0.75, 1.85, 3.05, 4.35, 5.45, 6.45
    xin = box(ax, 8.2, y_in, 2.4, 0.45, "queries; keys, values", "input", size=SMALL)
    shape(ax, xin.right[0] + 0.1, y_in + 0.12, f"(Tq, {D_MODEL})", ha="left", size=SMALL - 1)
    shape(ax, xin.right[0] + 0.1, y_in - 0.12, f"(Tk, {D_MODEL})", ha="left", size=SMALL - 1)
    projs = []
    for x, name, rows in [(6.7, "Q", "Tq"), (8.2, "K", "Tk"), (9.7, "V", "Tk")]:
        b = box(ax, x, y_proj, 1.3, 0.45, f"{name} ({rows}, {D_MODEL})", "input", family=MONO, size=SMALL - 1)
        arrow(ax, (xin.x + (x - 8.2) * 0.5, y_in + 0.23), b.bottom)
        projs.append(b)
    label(ax, x0, 1.22, f"Dense({D_MODEL}) each", size=SMALL - 1.5, family=MONO, color=MUTED, ha="left")
    # split: each projection cut into HEADS slices of HEAD features
    sw = 0.22
    head_x = [6.55 + 1.25 * i for i in range(HEADS)]
    for b in projs:
        for i in range(HEADS):
            xs_ = b.x - 2 * sw + i * sw
            ax.add_patch(Rectangle((xs_, y_split - 0.22), sw - 0.03, 0.44,
                                   facecolor=ROLES["input"].fill if i % 2 else "#A9CBE6", edgecolor=blue, lw=0.8,
                                   zorder=3))
        arrow(ax, b.top, (b.x, y_split - 0.23), lw=1.0)
    label(ax, 10.25, y_split, f"split:\n{HEADS} × {HEAD}", size=SMALL - 1, ha="left")
    atts = []
    for i, x in enumerate(head_x):
        a = box(ax, x, y_att, 1.05, 0.55, f"head {i + 1}", "attention", size=SMALL - 1)
        atts.append(a)
        for b in projs:
            xs_ = b.x - 2 * sw + i * sw + (sw - 0.03) / 2
            ax.plot([xs_, x + (b.x - 8.2) * 0.25], [y_split + 0.22, y_att - 0.28], color="#B0B0B0", lw=0.7,
                    zorder=1)
    for i, text in enumerate([f"each head: Q (Tq, {HEAD}),", f"K and V (Tk, {HEAD});",
                              f"all {HEADS} in parallel"]):
        shape(ax, x0, 6.75 - 0.22 * i, text, ha="left", size=SMALL - 1.5)
    cat = box(ax, 8.4, y_cat, 3.6, 0.45, "", "attention")
    for i in range(HEADS):
        ax.add_patch(Rectangle((cat.x - 1.8 + i * 0.9, y_cat - 0.22), 0.9, 0.44, fill=False, edgecolor=gold, lw=0.8,
                               zorder=4))
        label(ax, cat.x - 1.35 + i * 0.9, y_cat, f"{HEAD}", size=SMALL - 1, family=MONO)
        arrow(ax, atts[i].top, (cat.x - 1.35 + i * 0.9, y_cat - 0.23), lw=1.0)
    label(ax, cat.left[0] - 0.08, y_cat + 0.1, "concat", size=SMALL - 1, ha="right")
    shape(ax, cat.left[0] - 0.08, y_cat - 0.15, f"(Tq, {D_MODEL})", ha="right", size=SMALL - 1.5)
    outb = box(ax, 8.4, y_out, 1.6, 0.45, f"Dense({D_MODEL})", "plain", family=MONO, size=SMALL)
    arrow(ax, cat.top, outb.bottom)
    label(ax, outb.right[0] + 0.1, y_out, "project", size=SMALL - 1, ha="left")
    arrow(ax, outb.top, (8.4, 6.95), color=gold)
    shape(ax, 8.55, 6.9, f"output (Tq, {D_MODEL})", ha="left")
    label(ax, x0, 0.12, f"keras.layers.MultiHeadAttention(num_heads={HEADS}, key_dim={HEAD})", size=SMALL - 1.5,
          family=MONO, color=MUTED, ha="left")
    return fig


def transformer_blocks() -> Figure:
    """One encoder block and one decoder block: attention, add & norm, feed-forward, with the mask of each."""
    D_MODEL, HEADS = TRANSFORMER["D_MODEL"], TRANSFORMER["HEADS"]
    fig, ax = canvas(11, 8.6)
    green = ROLES["state"].edge
    W, H = 2.5, 0.5

    def sublayer(x, y, text, role, mask=None, note=None):
        b = box(ax, x, y, W, H, text, role, size=SMALL)
        if mask:
            label(ax, b.right[0] + 0.42, y + 0.12, "mask:", size=SMALL - 1.5, color=MUTED, ha="left")
            label(ax, b.right[0] + 0.42, y - 0.13, mask, size=SMALL - 1, family=MONO, ha="left")
        if note:
            label(ax, b.left[0] - 0.12, y, note, size=SMALL - 1.5, color=MUTED, ha="right")
        return b

    def add_norm(x, y):
        return box(ax, x, y, W, 0.4, "add & norm", "plain", size=SMALL - 1)

    def residual(x, y_from, b_to, side=-1):
        xr = x + side * (W / 2 + 0.25)
        polyline(ax, [(x, y_from), (xr, y_from), (xr, b_to.y), (b_to.x + side * W / 2, b_to.y)], lw=1.1)

    # encoder
    ex = 2.3
    title(ax, 0.25, 8.3, "encoder block")
    src = box(ax, ex, 0.7, W, H, "source embeddings\n+ positions", "input", size=SMALL - 1)
    shape(ax, ex, 0.22, f"(B, Ts, {D_MODEL})")
    y = 1.9
    sa = sublayer(ex, y, "self-attention", "attention", "padding (source)", None)
    arrow(ax, src.top, sa.bottom)
    label(ax, ex - W / 2 - 0.05, y - 0.48, "Q = K = V", size=SMALL - 2, color=MUTED, ha="left")
    n1 = add_norm(ex, 2.85)
    arrow(ax, sa.top, n1.bottom)
    residual(ex, 1.3, n1)
    ff = sublayer(ex, 3.95, "feed-forward", "plain")
    label(ax, ff.right[0] + 0.12, 3.95, "Dense(relu),\nDense(64)", size=SMALL - 1.5, family=MONO, ha="left")
    arrow(ax, n1.top, ff.bottom)
    n2 = add_norm(ex, 4.9)
    arrow(ax, ff.top, n2.bottom)
    residual(ex, 3.35, n2)
    enc = box(ax, ex, 6.2, W, H, "encoder output", "state", size=SMALL)
    arrow(ax, n2.top, enc.bottom)
    shape(ax, ex, 6.2 + 0.45, f"(B, Ts, {D_MODEL})")
    label(ax, ex, 5.5, "(blocks stacked N times)", size=SMALL - 1.5, color=MUTED)

    # decoder
    dx = 7.6
    ax.plot([5.15, 5.15], [0.1, 8.45], color="#CCCCCC", lw=1)
    title(ax, 5.4, 8.3, "decoder block")
    tgt = box(ax, dx, 0.7, W, H, "target embeddings + positions\n(shifted right)", "input", size=SMALL - 1.5)
    shape(ax, dx + W / 2 + 0.1, 0.7, f"(B, Tt, {D_MODEL})", ha="left", size=SMALL - 1)
    y = 1.9
    csa = sublayer(dx, y, "causal self-attention", "attention", "causal + padding", None)
    label(ax, dx - W / 2 - 0.05, y - 0.48, "Q = K = V", size=SMALL - 2, color=MUTED, ha="left")
    label(ax, csa.right[0] + 0.42, y - 0.38, "(target)", size=SMALL - 1, family=MONO, ha="left")
    arrow(ax, tgt.top, csa.bottom)
    m1 = add_norm(dx, 2.85)
    arrow(ax, csa.top, m1.bottom)
    residual(dx, 1.3, m1, side=1)
    ca = sublayer(dx, 3.95, "cross-attention", "attention", "padding (source)", None)
    arrow(ax, m1.top, ca.bottom)
    label(ax, dx - 0.1, 3.42 + 0.02, "Q: decoder", size=SMALL - 2, color=MUTED, ha="right")
    m2 = add_norm(dx, 4.9)
    arrow(ax, ca.top, m2.bottom)
    residual(dx, 3.35, m2, side=1)
    ff2 = sublayer(dx, 5.95, "feed-forward", "plain")
    arrow(ax, m2.top, ff2.bottom)
    m3 = add_norm(dx, 6.9)
    arrow(ax, ff2.top, m3.bottom)
    residual(dx, 5.4, m3, side=1)
    sm = box(ax, dx, 7.8, W, 0.45, "Dense(V_tgt), softmax", "output", size=SMALL - 1, family=MONO)
    arrow(ax, m3.top, sm.bottom)
    label(ax, dx + W / 2 + 0.12, 7.8, "next-token probabilities,\nafter the last block", size=SMALL - 1.5,
          color=MUTED, ha="left")
    # the encoder output feeds the keys and values of the cross-attention
    polyline(ax, [enc.right, (5.6, 6.2), (5.6, 3.95), ca.left], color=green, lw=1.8)
    label(ax, 5.7, 4.3, "K, V:", size=SMALL - 1.5, color=green, ha="left")
    label(ax, 5.7, 4.1 - 0.05, "encoder", size=SMALL - 1.5, color=green, ha="left")

    # the masks
    yk = 7.95
    label(ax, 0.25, yk, "masks (True = may attend):", size=SMALL, weight="bold", ha="left")
    notes = ["padding: no query looks at a padded source key",
             "causal: position i sees target positions ≤ i only,",
             "   so training matches one-token-at-a-time decoding"]
    for i, n in enumerate(notes):
        label(ax, 0.25, yk - 0.27 * (i + 1), n, size=SMALL - 1.5, ha="left")
    label(ax, 10.85, 0.2, f"d_model = {D_MODEL}, {HEADS} heads; residual: x + sublayer(x), then LayerNormalization",
          size=SMALL - 1.5, color=MUTED, ha="right")
    return fig


def recurrent_vs_attention() -> Figure:
    """A recurrent chain (T sequential steps) beside all-pairs self-attention (one step, T x T scores)."""
    T = 6
    fig, ax = canvas(11, 4.5)
    green, gold = ROLES["state"].edge, ROLES["attention"].edge

    # left: the recurrent chain
    title(ax, 0.25, 4.2, "recurrent layer")
    xs = [0.75 + 0.82 * i for i in range(T)]
    y_x, y_h = 1.2, 2.6
    hs = []
    for i, x in enumerate(xs):
        xb = box(ax, x, y_x, 0.5, 0.4, rf"$x_{i + 1}$", "input")
        hb = box(ax, x, y_h, 0.5, 0.45, rf"$h_{i + 1}$", "state")
        arrow(ax, xb.top, hb.bottom)
        label(ax, x, y_h + 0.5, f"{i + 1}", size=SMALL - 1, color=MUTED)
        hs.append(hb)
    for a, b in zip(hs, hs[1:]):
        arrow(ax, a.right, b.left, color=green, lw=1.8)
    label(ax, xs[0] - 0.3, y_h + 0.5, "step", size=SMALL - 1, color=MUTED, ha="right")
    label(ax, (xs[0] + xs[-1]) / 2, 3.75, f"{T} sequential steps", size=13, weight="bold")
    label(ax, (xs[0] + xs[-1]) / 2, 3.45, r"$h_t$ needs $h_{t-1}$: step t waits for step t − 1", size=SMALL,
          color=MUTED)
    label(ax, (xs[0] + xs[-1]) / 2, 0.55, f"from x1 to h{T}: a path of {T - 1} recurrent steps", size=SMALL - 1,
          color=MUTED)

    # right: self-attention, every position with every position
    ax.plot([5.5, 5.5], [0.35, 4.35], color="#CCCCCC", lw=1)
    title(ax, 5.75, 4.2, "self-attention layer")
    xs2 = [6.05 + 0.66 * i for i in range(T)]
    y_in, y_out = 1.2, 2.8
    for xa in xs2:
        for xb in xs2:
            ax.plot([xa, xb], [y_in + 0.2, y_out - 0.22], color=gold, lw=0.9, alpha=0.75, zorder=1)
    for i, x in enumerate(xs2):
        box(ax, x, y_in, 0.5, 0.4, rf"$x_{i + 1}$", "input")
        box(ax, x, y_out, 0.5, 0.45, rf"$z_{i + 1}$", "attention")
    label(ax, (xs2[0] + xs2[-1]) / 2, 3.75, f"1 parallel step, {T * T} scores", size=13, weight="bold")
    label(ax, (xs2[0] + xs2[-1]) / 2, 3.45, "every output looks at every input at once", size=SMALL, color=MUTED)
    label(ax, (xs2[0] + xs2[-1]) / 2, 0.55, "from any position to any other: one step", size=SMALL - 1,
          color=MUTED)
    # the T x T score matrix: one matrix product
    c = 0.16
    gx, gy = 9.9, 1.5
    grid(ax, gx, gy, T, T, c, fill=ROLES["attention"].fill, edge=gold, lines=gold, lw=0.5)
    label(ax, gx + T * c / 2, gy - 0.2, f"{T} × {T}", size=SMALL - 1, family=MONO, color=MUTED)
    label(ax, gx + T * c / 2, gy + T * c + 0.35, "scores:", size=SMALL - 1.5, color=MUTED)
    label(ax, gx + T * c / 2, gy + T * c + 0.15, r"$QK^\top$", size=SMALL - 1.5, color=MUTED)
    label(ax, 5.5, 0.15, f"T = {T}. The recurrent layer does T small steps one after another; attention does "
          f"T × T = {T * T} dot products as one matrix product (its cost grows as T², but in parallel)",
          size=SMALL - 2, color=MUTED)
    return fig


FIGURES = {"scaled_dot_product_attention": scaled_dot_product_attention, "transformer_blocks": transformer_blocks,
           "recurrent_vs_attention": recurrent_vs_attention}
