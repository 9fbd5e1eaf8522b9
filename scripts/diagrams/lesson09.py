"""Lesson 09: BLEU."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from .common import FONT, MONO, MUTED, ROLES, SMALL, box, canvas, label, text_width


def bleu_clipping() -> Figure:
    """Papineni's example as a table: candidate counts, each reference's counts, the max, the clipped count."""
    from course_utils.metrics import ngram_counts

    candidate = "the the the the the the the".split()
    references = ["the cat is on the mat".split(), "there is a cat on the mat".split()]
    fig, ax = canvas(11, 4.0)
    purple = ROLES["output"].edge

    def sentence(y, name, words):
        label(ax, 2.2, y, name, ha="right")
        x = 2.4
        for word in words:
            hit = word == "the"
            t = label(ax, x, y, word, size=FONT + 1, ha="left", family=MONO, color=purple if hit else "black",
                      weight="bold" if hit else "normal")
            x += text_width(ax, t) + 0.16

    sentence(3.65, "candidate", candidate)
    sentence(3.2, "reference 1", references[0])
    sentence(2.75, "reference 2", references[1])

    cand = ngram_counts(candidate, 1)
    per_ref = [ngram_counts(r, 1) for r in references]
    headers = ["unigram", "count in\ncandidate", "count in\nreference 1", "count in\nreference 2",
               "max count in\none reference", "clipped count\nmin(count, max)"]
    rows = []
    for gram, count in cand.items():
        most = max(r[gram] for r in per_ref)
        rows.append([" ".join(gram), count, *(r[gram] for r in per_ref), most, min(count, most)])
    total = sum(cand.values())
    clipped = sum(r[-1] for r in rows)
    widths = [1.3, 1.45, 1.55, 1.55, 1.75, 1.95]
    xs = np.cumsum([0.75] + widths)
    y0, rh = 1.95, 0.62
    for k, text in enumerate(headers):
        box(ax, (xs[k] + xs[k + 1]) / 2, y0, widths[k] - 0.04, rh, text, "plain", size=SMALL, rounding=0.02,
            lw=1.0, fill="#F2F2F2")
    for r, row in enumerate(rows):
        y = y0 - (r + 1) * rh * 0.85
        for k, value in enumerate(row):
            box(ax, (xs[k] + xs[k + 1]) / 2, y, widths[k] - 0.04, rh * 0.75, str(value),
                "output" if k == len(row) - 1 else "plain", size=FONT + 1, rounding=0.02, lw=1.0,
                family=MONO if k == 0 else None)
    y = y0 - (len(rows) + 1) * rh * 0.85 - 0.2
    label(ax, 5.5, y, rf"clipped unigram precision $p_1$ = {clipped} / {total} = {clipped / total:.3f}"
          f"      (without clipping: {total} / {total} = 1)", size=FONT + 1)
    label(ax, 5.5, y - 0.42, "an n-gram counts at most as often as it appears in one reference; the total is every "
          "n-gram of the candidate, repeats included", size=SMALL - 0.5, color=MUTED)
    return fig


FIGURES = {"bleu_clipping": bleu_clipping}
