"""Exercises of the attention, BLEU and beam-search lessons: every reference passes its checker, and each typical
wrong answer, written the way a learner would write it, gets its own message."""

import math
from collections import Counter

import numpy as np
import pytest

from course_utils.checks import lesson08, lesson09, lesson10


def message(exercise, answer) -> str:
    result = exercise.evaluate(answer)
    assert not result.passed, f"{exercise.name}: a wrong answer passed"
    return result.message


@pytest.mark.parametrize(
    "exercise",
    [lesson08.additive_scores, lesson08.masked_attention, lesson08.bahdanau_step, lesson08.attention_backward],
    ids=lambda ex: ex.name,
)
def test_lesson08_references_pass(exercise):
    result = exercise.evaluate(exercise.reference)
    assert result.passed, result.message


# --- lesson 08: the additive score ---------------------------------------------------------------------


def test_additive_scores_mistakes_are_named():
    ex = lesson08.additive_scores

    def softmaxed(q, v, wq, wv, vec):
        s = np.tanh((q @ wq)[:, None] + (v @ wv)[None]) @ vec
        e = np.exp(s - s.max(1, keepdims=True))
        return e / e.sum(1, keepdims=True)

    assert "softmax weights" in message(ex, softmaxed)
    assert "tanh is missing" in message(ex, lambda q, v, wq, wv, vec: ((q @ wq)[:, None] + (v @ wv)[None]) @ vec)
    assert "before the dot product" in message(
        ex, lambda q, v, wq, wv, vec: np.tanh(((q @ wq)[:, None] + (v @ wv)[None]) @ vec)
    )
    assert "transposed" in message(ex, lambda q, v, wq, wv, vec: np.tanh((q @ wq)[None] + (v @ wv)[:, None]) @ vec)

    # a learner's swapped code, as written: it runs when the sizes agree and raises a shape error otherwise
    assert "swapped" in message(ex, lambda q, v, wq, wk, vec: np.tanh((q @ wk)[:, None] + (v @ wq)[None]) @ vec)
    assert "w_keys (W_k)" in message(ex, lambda q, v, wq, wk, vec: np.tanh((q @ wq)[:, None] + (v @ wq)[None]) @ vec)
    assert "not written yet" in message(ex, lambda *a: (_ for _ in ()).throw(NotImplementedError))


# --- lesson 08: masked attention over a batch ----------------------------------------------------------


def _softmax(s, axis=-1):
    e = np.exp(s - s.max(axis, keepdims=True))
    return e / e.sum(axis, keepdims=True)


def test_masked_attention_mistakes_are_named():
    ex = lesson08.masked_attention
    scores = lambda q, v: q @ np.swapaxes(v, 1, 2)  # noqa: E731

    def no_exponentials(q, v, m):
        e = np.where(m[:, None, :], scores(q, v), 0.0)
        w = e / e.sum(-1, keepdims=True)
        return w @ v, w

    def mask_without_axis(q, v, m):
        w = _softmax(np.where(m, scores(q, v), -np.inf))  # (B, Tv) against (B, Tq, Tv)
        return w @ v, w

    def ignores_mask(q, v, m):
        w = _softmax(scores(q, v))
        return w @ v, w

    def zeroed_after_softmax(q, v, m):
        w = _softmax(scores(q, v)) * m[:, None, :]
        return w @ v, w

    def scaled(q, v, m):
        w = _softmax(np.where(m[:, None, :], scores(q, v) / np.sqrt(q.shape[-1]), -np.inf))
        return w @ v, w

    def wrong_axis(q, v, m):
        with np.errstate(invalid="ignore"):  # columns of padding are all -inf
            w = _softmax(np.where(m[:, None, :], scores(q, v), -np.inf), axis=1)
        w = np.where(m[:, None, :], np.nan_to_num(w), 0.0)
        return w @ v, w

    def context_from_scores(q, v, m):
        w = lesson08.masked_attention.reference(q, v, m)[1]
        return w.sum(-1, keepdims=True) * q, w

    assert "exponentials first" in message(ex, no_exponentials)
    assert "QUERY axis" in message(ex, mask_without_axis)
    assert "weight exactly 0" in message(ex, ignores_mask)
    assert "sum to 1" in message(ex, zeroed_after_softmax)
    assert "sqrt(D)" in message(ex, scaled)
    assert "wrong axis" in message(ex, wrong_axis)
    assert "weights @ values" in message(ex, context_from_scores)
    assert "(context, weights)" in message(ex, lambda q, v, m: ex.reference(q, v, m)[1])


