"""course_utils.metrics against sacrebleu and nltk on many random corpora."""

import math
import warnings

import pytest
import sacrebleu
from hypothesis import given, settings
from hypothesis import strategies as st
from nltk.translate import bleu_score as nltk_bleu

from course_utils.metrics import corpus_bleu, ngram_counts, sentence_bleu

WORDS = ["the", "cat", "sat", "on", "mat", "a", "dog", "is", "there"]
sentence = st.lists(st.sampled_from(WORDS), min_size=0, max_size=12)
long_sentence = st.lists(st.sampled_from(WORDS), min_size=4, max_size=12)


@st.composite
def corpora(draw, hyp=sentence, ref=st.lists(st.sampled_from(WORDS), min_size=1, max_size=12)):
    n_refs = draw(st.integers(1, 3))
    n = draw(st.integers(1, 8))
    hyps = [draw(hyp) for _ in range(n)]
    refs = [[draw(ref) for _ in range(n_refs)] for _ in range(n)]
    return hyps, refs


def sacre(hyps, refs, method, **kw):
    streams = [[" ".join(r[k]) for r in refs] for k in range(len(refs[0]))]
    return sacrebleu.corpus_bleu([" ".join(h) for h in hyps], streams, tokenize="none", smooth_method=method, **kw)


@settings(max_examples=300)
@given(corpora(), st.sampled_from(["none", "floor", "add-k", "exp"]))
def test_agrees_with_sacrebleu(corpus, method):
    hyps, refs = corpus
    ours = corpus_bleu(hyps, refs, smoothing=method)
    theirs = sacre(hyps, refs, method)
    assert abs(ours.score - theirs.score / 100) <= 1e-9
    assert ours.hyp_len == theirs.sys_len and ours.ref_len == theirs.ref_len
    assert abs(ours.bp - theirs.bp) <= 1e-12
    if method != "add-k":  # sacrebleu reports add-k's smoothed counts
        assert ours.counts == list(theirs.counts) and ours.totals == list(theirs.totals)


@settings(max_examples=200)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=10), st.lists(sentence, min_size=1, max_size=3))
def test_sentence_bleu_agrees_with_sacrebleu(hyp, refs):
    refs = [r or ["the"] for r in refs]
    theirs = sacrebleu.sentence_bleu(" ".join(hyp), [" ".join(r) for r in refs], tokenize="none")
    assert abs(sentence_bleu(hyp, refs).score - theirs.score / 100) <= 1e-9


@settings(max_examples=200)
@given(corpora(hyp=long_sentence), st.sampled_from([("none", None), ("floor", "method1"), ("add-k", "method2"), ("exp", "method3")]))
def test_agrees_with_nltk_where_definitions_coincide(corpus, methods):
    hyps, refs = corpus
    ours, nltk_method = methods
    smoothing = None if nltk_method is None else getattr(nltk_bleu.SmoothingFunction(), nltk_method)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = nltk_bleu.corpus_bleu(refs, hyps, smoothing_function=smoothing)
    if ours == "none" and theirs < 1e-100:
        theirs = 0.0  # nltk returns ~1e-155 where a precision is 0
    assert abs(corpus_bleu(hyps, refs, smoothing=ours).score - theirs) <= 1e-9


def test_papineni_clipping_example():
    hyp = "the the the the the the the".split()
    refs = ["the cat is on the mat".split(), "there is a cat on the mat".split()]
    result = corpus_bleu([hyp], [refs], max_order=1)
    assert result.counts[0] == 2 and result.totals[0] == 7
    assert math.isclose(result.precisions[0], 2 / 7)


def test_brevity_penalty_and_tie_to_shorter_reference():
    hyp = "a b c".split()
    result = corpus_bleu([hyp], [["a b c d".split(), "a b".split()]], max_order=1)
    assert result.ref_len == 2 and result.bp == 1.0  # |3-4| == |3-2|: the shorter one wins
    short = corpus_bleu([["a", "b"]], [["a b c d".split()]], max_order=2)
    assert math.isclose(short.bp, math.exp(1 - 4 / 2))
    assert corpus_bleu([[]], [[["a"]]]).score == 0.0


