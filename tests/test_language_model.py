"""Tests of the language-model helpers (sampling, perplexity, sample metrics) and the standard-library corpus."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_utils.language_model import (
    bits_per_token,
    distinct_ngram_ratio,
    parsable_line_share,
    perplexity,
    sample_tokens,
    softmax_with_temperature,
    top_k_filter,
)
from course_utils.text_corpus import stdlib_corpus, stdlib_folder

finite_rows = st.lists(st.floats(-20, 20, allow_nan=False), min_size=2, max_size=12)


@settings(max_examples=40, deadline=None)
@given(finite_rows, st.floats(0.05, 5.0))
def test_softmax_with_temperature_equals_keras_softmax(row, temperature):
    import keras

    want = keras.ops.convert_to_numpy(keras.ops.softmax(np.array(row, dtype="float64") / temperature))
    got = softmax_with_temperature(row, temperature)
    np.testing.assert_allclose(got, want, atol=1e-9)
    assert got.sum() == pytest.approx(1.0)


def test_low_temperature_sharpens_and_high_flattens():
    logits = np.array([2.0, 1.0, 0.0])
    cold, warm = softmax_with_temperature(logits, 0.2), softmax_with_temperature(logits, 5.0)
    assert cold[0] > softmax_with_temperature(logits, 1.0)[0] > warm[0]
    assert np.ptp(warm) < np.ptp(cold)


@pytest.mark.parametrize("bad", [0, -1.0, float("nan"), True, "1"])
def test_softmax_rejects_bad_temperature(bad):
    with pytest.raises(ValueError, match="temperature"):
        softmax_with_temperature([1.0, 2.0], bad)


def test_logits_must_be_finite_and_of_rank_1_or_2():
    with pytest.raises(ValueError, match="NaN or infinite"):
        softmax_with_temperature([1.0, np.inf], 1.0)
    with pytest.raises(ValueError, match="shape"):
        softmax_with_temperature(np.zeros((2, 2, 2)), 1.0)


def test_top_k_keeps_exactly_k_and_renormalises():
    probs = np.array([[0.1, 0.4, 0.2, 0.3], [0.25, 0.25, 0.25, 0.25]])
    out = top_k_filter(probs, 2)
    np.testing.assert_allclose(out[0], [0, 0.4 / 0.7, 0, 0.3 / 0.7])
    assert (out[1] > 0).sum() == 2  # ties broken by id: exactly k stay
    np.testing.assert_allclose(out.sum(axis=1), 1.0)
    with pytest.raises(ValueError, match="k must be"):
        top_k_filter(probs, 5)


def test_greedy_sampling_is_the_argmax():
    logits = np.random.default_rng(0).normal(size=(8, 10))
    ids = sample_tokens(logits, temperature=0, rng=np.random.default_rng(1))
    np.testing.assert_array_equal(ids, logits.argmax(axis=1))


def test_sampling_follows_the_tempered_distribution():
    logits = np.log([0.5, 0.3, 0.15, 0.05])
    rng = np.random.default_rng(3)
    n = 40_000
    ids = sample_tokens(np.tile(logits, (n, 1)), temperature=0.7, rng=rng)
    freq = np.bincount(ids, minlength=4) / n
    np.testing.assert_allclose(freq, softmax_with_temperature(logits, 0.7), atol=0.01)


def test_top_k_sampling_never_draws_outside_the_top_k():
    logits = np.tile(np.log([0.4, 0.3, 0.2, 0.1]), (2000, 1))
    ids = sample_tokens(logits, temperature=1.5, top_k=2, rng=np.random.default_rng(5))
    assert set(ids.tolist()) == {0, 1}


def test_sampling_is_reproducible_with_a_seed():
    logits = np.random.default_rng(0).normal(size=(16, 30))
    a = sample_tokens(logits, temperature=1.0, rng=np.random.default_rng(9))
    b = sample_tokens(logits, temperature=1.0, rng=np.random.default_rng(9))
    np.testing.assert_array_equal(a, b)


def test_sample_tokens_needs_a_generator():
    with pytest.raises(TypeError, match="numpy.random.Generator"):
        sample_tokens([[0.0, 1.0]], rng=0)


def test_perplexity_and_bits():
    assert perplexity(np.log([0.25] * 5)) == pytest.approx(4.0)
    assert perplexity(np.log([1 / 97] * 3)) == pytest.approx(97.0)
    assert bits_per_token(math.log(4)) == pytest.approx(2.0)
    with pytest.raises(ValueError, match="natural-log probabilities"):
        perplexity([0.5, 0.25])  # probabilities, not log-probabilities
    with pytest.raises(ValueError, match="empty"):
        perplexity([])
    with pytest.raises(ValueError, match="cross-entropy"):
        bits_per_token(-1.0)


def test_parsable_line_share():
    assert parsable_line_share("x = 1\ny = (2 +\n") == 0.5
    assert parsable_line_share("def f(a):\n    return a\nelse:\nexcept ValueError:\n") == 1.0
    assert parsable_line_share("def f(:\n") == 0.0
    with pytest.raises(ValueError, match="no non-blank line"):
        parsable_line_share("\n  \n")


def test_distinct_ngram_ratio():
    assert distinct_ngram_ratio("aaaaaaa", 3) == pytest.approx(1 / 5)
    assert distinct_ngram_ratio("abcdefg", 3) == 1.0
    with pytest.raises(ValueError, match="shorter than n"):
        distinct_ngram_ratio("ab", 3)


def test_stdlib_corpus_splits_by_file_and_is_deterministic():
    a = stdlib_corpus(train_chars=50_000, val_chars=10_000)
    b = stdlib_corpus(train_chars=50_000, val_chars=10_000)
    assert a == b
    assert len(a.train_text) == 50_000 and len(a.val_text) == 10_000
    assert set(a.train_files).isdisjoint(a.val_files)
    assert "\r" not in a.train_text


def test_stdlib_corpus_validation_files_are_really_held_out(tmp_path):
    for i in range(10):
        (tmp_path / f"m{i:02d}.py").write_text(f"# file {i}\n" + "x = 1\n" * 50)
    corpus = stdlib_corpus(train_chars=300, val_chars=100, val_every=5, folder=tmp_path)
    assert corpus.val_files == ("m02.py",)  # files 2 and 7 are held out; 100 characters come from file 2 alone
    assert "# file 2\n" in corpus.val_text and "# file 2\n" not in corpus.train_text
    assert "# file 7\n" not in corpus.train_text


def test_stdlib_corpus_bad_input(tmp_path):
    with pytest.raises(ValueError, match="too little text"):
        stdlib_corpus(train_chars=10**9, val_chars=10)
    with pytest.raises(ValueError, match="val_every"):
        stdlib_corpus(val_every=1)
    with pytest.raises(ValueError, match="positive"):
        stdlib_corpus(train_chars=0)
    with pytest.raises(ValueError, match="does not exist"):
        stdlib_corpus(folder=tmp_path / "nowhere")
    with pytest.raises(TypeError, match="int"):
        stdlib_corpus(train_chars=1.5)
    assert (stdlib_folder() / "os.py").is_file()


def test_stdlib_corpus_skips_build_generated_files(tmp_path):
    (tmp_path / "_sysconfigdata__linux.py").write_text("build_time_vars = {}\n" * 100)
    (tmp_path / "a.py").write_text("x = 1\n" * 100)
    (tmp_path / "b.py").write_text("y = 2\n" * 100)
    corpus = stdlib_corpus(train_chars=100, val_chars=100, val_every=2, folder=tmp_path)
    assert "_sysconfigdata__linux.py" not in corpus.train_files + corpus.val_files


def test_long_range_targets_finds_far_closers_quotes_and_indentation():
    from course_utils.language_model import long_range_targets

    text = "y = g(alpha, beta)\nz = (1)\nif y:\n        s = 'a long string'\n    t = \"x\"\n"
    found = long_range_targets(text, 5)
    assert [text[t] for t in found["closing bracket"]] == [")"] and found["closing bracket"] == [17]  # (1) is near
    assert [text[t] for t in found["closing quote"]] == ["'"]  # "x" closes 2 characters after it opened
    assert [text[t] for t in found["end of indentation after ':'"]] == ["s"]  # the line after "if y:"
    assert long_range_targets(text, 1)["closing quote"] == [text.index("'", text.index("'") + 1), len(text) - 2]


def test_long_range_targets_ignores_what_started_before_the_text():
    from course_utils.language_model import long_range_targets

    text = "b, c)\n        return x\nif q:\n  # comment 'not a string\n"
    found = long_range_targets(text, 2)
    assert found["closing bracket"] == []  # its opener is before the text
    assert found["end of indentation after ':'"] == [text.index("#")]
    assert found["closing quote"] == []  # a quote after '#' is a comment
    with pytest.raises(ValueError, match="min_distance"):
        long_range_targets(text, 0)
    with pytest.raises(TypeError, match="str"):
        long_range_targets(b"x", 2)
