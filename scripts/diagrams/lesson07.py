"""Lesson 07: translation."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from .common import FONT, MONO, MUTED, ROLES, SMALL, arrow, box, brace, canvas, label, polyline, shape, title


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


FIGURES = {"teacher_forcing": teacher_forcing, "inference_models": inference_models}
