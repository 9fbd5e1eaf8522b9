"""Corpus BLEU of 10,000 sentence pairs: course_utils.metrics vs sacrebleu, on the same pre-tokenized text.

sacrebleu receives the tokens joined by spaces with ``tokenize="none"`` (it splits on whitespace), our
``corpus_bleu`` receives the token lists. Both must give the same score. Each is timed as the best of 5 runs.
Run: ``.venv/bin/python benchmarks/bleu_speed.py``.
"""

from __future__ import annotations

import time

import numpy as np
import sacrebleu

from course_utils.metrics import corpus_bleu

N, REPEATS = 10_000, 5


def best_time(fn) -> tuple[float, object]:
    times, result = [], None
    for _ in range(REPEATS):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(500)]
    refs = [[str(w) for w in rng.choice(words, size=rng.integers(5, 30))] for _ in range(N)]
    hyps = []
    for ref in refs:  # a noisy copy of the reference: some words changed, some dropped
        hyp = [w if rng.random() > 0.3 else str(rng.choice(words)) for w in ref]
        hyps.append([w for w in hyp if rng.random() > 0.1] or [ref[0]])
    hyp_text = [" ".join(h) for h in hyps]
    ref_text = [[" ".join(r) for r in refs]]
    ours_s, ours = best_time(lambda: corpus_bleu(hyps, [[r] for r in refs]))
    theirs_s, theirs = best_time(lambda: sacrebleu.corpus_bleu(hyp_text, ref_text, tokenize="none", smooth_method="none"))
    assert abs(ours.score - theirs.score / 100) < 1e-9, (ours.score, theirs.score)
    print(f"BLEU = {100 * ours.score:.4f} (course_utils) / {theirs.score:.4f} (sacrebleu)")
    print(f"course_utils.metrics.corpus_bleu: {ours_s * 1000:7.1f} ms for {N} sentence pairs")
    print(f"sacrebleu.corpus_bleu           : {theirs_s * 1000:7.1f} ms")
    print(f"ratio sacrebleu / course_utils  : {theirs_s / ours_s:.2f} (target: at least 1.0)")


if __name__ == "__main__":
    main()