# --- lesson 08: one step of Bahdanau's arrangement ----------------------------------------------------------


def _learner_step(order="bahdanau", softmax=True, context_in_cell=True, cat="yc", swap=False, cell_tanh=True,
                  context_of_keys=False):
    """A learner's step, written the way a learner would, with one mistake switched on."""

    def step(y_prev, s_prev, enc_states, w_q, w_k, v, w_in, w_rec, b):
        e_dim = len(y_prev)

        def attend(query):
            wq, wk = (w_k, w_q) if swap else (w_q, w_k)
            scores = np.tanh(query @ wq + enc_states @ wk) @ v
            weights = _softmax(scores) if softmax else scores
            return (weights @ (enc_states @ w_k) if context_of_keys else weights @ enc_states), weights

        if order == "luong":
            s_new = np.tanh(y_prev @ w_in[:e_dim] + s_prev @ w_rec + b)
            context, weights = attend(s_new)
            return s_new, context, weights
        context, weights = attend(s_prev)
        if not context_in_cell:
            pre = y_prev @ w_in[:e_dim] + s_prev @ w_rec + b
        else:
            x = np.concatenate([y_prev, context] if cat == "yc" else [context, y_prev])
            pre = x @ w_in + s_prev @ w_rec + b
        return (np.tanh(pre) if cell_tanh else pre), context, weights

    return step


def test_bahdanau_step_mistakes_are_named():
    ex = lesson08.bahdanau_step
    assert ex.evaluate(_learner_step()).passed
    assert "NEW state" in message(ex, _learner_step(order="luong"))
    assert "raw scores" in message(ex, _learner_step(softmax=False))
    assert "never reached the cell" in message(ex, _learner_step(context_in_cell=False))
    assert "in that order" in message(ex, _learner_step(cat="cy"))
    assert "swapped" in message(ex, _learner_step(swap=True))
    assert "tanh of the cell" in message(ex, _learner_step(cell_tanh=False))
    assert "encoder states themselves" in message(ex, _learner_step(context_of_keys=True))
    assert "(new_state, context, weights)" in message(ex, lambda *a: _learner_step()(*a)[:2])
    assert "not written yet" in message(ex, lambda *a: (_ for _ in ()).throw(NotImplementedError))


def test_lesson08_known_wrong_answers_fail():
    assert list(lesson08.KNOWN_WRONG) == [n for n in lesson08.__all__ if n != "luong_comparison"]
    for name, wrong in lesson08.KNOWN_WRONG.items():
        assert not getattr(lesson08, name).evaluate(wrong).passed, name


# --- lesson 08: the backward pass ------------------------------------------------------------------------


def _masked_weights(s, m):
    return _softmax(np.where(m[:, None, :], s, -np.inf))


def test_attention_backward_mistakes_are_named():
    ex = lesson08.attention_backward

    def grad_of_weights(s, m, v, g):
        w = _masked_weights(s, m)
        return g @ np.swapaxes(v, 1, 2), np.swapaxes(w, 1, 2) @ g

    def diagonal_only(s, m, v, g):
        w = _masked_weights(s, m)
        return w * (g @ np.swapaxes(v, 1, 2)), np.swapaxes(w, 1, 2) @ g

    def unmasked(s, m, v, g):
        w = _softmax(s)
        gw = g @ np.swapaxes(v, 1, 2)
        return w * (gw - (w * gw).sum(-1, keepdims=True)), np.swapaxes(w, 1, 2) @ g

    def values_not_transposed(s, m, v, g):
        w = _masked_weights(s, m)
        return ex.reference(s, m, v, g)[0], np.swapaxes(g, 1, 2) @ w  # (B, D, Tv)

    def values_from_unmasked_weights(s, m, v, g):
        return ex.reference(s, m, v, g)[0], np.swapaxes(_softmax(s), 1, 2) @ g

    assert "dL/dweights" in message(ex, grad_of_weights)
    assert "diagonal" in message(ex, diagonal_only)
    assert "WITHOUT the mask" in message(ex, unmasked)
    assert "transposing" in message(ex, values_not_transposed)
    assert "unmasked weights" in message(ex, values_from_unmasked_weights)


