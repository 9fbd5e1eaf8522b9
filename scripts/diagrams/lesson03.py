"""Lesson 03: language models."""

from __future__ import annotations

from matplotlib.figure import Figure

from .common import MONO, MUTED, ROLES, SMALL, arrow, box, brace, canvas, label, legend, polyline, shape, title, visible


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


FIGURES = {"lm_inputs_targets": lm_inputs_targets, "lm_generation": lm_generation}
