import numpy as np

from course_utils.checks import lesson01
from course_utils.exercises import Exercise


def test_reference_solutions_pass():
    for ex in (lesson01.rnn_step, lesson01.clip_gradients, lesson01.param_count):
        assert ex.evaluate(ex.reference).passed, ex.name


def test_wrong_rnn_steps_get_specific_messages():
    no_state = lambda x, h, w, u, b: np.tanh(x @ w + b)  # noqa: E731
    no_tanh = lambda x, h, w, u, b: x @ w + h @ u + b  # noqa: E731
    wrong_shape = lambda x, h, w, u, b: np.tanh(x @ w + h @ u + b)[0]  # noqa: E731
    assert "ignores h_prev" in lesson01.rnn_step.evaluate(no_state).message
    assert "np.tanh" in lesson01.rnn_step.evaluate(no_tanh).message
    assert "shape" in lesson01.rnn_step.evaluate(wrong_shape).message
    assert not lesson01.rnn_step.evaluate(lambda *a: 1 / 0).passed


def test_not_implemented_and_empty_answers():
    def stub(*args):
        raise NotImplementedError

    assert "not written yet" in lesson01.param_count.evaluate(stub).message
    assert "no answer" in lesson01.param_count.evaluate(None).message


def test_clip_checker_spots_per_tensor_clipping():
    def per_tensor(grads, c):
        norm = float(np.sqrt(sum(np.sum(g**2) for g in grads)))
        return [g * min(1.0, c / np.linalg.norm(g)) for g in grads], norm

    result = lesson01.clip_gradients.evaluate(per_tensor)
    assert not result.passed and "on its own" in result.message


def test_param_count_checker_spots_missing_bias():
    assert "bias" in lesson01.param_count.evaluate(lambda d, h: d * h + h * h).message


def test_check_prints_hint_and_solution(capsys):
    ex = lesson01.param_count
    ex.check(lambda d, h: 0)
    ex.hint()
    ex.solution()
    out = capsys.readouterr().out
    assert out.startswith("Not yet (SimpleRNN parameter count)")
    assert "Hint (SimpleRNN parameter count)" in out
    assert "def simple_rnn_param_count" in out


def test_text_solution():
    ex = Exercise("t", lambda a: None, hint_text="h", reference="answer: 42")
    ex.check(1)
    assert ex.evaluate(1).passed


def test_lesson02_references_pass_and_mistakes_are_named():
    from course_utils.checks import lesson02

    assert lesson02.gru_step.evaluate(lesson02.gru_step.reference).passed
    assert lesson02.param_counts.evaluate(lesson02.param_counts.reference).passed

    def swapped(x, h, k, u, b):
        out = lesson02.gru_step.reference(x, h, k, u, b)
        xz, _, _ = np.split(x @ k + b[0], 3, axis=-1)
        hz, _, _ = np.split(h @ u + b[1], 3, axis=-1)
        z = 1 / (1 + np.exp(-(xz + hz)))
        cand = (out - z * h) / (1 - z)
        return (1 - z) * h + z * cand

    assert "swapped" in lesson02.gru_step.evaluate(swapped).message

    def old_gru(kind, d, h):
        return lesson02.param_counts.reference(kind, d, h) - (3 * h if kind == "GRU" else 0)

    assert "reset_after" in lesson02.param_counts.evaluate(old_gru).message


def test_lesson05_checks():
    from course_utils.checks import lesson05

    for ex in (lesson05.shift_right, lesson05.masked_accuracy):
        assert ex.evaluate(ex.reference).passed
    keeps_end = lambda y, s: np.concatenate([np.full((len(y), 1), s), y[:, :-1]], axis=1)  # noqa: E731
    assert "<end>" in lesson05.shift_right.evaluate(keeps_end).message
    unmasked = lambda t, p: float((t == p).mean())  # noqa: E731
    assert "padding" in lesson05.masked_accuracy.evaluate(unmasked).message


def test_lesson03_references_pass_and_typical_mistakes_are_named():
    from course_utils.checks import lesson03

    for ex in (lesson03.bits_and_perplexity, lesson03.temperature_sample, lesson03.bigram_distribution,
               lesson03.top_p_filter):
        assert ex.evaluate(ex.reference).passed, ex.name

    bits = lesson03.bits_and_perplexity
    assert "in nats" in bits.evaluate(lambda lp: (-np.mean(lp), np.exp(-np.mean(lp)))).message
    assert "summed" in bits.evaluate(lambda lp: (-np.sum(lp) / np.log(2), 1.0)).message
    assert "sign" in bits.evaluate(lambda lp: (np.mean(lp) / np.log(2), 1.0)).message
    assert "ln 10" in bits.evaluate(lambda lp: (-np.mean(lp) / np.log(10), 1.0)).message
    assert "mixes bases" in bits.evaluate(lambda lp: (-np.mean(lp) / np.log(2), 2 ** -np.mean(lp))).message

    def divides_probabilities(p, t, rng):
        q = p / t
        return rng.choice(len(p), p=q / q.sum())

    def not_renormalised(p, t, rng):
        return rng.choice(len(p), p=np.exp(np.log(p) / t))

    def inverse_temperature(p, t, rng):
        q = p**t
        return rng.choice(len(p), p=q / q.sum())

    sample = lesson03.temperature_sample
    assert "LOG-probabilities" in sample.evaluate(divides_probabilities).message
    assert "renormalise" in sample.evaluate(not_renormalised).message
    assert "backwards" in sample.evaluate(inverse_temperature).message
    assert "always return the most probable" in sample.evaluate(lambda p, t, rng: int(np.argmax(p))).message

    def softmax_of_probabilities(p, t, rng):
        q = np.exp(p / t)
        return rng.choice(len(p), p=q / q.sum())

    assert "not logits" in sample.evaluate(softmax_of_probabilities).message

    def pair_counts(text, chars, prev):
        return np.array([sum(a == prev and b == c for a, b in zip(text, text[1:])) for c in chars], dtype=float)

    bigram = lesson03.bigram_distribution
    assert "no smoothing" in bigram.evaluate(lambda t, c, p, a: pair_counts(t, c, p) / pair_counts(t, c, p).sum()).message
    assert "smoothed counts" in bigram.evaluate(lambda t, c, p, a: pair_counts(t, c, p) + a).message
    unigram = lambda t, c, p, a: (np.array([t.count(x) for x in c]) + a) / (len(t) + a * len(c))  # noqa: E731
    assert "unigram" in bigram.evaluate(unigram).message
    by_occurrences = lambda t, c, p, a: (pair_counts(t, c, p) + a) / (t.count(p) + a * len(c))  # noqa: E731
    assert "no successor" in bigram.evaluate(by_occurrences).message

    def stops_early(probs, p):
        order = np.argsort(-probs)
        keep = order[np.cumsum(probs[order]) < p]
        out = np.zeros_like(probs)
        out[keep] = probs[keep]
        return out / out.sum()

    top_p = lesson03.top_p_filter
    assert "crosses p" in top_p.evaluate(stops_early).message
    assert "renormalised" in top_p.evaluate(lambda probs, p: np.where(top_p.reference(probs, p) > 0, probs, 0)).message
    assert "sort the tokens" in top_p.evaluate(lesson03._first_in_id_order).message