def test_attention_backward_reference_matches_the_tape():
    rng = np.random.default_rng(0)
    s, v, g = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 4, 5)), rng.normal(size=(2, 3, 5))
    m = np.array([[1, 1, 1, 0], [1, 1, 0, 0]], dtype=bool)
    got = lesson08.attention_backward.reference(s, m, v, g)
    want = lesson08._tape_gradients(s, m, v, g)
    assert np.allclose(got[0], want[0]) and np.allclose(got[1], want[1])


# --- lesson 09: BLEU --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "exercise",
    [lesson09.clipped_counts, lesson09.brevity_penalty, lesson09.corpus_bleu, lesson09.zero_bleu,
     lesson09.exp_smoothing, lesson09.paired_bootstrap, lesson09.stream_bleu],
    ids=lambda ex: ex.name,
)
def test_lesson09_references_pass(exercise):
    result = exercise.evaluate(exercise.reference)
    assert result.passed, result.message


def _grams(tokens, n):
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def _clipped(hyp, refs, n, combine=max, total=lambda h, n: max(0, len(h) - n + 1)):
    counts = [_grams(r, n) for r in refs]
    matches = sum(min(c, combine(rc[g] for rc in counts)) for g, c in _grams(hyp, n).items())
    return matches, total(hyp, n)


def test_clipped_counts_mistakes_are_named():
    ex = lesson09.clipped_counts
    unclipped = lambda counts: math.inf if any(list(counts)) else 0  # noqa: E731
    assert "no clipping" in message(ex, lambda h, refs, n: _clipped(h, refs, n, combine=unclipped))
    assert "SUM" in message(ex, lambda h, refs, n: _clipped(h, refs, n, combine=sum))
    assert "smallest" in message(ex, lambda h, refs, n: _clipped(h, refs, n, combine=min))
    assert "distinct" in message(ex, lambda h, refs, n: _clipped(h, refs, n, total=lambda h, n: len(_grams(h, n))))
    assert "ANY reference" in message(ex, lambda h, refs, n: _clipped(h, refs[:1], n))
    assert "off by one" in message(ex, lambda h, refs, n: _clipped(h, refs, n, total=lambda h, n: max(0, len(h) - n)))
    assert "negative" in message(ex, lambda h, refs, n: _clipped(h, refs, n, total=lambda h, n: len(h) - n + 1))


def test_brevity_penalty_mistakes_are_named():
    ex = lesson09.brevity_penalty
    assert "exp(1 - r/c)" in message(ex, lambda c, r: 1.0 if c >= r else 1 - c / r)
    assert "inverted" in message(ex, lambda c, r: 1.0 if c >= r else math.exp(1 - c / r))
    assert "divided by zero" in message(ex, lambda c, r: 1.0 if c > r else math.exp(1 - r / c))
    assert "BP is 1 when c > r" in message(ex, lambda c, r: math.exp(1 - r / c) if c else 0.0)


def _corpus_bleu(hyps, refs, ref_len=None, mean=None, bp=True):
    from course_utils.metrics import corpus_bleu as library

    ref_len = ref_len or (lambda c, lens: min(lens, key=lambda L: (abs(L - c), L)))
    matches, totals = [0] * 4, [0] * 4
    c = r = 0
    for h, rs in zip(hyps, refs):
        c += len(h)
        r += ref_len(len(h), [len(x) for x in rs])
        for n in range(1, 5):
            m, t = _clipped(h, rs, n)
            matches[n - 1] += m
            totals[n - 1] += t
    precisions = [m / t for m, t in zip(matches, totals)]
    penalty = (1.0 if c > r else math.exp(1 - r / c)) if bp else 1.0
    if mean == "arithmetic":
        return penalty * sum(precisions) / 4
    if mean == "sentences":
        return sum(library([h], [rs]).score for h, rs in zip(hyps, refs)) / len(hyps)
    return penalty * math.exp(sum(math.log(p) for p in precisions) / 4)


