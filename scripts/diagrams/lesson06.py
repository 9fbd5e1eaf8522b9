"""Lesson 06: addition."""

from __future__ import annotations

from matplotlib.figure import Figure

from .common import MONO, MUTED, ROLES, SMALL, arrow, box, canvas, label, legend, shape, title, visible


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


FIGURES = {"addition_seq2seq": addition_seq2seq}
