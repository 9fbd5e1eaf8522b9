"""Exercises of lesson 04 (word vectors): every reference passes its checker, and each typical wrong answer, written
the way a learner would write it, gets its own message."""

import subprocess
import sys

import numpy as np
import pytest

from course_utils.checks import lesson04

CHECKED = [lesson04.cosine, lesson04.analogy_solver, lesson04.neutralize, lesson04.sgns_gradient]


def message(exercise, answer) -> str:
    result = exercise.evaluate(answer)
    assert not result.passed, f"{exercise.name}: a wrong answer passed"
    return result.message


def all_different(messages):
    assert len(set(messages)) == len(messages), "two typical mistakes got the same message"


@pytest.mark.parametrize("exercise", CHECKED, ids=lambda ex: ex.name)
def test_references_pass(exercise):
    result = exercise.evaluate(exercise.reference)
    assert result.passed, result.message


def test_all_lists_the_exercises_and_known_wrong_answers_fail():
    assert [getattr(lesson04, name) for name in lesson04.__all__] == CHECKED
    assert list(lesson04.KNOWN_WRONG) == lesson04.__all__
    for name, wrong in lesson04.KNOWN_WRONG.items():
        assert not getattr(lesson04, name).evaluate(wrong).passed, name


def test_importing_the_checks_does_not_import_tensorflow():
    code = "import sys, course_utils.checks.lesson04; print('tensorflow' in sys.modules, 'keras' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


# --- 1. cosine similarity ---------------------------------------------------------------------------------------


def test_cosine_mistakes_are_named():
    ex = lesson04.cosine
    norm = np.linalg.norm
    messages = [
        message(ex, lambda u, v: float(u @ v)),
        message(ex, lambda u, v: float(norm(u - v))),
        message(ex, lambda u, v: float(np.sum((u - v) ** 2))),
        message(ex, lambda u, v: float(u @ v / norm(u))),
        message(ex, lambda u, v: float(1 - u @ v / (norm(u) * norm(v)))),
        message(ex, lambda u, v: u * v / (norm(u) * norm(v))),
        message(ex, lambda u, v: float(np.arccos(u @ v / (norm(u) * norm(v))))),
        message(ex, lambda u, v: float(u @ v / (norm(u) + norm(v)))),
    ]
    assert "plain dot product" in messages[0]
    assert "Euclidean distance" in messages[1] and "Euclidean distance" in messages[2]
    assert "only one vector" in messages[3]
    assert "cosine DISTANCE" in messages[4]
    assert "one per coordinate" in messages[5]
    assert "angle in radians" in messages[6]
    assert "should be 0.733333" in messages[7]
    all_different(messages[:2] + messages[3:])


def test_cosine_accepts_other_correct_forms():
    ex = lesson04.cosine
    assert ex.evaluate(lambda u, v: (u / np.linalg.norm(u)) @ (v / np.linalg.norm(v))).passed
    assert ex.evaluate(lambda u, v: np.array([u @ v / np.sqrt((u @ u) * (v @ v))])).passed


# --- 2. an analogy solver -----------------------------------------------------------------------------------------


def _solver(target="b - a + c", rows="unit", exclude=("a", "b", "c"), output="word"):
    """A 3CosAdd solver with one of the typical mistakes."""

    def solve(vectors, words, a, b, c):
        unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
        source = unit if target != "raw b - a + c" else vectors
        va, vb, vc = (source[words.index(w)] for w in (a, b, c))
        t = {"b - a + c": vb - va + vc, "raw b - a + c": vb - va + vc, "a - b + c": va - vb + vc,
             "b - a - c": vb - va - vc}[target]  # fmt: skip
        scores = (unit if rows == "unit" else vectors) @ t
        for name, word in zip("abc", (a, b, c)):
            if name in exclude:
                scores[words.index(word)] = -np.inf
        best = int(np.argmax(scores))
        return {"word": words[best], "row": best, "pair": (words[best], float(scores[best]))}[output]

    return solve