def test_corpus_bleu_mistakes_are_named():
    ex = lesson09.corpus_bleu
    assert "mean of sentence scores" in message(ex, lambda h, r: _corpus_bleu(h, r, mean="sentences"))
    assert "geometric mean" in message(ex, lambda h, r: _corpus_bleu(h, r, mean="arithmetic"))
    assert "brevity penalty is missing" in message(ex, lambda h, r: _corpus_bleu(h, r, bp=False))
    assert "the shortest" in message(ex, lambda h, r: _corpus_bleu(h, r, ref_len=lambda c, lens: min(lens)))
    assert "the longest" in message(ex, lambda h, r: _corpus_bleu(h, r, ref_len=lambda c, lens: max(lens)))
    assert "the first" in message(ex, lambda h, r: _corpus_bleu(h, r, ref_len=lambda c, lens: lens[0]))
    tie_longer = lambda c, lens: min(lens, key=lambda L: (abs(L - c), -L))  # noqa: E731
    assert "LONGER" in message(ex, lambda h, r: _corpus_bleu(h, r, ref_len=tie_longer))


def test_zero_bleu_mistakes_are_named():
    ex = lesson09.zero_bleu
    assert "not a string" in message(ex, "there is on the cat")
    assert "at least 4 tokens" in message(ex, "on the".split())
    assert "one of the references" in message(ex, "the cat is on the mat".split())
    assert "'dog' occurs in no reference" in message(ex, "the dog is on the mat".split())
    assert "clipping" in message(ex, "the cat the cat".split())
    assert "pair 'mat the'" in message(ex, "on the mat the".split())
    assert "the 4-gram" in message(ex, "a cat on the mat".split())
    assert "no answer" in message(ex, ...)


def test_exp_smoothing_mistakes_are_named():
    ex = lesson09.exp_smoothing

    def smoothing(value):
        def fn(matches, totals):
            out, k = [], 0
            for n, (m, t) in enumerate(zip(matches, totals), start=1):
                k += m == 0
                out.append(m / t if m else value(k, n, t))
            return out

        return fn

    assert "must not stay at 0" in message(ex, lambda m, t: [a / b for a, b in zip(m, t)])
    assert "doubles" in message(ex, smoothing(lambda k, n, t: 1 / (2 * t)))
    assert "not 1 / total" in message(ex, smoothing(lambda k, n, t: 1 / (2 ** (k - 1) * t)))
    assert "divide by the order's total" in message(ex, smoothing(lambda k, n, t: 1 / 2**k))
    assert "not the order n" in message(ex, smoothing(lambda k, n, t: 1 / (2**n * t)))
    assert "percent" in message(ex, lambda m, t: [100 * p for p in ex.reference(m, t)])


def _stream_bleu(hyps, streams, misread=False, skip_none=True, combine=max, ref_len=None, scale=100, mean="geometric",
                 bp=True, total=lambda h, n: max(0, len(h) - n + 1)):  # fmt: skip
    ref_len = ref_len or (lambda c, lens: min(lens, key=lambda L: (abs(L - c), L)))
    if misread:
        refs_of = [[r.split() for r in s if r is not None] for s in streams]  # stream i taken as sentence i
    else:
        refs_of = [[s[i].split() for s in streams if (s[i] is not None or not skip_none)] for i in range(len(hyps))]
    matches, totals, c, r = [0] * 4, [0] * 4, 0, 0
    for text, refs in zip(hyps, refs_of):
        h = text.split()
        c += len(h)
        r += ref_len(len(h), [len(x) for x in refs])
        for n in range(1, 5):
            m, t = _clipped(h, refs, n, combine=combine, total=total)
            matches[n - 1] += m
            totals[n - 1] += t
    if min(matches) == 0:
        return 0.0, matches, totals, c, r
    precisions = [m / t for m, t in zip(matches, totals)]
    penalty = (1.0 if c > r else math.exp(1 - r / c)) if bp else 1.0
    average = sum(precisions) / 4 if mean == "arithmetic" else math.exp(sum(map(math.log, precisions)) / 4)
    return scale * penalty * average, matches, totals, c, r