def test_corpus_is_micro_averaged():
    hyps = ["a b c d".split(), "x y z w".split()]
    refs = [["a b c d".split()], ["x y q w".split()]]
    corpus = corpus_bleu(hyps, refs).score
    mean = sum(corpus_bleu([h], [r], smoothing="none").score for h, r in zip(hyps, refs)) / 2
    assert corpus > 0 and abs(corpus - mean) > 1e-3


def test_ngram_counts():
    assert ngram_counts(["a", "b", "a", "b"], 2) == {("a", "b"): 2, ("b", "a"): 1}


@pytest.mark.parametrize(
    "hyps, refs, message",
    [
        ([["a"]], [[["a"]], [["b"]]], "1 hypotheses but 2"),
        ([["a"]], [[]], "no reference"),
        (["a b"], [[["a", "b"]]], "is a string"),
        ([["a"]], [["a b"]], r"references\[0\]\[0\] is a string"),
        ([["a"]], ["a"], r"references\[0\] must be a list"),
        ([], [], "empty"),
        ([[1, 2]], [[["a"]]], "tokens must be strings"),
    ],
)
def test_bad_input_is_named(hyps, refs, message):
    with pytest.raises(ValueError, match=message):
        corpus_bleu(hyps, refs)


def test_bad_options():
    with pytest.raises(ValueError, match="smoothing"):
        corpus_bleu([["a"]], [[["a"]]], smoothing="laplace")
    with pytest.raises(ValueError, match="max_order"):
        corpus_bleu([["a"]], [[["a"]]], max_order=0)
    with pytest.raises(ValueError, match="reference token lists"):
        sentence_bleu(["a"], ["a"])


def test_exact_match_counts_any_reference():
    from course_utils.metrics import exact_match

    refs = [["je suis fatigué .".split(), "je suis fatiguée .".split()], ["il dort .".split()]]
    assert exact_match(["je suis fatiguée .".split(), "il dort".split()], refs) == 0.5
    assert exact_match(["je suis fatigué .".split(), "il dort .".split()], refs) == 1.0
    with pytest.raises(ValueError, match="is a string"):
        exact_match(["il dort ."], [refs[1]])
    with pytest.raises(ValueError, match="1 hypotheses but 2"):
        exact_match([["a"]], refs)


@settings(max_examples=100)
@given(corpora(hyp=long_sentence))
def test_reference_streams_feed_sacrebleu_with_uneven_reference_counts(corpus):
    from course_utils.metrics import reference_streams

    hyps, refs = corpus
    refs = [r[: 1 + i % len(r)] for i, r in enumerate(refs)]  # sentences with different numbers of references
    streams = reference_streams(refs)
    assert len(streams) == max(len(r) for r in refs)
    theirs = sacrebleu.corpus_bleu([" ".join(h) for h in hyps], streams, tokenize="none", smooth_method="none")
    assert abs(corpus_bleu(hyps, refs).score - theirs.score / 100) <= 1e-9


def test_reference_streams_bad_input():
    from course_utils.metrics import reference_streams

    with pytest.raises(ValueError, match=r"references\[1\] must be a non-empty list"):
        reference_streams([[["a"]], []])
    with pytest.raises(ValueError, match=r"references\[0\]\[0\] is a string"):
        reference_streams([["a b"]])


@settings(max_examples=100)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=10), st.lists(sentence, min_size=1, max_size=3),
       st.sampled_from(["none", "floor", "add-k", "exp"]), st.booleans())
def test_sentence_bleu_options_agree_with_sacrebleu(hyp, refs, method, effective_order):
    from sacrebleu.metrics import BLEU

    refs = [r or ["the"] for r in refs]
    theirs = BLEU(tokenize="none", smooth_method=method, effective_order=effective_order).sentence_score(
        " ".join(hyp), [" ".join(r) for r in refs])
    ours = sentence_bleu(hyp, refs, smoothing=method, effective_order=effective_order)
    assert abs(ours.score - theirs.score / 100) <= 1e-9