def test_analogy_vocabulary_makes_every_mistake_visible():
    vectors, words = lesson04._analogy_vocabulary()
    assert lesson04.analogy_solver.reference(vectors, words, "man", "king", "woman") == "queen"
    variants = lesson04._analogy_variants(vectors, words, "man", "king", "woman")
    assert variants == {"no exclusion": "woman", "a - b + c": "girl", "b - a - c": "crown", "raw dot": "the",
                        "raw dot, raw target": "the", "raw target": "prince"}  # fmt: skip


def test_analogy_mistakes_are_named():
    ex = lesson04.analogy_solver
    messages = [
        message(ex, _solver(exclude=())),
        message(ex, _solver(target="a - b + c")),
        message(ex, _solver(target="b - a - c")),
        message(ex, _solver(rows="raw")),
        message(ex, _solver(target="raw b - a + c")),
        message(ex, _solver(output="row")),
        message(ex, _solver(output="pair")),
    ]
    assert "one of the three input words" in messages[0]
    assert "signs of a and b are swapped" in messages[1]
    assert "c must be ADDED" in messages[2]
    assert "longer than a typical word's" in messages[3]
    assert "built the target from the raw vectors" in messages[4]
    assert "return the word itself" in messages[5]
    assert "only the word" in messages[6]
    all_different(messages)
    # ranking raw rows against a target built from raw vectors is the same mistake as the raw rows
    assert "longer than a typical word's" in message(ex, _solver(target="raw b - a + c", rows="raw"))
    assert "one of the three input words" in message(ex, _solver(exclude=("a", "b")))  # forgot c


def test_analogy_checks_the_word_order_and_a_second_question():
    ex = lesson04.analogy_solver
    assert "'italy' is to 'rome'" in message(ex, lambda vectors, words, a, b, c: "queen")

    # rows looked up in a vocabulary built outside the function (in the notebook: the GloVe index), not in words
    _, vocabulary = lesson04._analogy_vocabulary()
    global_index = {word: i for i, word in enumerate(vocabulary)}

    def uses_a_global_index(vectors, words, a, b, c):
        unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
        target = unit[global_index[b]] - unit[global_index[a]] + unit[global_index[c]]
        scores = unit @ target
        scores[[global_index[a], global_index[b], global_index[c]]] = -np.inf
        return vocabulary[int(np.argmax(scores))]

    assert "in another order" in message(ex, uses_a_global_index)


# --- 3. removing a bias direction ---------------------------------------------------------------------------------


def test_neutralize_mistakes_are_named():
    ex = lesson04.neutralize
    norm = np.linalg.norm

    def in_place(v, g):
        v -= (v @ g) / (g @ g) * g
        return v

    messages = [
        message(ex, lambda v, g: v - (v @ g) / norm(g) * g),
        message(ex, lambda v, g: v - (v @ g) * g),
        message(ex, lambda v, g: (v @ g) / (g @ g) * g),
        message(ex, lambda v, g: g - (g @ v) / (v @ v) * v),
        message(ex, lambda v, g: v - (g @ v) / (v @ v) * v),
        message(ex, in_place),
        message(ex, lambda v, g: v - (v @ g) / (g @ g) * v),
        message(ex, lambda v, g: 2 * (v - (v @ g) / (g @ g) * g)),
        message(ex, lambda v, g: (v - (v @ g) / (g @ g) * g)[:-1]),
    ]
    assert "divided v·g by ||g||" in messages[0]
    assert "did not divide by ||g||²" in messages[1]
    assert "returned the projection" in messages[2]
    assert "arguments are swapped" in messages[3]
    assert "projected g on v" in messages[4]
    assert "in place" in messages[5]
    assert "not orthogonal to g" in messages[6]
    assert "orthogonal to g changed" in messages[7]
    assert "shape of v" in messages[8]
    all_different(messages)