def test_stream_bleu_mistakes_are_named():
    ex = lesson09.stream_bleu
    assert "STREAM" in message(ex, lambda h, s: _stream_bleu(h, s, misread=True))
    assert "None" in message(ex, lambda h, s: _stream_bleu(h, s, skip_none=False))
    assert "no clipping" in message(ex, lambda h, s: _stream_bleu(h, s, combine=lambda counts: math.inf if any(list(counts)) else 0))
    assert "SUM" in message(ex, lambda h, s: _stream_bleu(h, s, combine=sum))
    assert "repeats included" in message(ex, lambda h, s: _stream_bleu(h, s, total=lambda h, n: len(_grams(h, n))))
    assert "not negative" in message(ex, lambda h, s: _stream_bleu(h, s, total=lambda h, n: len(h) - n + 1))
    assert "the shortest" in message(ex, lambda h, s: _stream_bleu(h, s, ref_len=lambda c, lens: min(lens)))
    assert "the longest" in message(ex, lambda h, s: _stream_bleu(h, s, ref_len=lambda c, lens: max(lens)))
    assert "the first" in message(ex, lambda h, s: _stream_bleu(h, s, ref_len=lambda c, lens: lens[0]))
    tie_longer = lambda c, lens: min(lens, key=lambda L: (abs(L - c), -L))  # noqa: E731
    assert "LONGER" in message(ex, lambda h, s: _stream_bleu(h, s, ref_len=tie_longer))
    assert "0 and 100" in message(ex, lambda h, s: _stream_bleu(h, s, scale=1))
    assert "geometric mean" in message(ex, lambda h, s: _stream_bleu(h, s, mean="arithmetic"))
    assert "brevity penalty is missing" in message(ex, lambda h, s: _stream_bleu(h, s, bp=False))


def test_stream_bleu_reference_agrees_with_sacrebleu_on_random_corpora():
    for seed in range(50):
        hyps, streams = lesson09._random_corpus(seed)
        got = lesson09.stream_bleu.reference(hyps, streams)
        want = lesson09._sacrebleu_stats(hyps, streams)
        assert math.isclose(got[0], want[0], abs_tol=1e-9) and tuple(got[1:]) == tuple(want[1:])


# --- lesson 10: beam search ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "exercise",
    [lesson10.beam_step, lesson10.crossover_alpha, lesson10.batched_beam_step, lesson10.complete_beam_search],
    ids=lambda ex: ex.name,
)
def test_lesson10_references_pass(exercise):
    result = exercise.evaluate(exercise.reference)
    assert result.passed, result.message


def test_beam_step_mistakes_are_named():
    ex = lesson10.beam_step

    def forgets_history(scores, lp, width):
        flat = lp.reshape(-1)
        best = np.argsort(-flat)[:width]
        p, t = np.divmod(best, lp.shape[1])
        return p, t, flat[best]

    def best_token_per_hypothesis(scores, lp, width):
        tokens = lp.argmax(1)
        totals = scores + lp.max(1)
        order = np.argsort(-totals)[:width]
        return order, tokens[order], totals[order]

    def worst_first(scores, lp, width):
        p, t, s = ex.reference(scores, lp, width)
        return p[::-1], t[::-1], s[::-1]

    def divmod_by_k(scores, lp, width):
        flat = (scores[:, None] + lp).reshape(-1)
        best = np.argsort(-flat)[:width]
        p, t = np.divmod(best, len(scores))
        return p, t, flat[best]

    assert "own score" in message(ex, forgets_history)
    assert "only its best token" in message(ex, best_token_per_hypothesis)
    assert "best first" in message(ex, worst_first)
    assert "swapped" in message(ex, lambda s, lp, w: (ex.reference(s, lp, w)[1], ex.reference(s, lp, w)[0],
                                                      ex.reference(s, lp, w)[2]))
    assert "p // V" in message(ex, divmod_by_k)


def test_crossover_alpha_mistakes_are_named():
    ex = lesson10.crossover_alpha
    assert "sign is wrong" in message(ex, lambda a, m, b, n: math.log(a / b) / math.log(n / m))
    assert "domain error" in message(ex, lambda a, m, b, n: (math.log(b) - math.log(a)) / math.log(n / m))
    with np.errstate(invalid="ignore"):
        assert "got nan" in message(ex, lambda a, m, b, n: (np.log(b) - np.log(a)) / np.log(n / m))
    assert "as a logarithm" in message(ex, lambda a, m, b, n: math.log(b / a) / (n / m))
    assert "differences" in message(ex, lambda a, m, b, n: (b - a) / (n - m))


