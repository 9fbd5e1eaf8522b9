"""Lesson 01: recurrent networks."""

from __future__ import annotations

from matplotlib.figure import Figure

from .common import (
    FLOW, FONT, MUTED, ROLES, SMALL, arrow, box, brace, canvas, label, legend, op, pill, polyline, shape,
    text_width, title,
)


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
        label(ax, ox + text_width(ax, t) + 0.25, oy + 2.95, example, size=SMALL, color=MUTED, ha="left")
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


FIGURES = {"rnn_unrolled": rnn_unrolled, "rnn_patterns": rnn_patterns, "bptt": bptt}