def test_sentence_bleu_of_a_three_token_fragment_uses_effective_order():
    refs = ["the cat is on the mat".split(), "there is a cat on the mat".split()]
    theirs = sacrebleu.sentence_bleu("on the mat", [" ".join(r) for r in refs]).score / 100
    assert abs(sentence_bleu("on the mat".split(), refs).score - theirs) <= 1e-12
    assert abs(theirs - math.exp(1 - 6 / 3)) <= 1e-12  # p1 = p2 = p3 = 1, BP with the closest length 6
    assert sentence_bleu("on the mat".split(), refs, effective_order=False).score == 0.0


# --- per-sentence statistics and the paired bootstrap ---------------------------------------------------------

import numpy as np  # noqa: E402

from course_utils.metrics import bleu_from_statistics, bleu_statistics, paired_bootstrap  # noqa: E402


@settings(max_examples=200)
@given(corpora())
def test_statistics_sum_to_corpus_bleu(corpus):
    hyps, refs = corpus
    stats = bleu_statistics(hyps, refs)
    ours = corpus_bleu(hyps, refs)
    assert stats.sum(axis=0).tolist() == [*ours.counts, *ours.totals, ours.hyp_len, ours.ref_len]
    assert abs(float(bleu_from_statistics(stats.sum(axis=0))) - ours.score) <= 1e-12


def _systems(seed, n=200, changed=20):
    rng = np.random.default_rng(seed)
    refs, a, b = [], [], []
    for i in range(n):
        ref = list(rng.choice(WORDS, size=rng.integers(4, 10)))
        out = list(ref)
        for j in rng.choice(len(out), size=rng.integers(0, 3), replace=False):
            out[j] = "x"
        refs.append([ref])
        a.append(out)
        b.append(ref if i < changed else out)  # b repairs the first `changed` sentences
    return a, b, refs


def test_paired_bootstrap_interval_contains_the_difference_and_is_seeded():
    a, b, refs = _systems(0)
    result = paired_bootstrap(a, b, refs, n_resamples=500)
    assert abs(result.delta - (corpus_bleu(b, refs).score - corpus_bleu(a, refs).score)) <= 1e-12
    assert result.low <= result.delta <= result.high and result.low > 0  # b repairs sentences and breaks none
    assert result.share_b_better == 1.0
    assert paired_bootstrap(a, b, refs, n_resamples=500) == result
    assert paired_bootstrap(a, b, refs, n_resamples=500, seed=1) != result
    same = paired_bootstrap(a, a, refs, n_resamples=100)
    assert same.delta == same.low == same.high == 0.0
    stats = paired_bootstrap(bleu_statistics(a, refs), bleu_statistics(b, refs), n_resamples=500)
    assert stats == result  # statistics or tokens: the same result


def test_paired_bootstrap_is_narrower_than_unpaired_resampling():
    a, b, refs = _systems(1)
    paired = paired_bootstrap(a, b, refs, n_resamples=1000)
    sa, sb = bleu_statistics(a, refs), bleu_statistics(b, refs)
    rng = np.random.default_rng(0)
    unpaired = [float(bleu_from_statistics(sb[rng.integers(0, len(a), len(a))].sum(0))
                      - bleu_from_statistics(sa[rng.integers(0, len(a), len(a))].sum(0))) for _ in range(1000)]
    width = np.quantile(unpaired, 0.975) - np.quantile(unpaired, 0.025)
    assert paired.high - paired.low < 0.6 * width


def test_paired_bootstrap_bad_input():
    a, b, refs = _systems(2, n=10)
    with pytest.raises(ValueError, match="same sentences"):
        paired_bootstrap(a, b[:-1], refs)
    with pytest.raises(ValueError, match="n_resamples"):
        paired_bootstrap(a, b, refs, n_resamples=0)
    with pytest.raises(ValueError, match="confidence"):
        paired_bootstrap(a, b, refs, confidence=95)
    with pytest.raises(ValueError, match="one shape"):
        paired_bootstrap(np.zeros((3, 10)), np.zeros((4, 10)))
    with pytest.raises(ValueError, match="columns"):
        bleu_from_statistics(np.zeros(7))