def test_batched_beam_step_mistakes_are_named():
    ex = lesson10.batched_beam_step

    def mixes_sources(scores, lp, width):
        s, k, v = lp.shape
        flat = (scores[:, :, None] + lp).reshape(-1)
        w = min(width, k * v)
        best = np.argsort(-flat)[: s * w]
        p, t = np.divmod(best, v)
        return p.reshape(s, w), t.reshape(s, w), flat[best].reshape(s, w)

    def forgets_history(scores, lp, width):
        return ex.reference(np.zeros_like(scores), lp, width)

    def best_token_per_hypothesis(scores, lp, width):
        totals = scores + lp.max(2)  # (S, k)
        order = np.argsort(-totals, axis=1)[:, :width]
        return order, np.take_along_axis(lp.argmax(2), order, 1), np.take_along_axis(totals, order, 1)

    def worst_first(scores, lp, width):
        return tuple(a[:, ::-1] for a in ex.reference(scores, lp, width))

    def divmod_by_k(scores, lp, width):
        p, t, sc = ex.reference(scores, lp, width)
        return (*np.divmod(p * lp.shape[2] + t, lp.shape[1]), sc)

    assert "mixed" in message(ex, mixes_sources)
    assert "own score" in message(ex, forgets_history)
    assert "only its best token" in message(ex, best_token_per_hypothesis)
    assert "best first" in message(ex, worst_first)
    assert "swapped" in message(ex, lambda s, lp, w: tuple(ex.reference(s, lp, w)[i] for i in (1, 0, 2)))
    assert "not p // k" in message(ex, divmod_by_k)


def _learner_beam_search(reorder=True, greedy_rows=False, refill=False, finish_at_max=True, rank="score",
                         length=lambda tokens: len(tokens), stop_at_end=True, keep_start=False,
                         return_score=False):  # fmt: skip
    """A beam search as a learner might write it, with one mistake switched on."""

    def search(step_fn, state, start_id, end_id, width, max_length, alpha):
        live, finished = [([start_id] if keep_start else [], 0.0)], []
        for step in range(max_length):
            last = np.array([t[-1] if t else start_id for t, _ in live])
            log_probs, new_state = step_fn(last, state)
            vocab = log_probs.shape[1]
            totals = np.array([lp for _, lp in live])[:, None] + log_probs
            if greedy_rows and step > 0:
                rows = np.argsort(-totals.max(1))
                candidates = [(r, int(totals[r].argmax())) for r in rows]
            else:
                candidates = [divmod(int(i), vocab) for i in np.argsort(-totals.reshape(-1))]
            next_live, parents = [], []
            for rank_index, (parent, token) in enumerate(candidates):
                if (len(next_live) >= width) if refill else (rank_index >= width):
                    break
                hyp = (live[parent][0] + [token], float(totals[parent, token]))
                if (token == end_id and stop_at_end) or step == max_length - 1:
                    if token == end_id or finish_at_max:
                        finished.append(hyp)
                else:
                    next_live.append(hyp)
                    parents.append(parent)
            if not next_live:
                break
            state = new_state[parents] if reorder else new_state
            live = next_live
        score = lambda h: h[1] if rank == "raw" else h[1] / max(length(h[0]), 1) ** alpha  # noqa: E731
        finished.sort(key=lambda h: -score(h))
        return [(t, score((t, lp))) for t, lp in finished] if return_score else finished

    return search


def test_complete_beam_search_mistakes_are_named():
    ex = lesson10.complete_beam_search
    assert ex.evaluate(_learner_beam_search()).passed  # the test's own search, with no mistake, passes
    assert "parents" in message(ex, _learner_beam_search(reorder=False))
    assert "greedy searches" in message(ex, _learner_beam_search(greedy_rows=True))
    assert "does not refill" in message(ex, _learner_beam_search(refill=True))
    assert "finished too" in message(ex, _learner_beam_search(finish_at_max=False))
    assert "raw log-probability" in message(ex, _learner_beam_search(rank="raw"))
    assert "<end> included" in message(ex, _learner_beam_search(length=lambda t: len(t) - (t[-1] == 0)))
    assert "leave <start> out" in message(ex, _learner_beam_search(length=lambda t: len(t) + 1))
    assert "went on after <end>" in message(ex, _learner_beam_search(stop_at_end=False))
    assert "start id" in message(ex, _learner_beam_search(keep_start=True))
    assert "normalised score in place of log_prob" in message(ex, _learner_beam_search(return_score=True))
    assert "list of (tokens, log_prob)" in message(ex, lambda *args: None)