def test_neutralize_accepts_a_unit_direction():
    def with_unit_direction(v, g):
        u = g / np.linalg.norm(g)
        return v - (v @ u) * u

    assert lesson04.neutralize.evaluate(with_unit_direction).passed


# --- 4. the gradient of the skip-gram negative-sampling loss ---------------------------------------------------------


def _sig(x):
    return 1 / (1 + np.exp(-x))


def _sgns(*, loss_neg_sign=1, grad_neg="sig", pos_minus_one=True, reduce=np.sum, grad_sign=1, loss_negatives=True):
    """The SGNS loss and gradient written naively, with one of the typical mistakes."""

    def loss_and_grad(v_c, u_o, U_neg):
        pos, neg = u_o @ v_c, U_neg @ v_c
        loss = -np.log(_sig(pos))
        if loss_negatives:
            loss = loss - reduce(np.log(_sig(-loss_neg_sign * neg)))
        coef_neg = _sig(neg) if grad_neg == "sig" else _sig(neg) - 1
        grad = (_sig(pos) - (1 if pos_minus_one else 0)) * u_o
        if grad_neg is not None:
            grad = grad + reduce(coef_neg[:, None] * U_neg, axis=0)
        return loss, grad_sign * grad

    return loss_and_grad


def test_naive_but_right_sgns_passes():
    assert lesson04.sgns_gradient.evaluate(_sgns()).passed


def test_sgns_mistakes_are_named():
    ex = lesson04.sgns_gradient
    messages = [
        message(ex, _sgns(loss_neg_sign=-1, grad_neg="sig - 1")),
        message(ex, _sgns(loss_neg_sign=-1)),
        message(ex, _sgns(grad_neg="sig - 1")),
        message(ex, _sgns(pos_minus_one=False)),
        message(ex, _sgns(reduce=np.mean)),
        message(ex, _sgns(grad_neg=None)),
        message(ex, _sgns(loss_negatives=False)),
        message(ex, _sgns(grad_sign=-1)),
        message(ex, _sgns(grad_neg=None, loss_negatives=False)),
        message(ex, lambda v_c, u_o, U_neg: (1.0, U_neg @ v_c)),
        message(ex, lambda v_c, u_o, U_neg: 1.0),
    ]
    assert "wrong sign in your loss and your gradient" in messages[0]
    assert "wrong sign in your loss:" in messages[1]
    assert "wrong sign in your gradient:" in messages[2]
    assert "misses its -1" in messages[3]
    assert "averages over the K negatives" in messages[4]
    assert "your loss is right, but your gradient is wrong" in messages[5]
    assert "your gradient is right, but your loss is wrong" in messages[6]
    assert "opposite sign" in messages[7]
    assert "both are wrong" in messages[8]
    assert "v_c's shape" in messages[9]
    assert "pair (loss, grad_v_c)" in messages[10]
    all_different(messages)


def test_sgns_reference_is_stable_for_large_scores():
    v_c, u_o, U_neg = np.full(3, 30.0), np.full(3, -30.0), np.full((2, 3), 30.0)  # scores of +-2700
    loss, grad = lesson04.sgns_gradient.reference(v_c, u_o, U_neg)
    assert np.isfinite(loss) and np.isclose(loss, 3 * 2700.0) and np.allclose(grad, -u_o + U_neg.sum(axis=0))


# --- hints and solutions ----------------------------------------------------------------------------------------


def test_hints_have_two_levels_and_no_code(capsys):
    for ex in CHECKED:
        assert ex.hint_text.startswith("Level 1: ") and ex.hint_text.count("\nLevel 2: ") == 1, ex.name
        assert "def " not in ex.hint_text and "return " not in ex.hint_text and "lambda" not in ex.hint_text, ex.name
        ex.solution()
        assert capsys.readouterr().out.startswith("def _"), ex.name
