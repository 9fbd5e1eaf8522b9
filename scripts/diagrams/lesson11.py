"""Lesson 11: listening to sequences (spectrograms, CTC, trigger-word detection)."""

from __future__ import annotations

import itertools

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Rectangle

from .common import MONO, MUTED, ROLES, SMALL, arrow, box, brace, canvas, label, shape, title

SPEECH = dict(SAMPLE_RATE=8000, FRAME_LENGTH=200, FRAME_STEP=80, FFT_LENGTH=256)  # lesson 11's spectrogram


def _hann(length: int) -> np.ndarray:
    """The periodic Hann window of tf.signal.stft (and course_utils.audio) for an even length."""
    return 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(length) / length)


def spectrogram_framing() -> Figure:
    """A waveform cut into overlapping frames, each windowed, FFT'd and turned into one spectrogram column."""
    SR, L, STEP, NFFT = SPEECH["SAMPLE_RATE"], SPEECH["FRAME_LENGTH"], SPEECH["FRAME_STEP"], SPEECH["FFT_LENGTH"]
    N_FRAMES = 6  # frames drawn
    BINS = NFFT // 2 + 1
    assert BINS == 129
    n_samples = (N_FRAMES - 1) * STEP + L + 40  # a little past the last frame
    frames_per_second = 1 + (SR - L) // STEP
    assert frames_per_second == 98

    # an illustrative waveform: a tone rising from 300 to 700 Hz with two harmonics, and a little noise
    t = np.arange(n_samples) / SR
    f0 = 300 + 400 * t / t[-1]
    phase = 2 * np.pi * np.cumsum(f0) / SR
    rng = np.random.default_rng(11)
    envelope = 0.55 + 0.45 * np.sin(np.pi * t / t[-1])
    wave = (np.sin(phase) + 0.5 * np.sin(3 * phase) + 0.3 * np.sin(5 * phase)) * envelope
    wave = wave + 0.08 * rng.standard_normal(n_samples)
    wave = wave / np.abs(wave).max()
    window = _hann(L)
    frames = np.stack([wave[k * STEP:k * STEP + L] for k in range(N_FRAMES)])
    mags = np.abs(np.fft.rfft(frames * window, n=NFFT))  # (frames, 129)
    assert mags.shape == (N_FRAMES, BINS)
    logm = np.log(mags + 1e-3)
    logm = (logm - logm.min()) / (logm.max() - logm.min())

    fig, ax = canvas(11, 7.6)
    blue = ROLES["input"]
    title(ax, 0.25, 7.3, "from a waveform to a spectrogram: frame, window, FFT, one column per frame")
    x0, s = 0.9, 0.012  # inches per sample

    def xs(sample):
        return x0 + sample * s

    # the waveform and its time axis
    y_w, amp = 5.95, 0.38
    ax.plot(xs(np.arange(n_samples)), y_w + amp * wave, color=blue.edge, lw=0.8, zorder=3)
    y_ax = y_w - amp - 0.08
    ax.plot([xs(0), xs(n_samples)], [y_ax] * 2, color="#888888", lw=0.8, zorder=2)
    for ms in range(0, 1000 * n_samples // SR + 1, 10):
        xm = xs(ms * SR / 1000)
        ax.plot([xm, xm], [y_ax, y_ax - 0.06], color="#888888", lw=0.8)
    label(ax, xs(n_samples) + 0.12, y_ax - 0.02, "10 ms ticks", size=SMALL - 2, color=MUTED, ha="left")
    label(ax, xs(n_samples) + 0.12, y_w + 0.12, "waveform", size=SMALL, ha="left")
    label(ax, xs(n_samples) + 0.12, y_w - 0.14, f"{SR:,} samples/s", size=SMALL - 1, family=MONO, color=MUTED,
          ha="left")
    brace(ax, xs(0), xs(L), y_w + amp + 0.12, f"frame_length = {L} samples ({1000 * L // SR} ms): one frame")

    # the frames, staggered on three levels because they overlap
    levels = [4.85, 4.57, 4.29]
    hx = np.linspace(0, L, 60)
    for k in range(N_FRAMES):
        y = levels[k % 3]
        a, b = xs(k * STEP), xs(k * STEP + L)
        ax.add_patch(Rectangle((a, y - 0.1), b - a, 0.2, facecolor=blue.fill, edgecolor=blue.edge, lw=1.0, zorder=3))
        ax.plot(xs(k * STEP + hx), y - 0.1 + 0.19 * _hann(L)[np.minimum(hx.astype(int), L - 1)], color=blue.edge,
                lw=0.9, zorder=4)
        label(ax, a - 0.06, y, str(k + 1), size=SMALL - 2, color=MUTED, ha="right")
    label(ax, xs(n_samples) + 0.12, levels[1], "overlapping frames\n(Hann window drawn)", size=SMALL - 1,
          color=MUTED, ha="left")
    # the hop: from the start of frame 1 to the start of frame 2
    y_hop = 5.2
    for k in (0, 1):
        ax.plot([xs(k * STEP)] * 2, [y_hop, levels[k] + 0.1], color=MUTED, lw=0.9, ls=(0, (2, 1.5)), zorder=2)
    arrow(ax, (xs(0), y_hop), (xs(STEP), y_hop), color=MUTED, lw=1.0, both=True)
    label(ax, xs(STEP) + 0.1, y_hop, f"frame_step = {STEP} samples ({1000 * STEP // SR} ms): a new frame every "
          f"{STEP} samples, so neighbours share {L - STEP}", size=SMALL, color=MUTED, ha="left")

    # per frame: windowed samples, |FFT|, one column
    centres = [xs(k * STEP + L / 2) for k in range(N_FRAMES)]
    y_win, y_fft, y_col, col_h, col_w = 3.6, 2.72, 0.6, 1.55, 0.42
    for k, xc in enumerate(centres):
        arrow(ax, (xc, levels[-1] - 0.2), (xc, y_win + 0.27), color="#999999", lw=0.9)
        box(ax, xc, y_win, 0.84, 0.52, "", "input", lw=1.0)
        seg = frames[k] * window
        ax.plot(np.linspace(xc - 0.38, xc + 0.38, L), y_win + 0.22 * seg, color=blue.edge, lw=0.6, zorder=4)
        arrow(ax, (xc, y_win - 0.26), (xc, y_fft + 0.19), lw=1.0)
        box(ax, xc, y_fft, 0.78, 0.38, "|FFT|", "plain", size=SMALL - 1)
        arrow(ax, (xc, y_fft - 0.19), (xc, y_col + col_h + 0.02), lw=1.0)
        # the column: 129 bins, low frequencies at the bottom, shaded by log magnitude (three bins per band drawn)
        bands = logm[k, :BINS - 1].reshape(-1, 4).mean(axis=1)
        bh = col_h / len(bands)
        for j, v in enumerate(bands):
            ax.add_patch(Rectangle((xc - col_w / 2, y_col + j * bh), col_w, bh, facecolor=blue.edge, alpha=float(v),
                                   lw=0, zorder=3))
        ax.add_patch(Rectangle((xc - col_w / 2, y_col), col_w, col_h, fill=False, edgecolor=blue.edge, lw=1.0,
                               zorder=4))
        label(ax, xc, y_col - 0.17, f"t = {k + 1}", size=SMALL - 1.5, color=MUTED)
    left = centres[0] - col_w / 2 - 0.08
    label(ax, left, y_col + col_h - 0.05, f"{SR // 2:,} Hz", size=SMALL - 1.5, color=MUTED, ha="right")
    label(ax, left, y_col + 0.05, "0 Hz", size=SMALL - 1.5, color=MUTED, ha="right")
    label(ax, left, y_col + col_h / 2, "frequency", size=SMALL - 1.5, color=MUTED, ha="right")

    xn = centres[-1] + 0.62
    label(ax, xn, y_win + 0.1, f"× Hann window ({L} samples)", size=SMALL, ha="left")
    label(ax, xn, y_win - 0.16, "the frame's ends fade to 0", size=SMALL - 1.5, color=MUTED, ha="left")
    label(ax, xn, y_fft + 0.1, f"magnitude of the FFT, fft_length = {NFFT}", size=SMALL, ha="left")
    label(ax, xn, y_fft - 0.16, f"{L} samples + {NFFT - L} zeros", size=SMALL - 1.5, color=MUTED, ha="left",
          family=MONO)
    label(ax, xn, y_col + 1.28, "one column per frame:", size=SMALL, ha="left")
    label(ax, xn, y_col + 1.0, f"{NFFT} // 2 + 1 = {BINS} frequency bins,", size=SMALL, ha="left")
    label(ax, xn, y_col + 0.74, f"0 to {SR // 2:,} Hz, {SR / NFFT:g} Hz apart", size=SMALL, ha="left")
    shape(ax, xn, y_col + 0.4, f"spectrogram: (frames, {BINS})", ha="left")
    shape(ax, xn, y_col + 0.13, f"1 s: 1 + ({SR} - {L}) // {STEP} = {frames_per_second}", ha="left",
          size=SMALL - 1.5)
    shape(ax, xn, y_col - 0.1, f"-> ({frames_per_second}, {BINS})", ha="left", size=SMALL - 1.5)
    label(ax, 0.25, 0.12, "illustrative waveform (a rising tone with harmonics); the columns are its log magnitudes, "
          "computed, drawn four bins per shaded band", size=SMALL - 1.5, color=MUTED, ha="left")
    return fig


# --------------------------------------------------------------------------------------
# CTC
# --------------------------------------------------------------------------------------

BLANK = "_"


def _collapse(path: list[str]) -> list[str]:
    """CTC's rule: merge runs of a repeated symbol, then drop the blanks."""
    merged = [c for i, c in enumerate(path) if i == 0 or c != path[i - 1]]
    return [c for c in merged if c != BLANK]


def _extended(label_: list[str]) -> list[str]:
    out = [BLANK]
    for c in label_:
        out += [c, BLANK]
    return out


def _moves(ext: list[str], s: int) -> list[int]:
    """Rows reachable from row s at the next frame: stay, advance one, skip a blank between different symbols."""
    nxt = [s, s + 1]
    if s + 2 < len(ext) and ext[s + 2] != BLANK and ext[s + 2] != ext[s]:
        nxt.append(s + 2)
    return [r for r in nxt if r < len(ext)]


def ctc_lattice() -> Figure:
    """The CTC lattice of the label "1 1 2" over T = 8 frames: rows the label with blanks, the allowed moves,
    the forbidden skip between the two 1s, and one valid alignment."""
    LABEL = ["1", "1", "2"]
    T = 8
    PATH = ["_", "1", "_", "1", "1", "2", "2", "_"]  # the alignment highlighted
    ext = _extended(LABEL)
    S = len(ext)
    assert "".join(ext) == "_1_1_2_"
    assert len(PATH) == T and _collapse(PATH) == LABEL, "the highlighted path must collapse to the label"

    # forward / backward reachability: which (frame, row) nodes lie on some valid path
    fwd = np.zeros((T, S), dtype=np.int64)
    fwd[0, 0] = fwd[0, 1] = 1
    for t in range(T - 1):
        for s in range(S):
            if fwd[t, s]:
                for r in _moves(ext, s):
                    fwd[t + 1, r] += fwd[t, s]
    bwd = np.zeros((T, S), dtype=np.int64)
    bwd[T - 1, S - 1] = bwd[T - 1, S - 2] = 1
    for t in range(T - 2, -1, -1):
        for s in range(S):
            bwd[t, s] = sum(bwd[t + 1, r] for r in _moves(ext, s))
    n_paths = int(fwd[T - 1, S - 1] + fwd[T - 1, S - 2])
    alive = (fwd > 0) & (bwd > 0)

    # the highlighted path as rows, checked move by move against the rules
    rows, s = [], None
    for t, c in enumerate(PATH):
        options = [0, 1] if t == 0 else _moves(ext, s)
        matches = [r for r in options if ext[r] == c]
        assert len(matches) == 1, f"frame {t + 1}: {c!r} is not reachable"
        s = matches[0]
        rows.append(s)
    assert rows[-1] >= S - 2, "the path must end on the last symbol or the final blank"
    assert any(b - a == 2 for a, b in zip(rows, rows[1:])), "the drawn path is meant to show an allowed skip"

    # brute force: the number of the 3^T paths over {_, 1, 2} that collapse to the label equals the lattice count
    brute = sum(1 for p in itertools.product("_12", repeat=T) if _collapse(list(p)) == LABEL)
    assert brute == n_paths, (brute, n_paths)
    min_frames = len(LABEL) + sum(a == b for a, b in zip(LABEL, LABEL[1:]))

    fig, ax = canvas(11, 7.2)
    purple, grey = ROLES["output"].edge, "#9A9A9A"
    title(ax, 0.25, 6.9, f"the CTC lattice of the label \"{' '.join(LABEL)}\" over T = {T} frames")
    x0, dx, y0, dy, r = 1.55, 0.78, 5.65, 0.74, 0.13

    def at(t, s_):
        return (x0 + t * dx, y0 - s_ * dy)

    for t in range(T):
        label(ax, at(t, 0)[0], y0 + 0.42, str(t + 1), size=SMALL, color=MUTED)
    label(ax, (at(0, 0)[0] + at(T - 1, 0)[0]) / 2, y0 + 0.72, "frame t", size=SMALL, color=MUTED)
    label(ax, 0.35, y0 - (S - 1) * dy / 2, "label with blanks", size=SMALL, color=MUTED, rotation=90)
    for s_, c in enumerate(ext):
        box(ax, 0.9, at(0, s_)[1], 0.36, 0.36, c, "plain" if c == BLANK else "loss", family=MONO, size=SMALL)

    # all allowed moves between nodes on valid paths
    on_path = set(zip(range(T), rows))
    for t in range(T - 1):
        for s_ in range(S):
            if not alive[t, s_]:
                continue
            for r_ in _moves(ext, s_):
                if alive[t + 1, r_] and not ((t, s_) in on_path and (t + 1, r_) in on_path):
                    arrow(ax, at(t, s_), at(t + 1, r_), color="#B5B5B5", lw=0.9, shrink=7.5)
    for t in range(T - 1):
        arrow(ax, at(t, rows[t]), at(t + 1, rows[t + 1]), color=purple, lw=2.6, shrink=7.5, zorder=3)
    for t in range(T):
        for s_ in range(S):
            on = (t, s_) in on_path
            ax.add_patch(Circle(at(t, s_), r, facecolor=purple if on else ("white" if alive[t, s_] else "#F6F6F6"),
                                edgecolor=purple if on else ("#333333" if alive[t, s_] else "#C8C8C8"), lw=1.1,
                                ls="-" if alive[t, s_] or on else (0, (2, 1.5)), zorder=4))

    # the forbidden skip between the two 1s (rows 1 -> 3), drawn where it would start from a live node
    tf_ = 0
    assert alive[tf_, 1] and 3 not in _moves(ext, 1)
    a, b = at(tf_, 1), at(tf_ + 1, 3)
    arrow(ax, a, b, color=ROLES["loss"].edge, lw=1.4, dashed=True, shrink=7.5, zorder=3)
    mx, my = (a[0] + b[0]) / 2 - 0.2, (a[1] + b[1]) / 2 - 0.1
    label(ax, mx, my, "✗", size=15, color=ROLES["loss"].edge, weight="bold")

    # the highlighted alignment, frame by frame, and what it collapses to
    y_p = 0.6
    label(ax, 0.9, y_p + 0.02, "path", size=SMALL, color=purple)
    for t, c in enumerate(PATH):
        box(ax, at(t, 0)[0], y_p, 0.4, 0.4, c, "output", family=MONO, size=SMALL)
    xe = at(T - 1, 0)[0] + 0.35
    arrow(ax, (xe, y_p), (xe + 0.55, y_p), color=purple)
    label(ax, xe + 0.65, y_p + 0.12, "merge repeats, drop blanks", size=SMALL - 1.5, color=MUTED, ha="left")
    label(ax, xe + 0.65, y_p - 0.15, " ".join(_collapse(PATH)) + "  ✓", size=SMALL + 1, family=MONO, ha="left",
          color=purple)

    # the rules
    xn, yn = 7.95, 5.7
    label(ax, xn, yn, "allowed moves, frame t → t + 1:", size=SMALL, weight="bold", ha="left")
    for i, text in enumerate(["stay on the same row", "go down one row",
                              "skip a blank: only between two", "  different symbols (1 → 2)"]):
        label(ax, xn + 0.1, yn - 0.3 - 0.26 * i, ("• " if not text.startswith("  ") else "   ") + text.strip(),
              size=SMALL - 1, ha="left")
    y2 = yn - 1.55
    label(ax, xn, y2, "✗ skipping the blank between", size=SMALL - 1, color=ROLES["loss"].edge, ha="left")
    label(ax, xn, y2 - 0.26, "the two 1s: they would merge", size=SMALL - 1, color=ROLES["loss"].edge, ha="left")
    label(ax, xn, y2 - 0.52, "into one 1 (\"1 1\" → \"1\")", size=SMALL - 1, color=ROLES["loss"].edge, ha="left")
    y3 = y2 - 0.95
    for i, text in enumerate(["start: blank or first symbol;", "end: last symbol or final blank",
                              f"{n_paths} paths collapse to \"1 1 2\":",
                              "CTC sums their probabilities",
                              f"the label needs ≥ {min_frames} frames: 1 _ 1 2"]):
        label(ax, xn, y3 - 0.26 * i, text, size=SMALL - 1, ha="left", color="black" if i < 4 else MUTED)
    # key
    yk = 1.75
    ax.add_patch(Circle((xn + 0.15, yk), r, facecolor=purple, edgecolor=purple, lw=1.1))
    label(ax, xn + 0.38, yk, "one valid alignment", size=SMALL - 1, ha="left")
    arrow(ax, (xn, yk - 0.32), (xn + 0.3, yk - 0.32), color="#B5B5B5", lw=0.9)
    label(ax, xn + 0.38, yk - 0.32, "the other allowed moves", size=SMALL - 1, ha="left")
    ax.add_patch(Circle((xn + 0.15, yk - 0.64), r, facecolor="#F6F6F6", edgecolor="#C8C8C8", lw=1.1,
                        ls=(0, (2, 1.5))))
    label(ax, xn + 0.38, yk - 0.64, "on no valid path", size=SMALL - 1, ha="left")
    return fig


# --------------------------------------------------------------------------------------
# Trigger-word labels
# --------------------------------------------------------------------------------------


def trigger_labels() -> Figure:
    """A stream with characters spoken at random times; frame labels 1 over a window after each trigger, against
    a single 1 per trigger."""
    SECONDS, N_FRAMES, WINDOW = 5.0, 50, 5  # illustrative: drawn at 10 frames per second
    TRIGGER = "A"
    SPOKEN = [("3", 0.35, 0.62), ("A", 1.05, 1.62), ("K", 2.15, 2.72), ("7", 3.0, 3.28), ("A", 3.75, 4.3)]
    assert all(a < b for _, a, b in SPOKEN)
    frame_s = SECONDS / N_FRAMES
    repeated = np.zeros(N_FRAMES, dtype=int)
    single = np.zeros(N_FRAMES, dtype=int)
    ends = [b for c, _, b in SPOKEN if c == TRIGGER]
    for end in ends:
        first = int(np.ceil(end / frame_s - 1e-9))  # the first frame that starts after the trigger ends
        repeated[first:first + WINDOW] = 1
        single[first] = 1
    assert repeated.sum() == WINDOW * len(ends) and single.sum() == len(ends)

    fig, ax = canvas(11, 5.6)
    blue, red = ROLES["input"], ROLES["loss"]
    title(ax, 0.25, 5.3, f"trigger-word labels: the trigger is \"{TRIGGER}\"")
    label(ax, 0.25, 4.95, "characters spoken at random times over noise; below, two ways to label its frames",
          size=SMALL, color=MUTED, ha="left")
    x0, x1 = 2.2, 10.6
    cw = (x1 - x0) / N_FRAMES

    def xt(sec):
        return x0 + (x1 - x0) * sec / SECONDS

    # the stream: background noise with a burst for each spoken character
    rng = np.random.default_rng(24)
    ts = np.linspace(0, SECONDS, 1400)
    env = np.full_like(ts, 0.08)
    for _, a, b in SPOKEN:
        inside = (ts >= a) & (ts <= b)
        env[inside] = 0.35 * np.sin(np.pi * (ts[inside] - a) / (b - a)) + 0.08
    y_w = 3.7
    ax.plot(xt(ts), y_w + env * rng.uniform(-1, 1, ts.size), color=blue.edge, lw=0.6, zorder=3)
    label(ax, 0.25, y_w + 0.08, "stream", ha="left")
    label(ax, 0.25, y_w - 0.18, "noise + spoken characters", size=SMALL - 2, color=MUTED, ha="left")
    for c, a, b in SPOKEN:
        trig = c == TRIGGER
        box(ax, xt((a + b) / 2), y_w + 0.7, max(0.34, xt(b) - xt(a)), 0.36, c,
            "loss" if trig else "input", family=MONO, size=SMALL, weight="bold" if trig else "normal",
            lw=2.0 if trig else 1.2)
    # time axis
    y_ax = y_w - 0.5
    ax.plot([x0, x1], [y_ax, y_ax], color="#888888", lw=0.8)
    for sec in range(int(SECONDS) + 1):
        ax.plot([xt(sec), xt(sec)], [y_ax, y_ax - 0.06], color="#888888", lw=0.8)
        label(ax, xt(sec), y_ax - 0.18, f"{sec} s", size=SMALL - 2, color=MUTED)

    # the two label rows
    rows = [(2.3, "repeated labels", f"1 for {WINDOW} frames after", repeated),
            (1.25, "single-frame label", "1 on one frame only", single)]
    for y, name, note, values in rows:
        label(ax, 0.25, y + 0.1, name, ha="left", size=SMALL)
        label(ax, 0.25, y - 0.16, note, ha="left", size=SMALL - 2, color=MUTED)
        for k, v in enumerate(values):
            box(ax, x0 + (k + 0.5) * cw, y, cw - 0.02, 0.34, str(v), "loss" if v else "plain", size=SMALL - 2.5,
                family=MONO, rounding=0.02, lw=0.7 if not v else 1.1, text_color="black" if v else "#8A8A8A")
        label(ax, x1 - 0.02, y - 0.32, f"{values.sum()} of {N_FRAMES} frames are 1", size=SMALL - 2,
              color=MUTED, ha="right")
    for end in ends:
        ax.plot([xt(end)] * 2, [1.0, y_w + 0.5], color=red.edge, lw=1.0, ls=(0, (3, 2)), zorder=2)
    first = int(np.ceil(ends[0] / frame_s - 1e-9))
    brace(ax, x0 + first * cw, x0 + (first + WINDOW) * cw, 2.55, f"{WINDOW} frames")
    label(ax, xt(ends[0]) - 0.05, 2.86, "trigger ends", size=SMALL - 2, color=red.edge, ha="right")
    label(ax, 0.25, 0.55, f"Illustrative: a {SECONDS:g} s stream drawn as {N_FRAMES} frames; the lesson's frames "
          "are finer and its window longer. Few frames are 1 (imbalanced data):", size=SMALL - 1.5, color=MUTED,
          ha="left")
    label(ax, 0.25, 0.3, "repeating the 1 gives the model more positive frames to learn from, and a "
          "detection a little late still lands on a 1.", size=SMALL - 1.5, color=MUTED, ha="left")
    return fig


FIGURES = {"spectrogram_framing": spectrogram_framing, "ctc_lattice": ctc_lattice,
           "trigger_labels": trigger_labels}