def test_open_exercises_have_two_level_hints_and_numbers(capsys):
    for ex in (lesson08.luong_comparison, lesson10.more_training):
        assert "open" in message(ex, object())
        ex.hint()
        hint = capsys.readouterr().out
        assert "Level 1" in hint and "Level 2" in hint
        ex.solution()
        answer = capsys.readouterr().out
        assert answer.startswith("Model answer") and "exact match" in answer.lower()
        assert "seed 0" in answer and any(ch.isdigit() for ch in answer.split("\n", 2)[2])  # numbers, not only text


ALL_CHECKED = [lesson08.additive_scores, lesson08.masked_attention, lesson08.bahdanau_step, lesson08.attention_backward,
               lesson09.clipped_counts, lesson09.brevity_penalty, lesson09.corpus_bleu, lesson09.zero_bleu,
               lesson09.exp_smoothing, lesson09.paired_bootstrap, lesson09.stream_bleu, lesson10.beam_step, lesson10.crossover_alpha,
               lesson10.batched_beam_step, lesson10.complete_beam_search]  # fmt: skip


@pytest.mark.parametrize("exercise", ALL_CHECKED, ids=lambda ex: ex.name)
def test_hints_have_two_levels_and_no_code(exercise):
    assert exercise.hint_text.startswith("Level 1: ") and "\nLevel 2: " in exercise.hint_text
    for code in ("np.", "def ", "lambda", "import ", "[:,", ".reshape(", "argsort", "zip("):
        assert code not in exercise.hint_text, f"{exercise.name}: the hint shows code ({code!r})"


def test_exercise_modules_export_every_exercise():
    from course_utils.exercises import Exercise

    for module in (lesson08, lesson09, lesson10):
        exported = {name for name in module.__all__}
        defined = {name for name, value in vars(module).items() if isinstance(value, Exercise)}
        assert exported == defined, module.__name__


# --- lesson 09: the paired bootstrap, and the known-wrong answers of the lessons' last cells ---------------------------


def _bootstrap(stats_a, stats_b, n_resamples, seed, paired=True, replace=True, quantiles=(0.025, 0.975), scale=1.0,
               flip=False, seeded=True):  # fmt: skip
    from course_utils.metrics import bleu_from_statistics

    rng = np.random.default_rng(seed if seeded else None)
    n = len(stats_a)
    if replace:
        idx_a = rng.integers(0, n, size=(n_resamples, n))
    else:
        idx_a = np.array([rng.permutation(n) for _ in range(n_resamples)])
    idx_b = idx_a if paired else rng.integers(0, n, size=(n_resamples, n))
    deltas = bleu_from_statistics(stats_b[idx_b].sum(1)) - bleu_from_statistics(stats_a[idx_a].sum(1))
    low, high = np.quantile(scale * (-deltas if flip else deltas), quantiles)
    return low, high


def test_paired_bootstrap_mistakes_are_named():
    ex = lesson09.paired_bootstrap
    assert ex.evaluate(_bootstrap).passed  # a learner's correct answer, with its own random draws, passes
    assert ex.evaluate(lambda a, b, n, s: _bootstrap(a, b, n, s + 7)).passed  # another seed passes too
    assert "SAME sentences" in message(ex, lambda *args: _bootstrap(*args, paired=False))
    assert "WITH replacement" in message(ex, lambda *args: _bootstrap(*args, replace=False))
    assert "90 %" in message(ex, lambda *args: _bootstrap(*args, quantiles=(0.05, 0.95)))
    assert "sign is flipped" in message(ex, lambda *args: _bootstrap(*args, flip=True))
    assert "percent" in message(ex, lambda *args: _bootstrap(*args, scale=100.0))
    assert "default_rng(seed)" in message(ex, lambda *args: _bootstrap(*args, seeded=False))
    assert "pair (low, high)" in message(ex, lambda *args: 0.1)
    assert "low" in message(ex, lambda *args: _bootstrap(*args)[::-1])


@pytest.mark.parametrize("module", [lesson09, lesson10], ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_known_wrong_answers_fail_their_own_checkers(module):
    checked = {name for name in module.__all__ if hasattr(getattr(module, name), "reference")
               and getattr(module, name).checker.__name__ != "_no_check"}  # fmt: skip
    assert set(module.KNOWN_WRONG) == checked
    for name, wrong in module.KNOWN_WRONG.items():
        assert not getattr(module, name).evaluate(wrong).passed, name
