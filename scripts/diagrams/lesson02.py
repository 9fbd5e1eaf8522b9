"""Lesson 02: LSTM and GRU."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyBboxPatch, Rectangle

from .common import (
    FLOW, FONT, MONO, MUTED, ROLES, SMALL, arrow, box, brace, canvas, grid, label, legend, op, polyline, shape,
    text_width, title,
)


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
    T, D, U = 7, 3, 16  # lesson 02, section 6
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

    MAXLEN, EMBED, UNITS = 80, 8, 16  # lesson 02, section 7
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
        x += 0.34 + text_width(ax, t) + 0.32
    return fig


FIGURES = {
    "lstm_cell": lstm_cell,
    "gru_cell": gru_cell,
    "keras_kernels": keras_kernels,
    "stacked_bidirectional": stacked_bidirectional,
    "padding_mask": padding_mask,
}
