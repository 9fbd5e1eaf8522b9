"""Tests of the NumPy CTC helpers: the collapse rule, the frames a label needs, the forward algorithm, greedy decoding.

The forward algorithm is checked against the definition (every path listed, on tiny cases) to 1e-9 and against
``keras.ops.ctc_loss`` to 1e-4; greedy decoding against ``keras.ops.ctc_decode(..., strategy="greedy")``.

Keras 3 conventions (TensorFlow backend, read from ``keras/src/backend/tensorflow/nn.py``):
- ``ctc_loss(target, output, target_length, output_length, mask_index=0)``: ``target`` is a padded int array
  (B, max_label_length) whose entries past ``target_length`` are ignored; ``output`` is (B, T, C) *logits*
  (``tf.nn.ctc_loss`` applies a log-softmax itself, so log-probabilities give the same loss); ``mask_index`` is the
  blank class. It computes in float32. A label that cannot fit returns a large finite number, not an error.
- ``ctc_decode(inputs, sequence_lengths, strategy="greedy", ..., mask_index=0)`` returns ``(decoded, scores)``:
  ``decoded`` int32 (top_paths, B, T) with each label padded with -1 (the docstring calls -1 "the blank label", but
  it is padding), and for greedy ``scores`` (B, 1) = minus the sum over frames of the largest input value.
"""

import itertools

import keras
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_utils.ctc import brute_force_ctc_loss, collapse, ctc_loss, greedy_decode, min_frames



def random_log_probs(rng, *shape, scale=2.0):
    logits = rng.normal(scale=scale, size=shape)
    return logits - np.logaddexp.reduce(logits, axis=-1, keepdims=True)


def keras_loss(labels, log_probs, lengths, blank=0):
    width = max(1, max(len(label) for label in labels))
    padded = np.full((len(labels), width), 0 if blank != 0 else 1, dtype=np.int32)  # padding is ignored
    for b, label in enumerate(labels):
        padded[b, : len(label)] = label
    label_lengths = np.array([len(label) for label in labels], dtype=np.int32)
    loss = keras.ops.ctc_loss(padded, log_probs.astype("float32"), label_lengths, np.asarray(lengths), mask_index=blank)
    return keras.ops.convert_to_numpy(loss).astype(np.float64)


# ---- collapse and min_frames --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, label",
    [
        ([1, 1, 0, 1, 2, 2, 0], [1, 1, 2]),  # "aa-abb-" -> "aab": the blank keeps the two a's apart
        ([1, 1, 1, 2, 2], [1, 2]),  # repeats not separated by a blank merge
        ([0, 1, 0, 0, 1, 0], [1, 1]),
        ([0, 0, 0], []),
        ([], []),
        ([3, 0, 3, 3, 0, 0, 3], [3, 3, 3]),
        ((2, 2, 1), [2, 1]),
        (np.array([4, 4, 0, 4]), [4, 4]),
    ],
)
def test_collapse_examples(path, label):
    assert collapse(path) == label


def test_collapse_merges_before_dropping_blanks():
    # dropping blanks first would give [1, 1] -> [1]; CTC merges first, so the blank keeps both 1s
    assert collapse([1, 0, 1]) == [1, 1]
    # "cc-aa-t" and "c-aaa-tt" from the topic notes' style of example: both say "cat"
    c, a, t = 1, 2, 3
    assert collapse([c, c, 0, a, a, 0, t]) == collapse([c, 0, a, a, a, 0, t, t]) == [c, a, t]


def test_collapse_with_another_blank():
    assert collapse([2, 2, 0, 2, 1], blank=2) == [0, 1]
    assert collapse([0, 0, 1], blank=1) == [0]


@pytest.mark.parametrize(
    "label, frames",
    [([], 0), ([1], 1), ([1, 2, 3], 3), ([1, 1], 3), ([1, 1, 1], 5), ([1, 2, 2, 3, 3], 7), ([5, 1, 5], 3)],
)
def test_min_frames(label, frames):
    assert min_frames(label) == frames


@pytest.mark.parametrize(
    "function, argument, error, message",
    [
        (collapse, "abc", TypeError, "string"),
        (collapse, [1, 2.5], TypeError, r"path\[1\]"),
        (collapse, [1, True], TypeError, r"path\[1\]"),
        (collapse, [1, -1], ValueError, r"path\[1\] is -1"),
        (collapse, np.zeros((2, 2), dtype=int), ValueError, r"1-D.*\(2, 2\)"),
        (collapse, np.array([1.0, 2.0]), TypeError, "float64"),
        (collapse, 7, TypeError, "int"),
        (min_frames, [1, "a"], TypeError, r"label\[1\]"),
    ],
)
def test_collapse_and_min_frames_reject_bad_input(function, argument, error, message):
    with pytest.raises(error, match=message):
        function(argument)


def test_collapse_rejects_a_bad_blank():
    with pytest.raises(ValueError, match="blank must be at least 0, got -1"):
        collapse([1, 2], blank=-1)
    with pytest.raises(TypeError, match="blank"):
        collapse([1, 2], blank=0.0)


# ---- the loss against the definition and against Keras ------------------------------------------------------------


def test_ctc_loss_by_hand():
    # two frames, blank 0 and one symbol, every probability 1/2: paths 11, 01, 10 say [1], the path 00 says []
    log_probs = np.log(np.full((2, 2, 2), 0.5))
    np.testing.assert_allclose(ctc_loss([[1], []], log_probs, [2, 2]), [-np.log(0.75), -np.log(0.25)], rtol=1e-12)
    # one frame: the empty label is the path "blank"
    np.testing.assert_allclose(ctc_loss([[]], log_probs[:1], [1]), [np.log(2)], rtol=1e-12)


@pytest.mark.parametrize(
    "label, frames, classes, blank",
    [
        ([1], 4, 3, 0),
        ([1, 2], 5, 3, 0),
        ([1, 1], 6, 3, 0),  # a repeat: the lattice may not skip the blank between the two 1s
        ([2, 2, 2], 7, 3, 0),
        ([1, 2, 1], 6, 4, 0),
        ([3, 3, 1], 8, 4, 0),
        ([], 5, 3, 0),
        ([0, 1], 6, 3, 2),  # the blank is the last class, as in tf.nn.ctc_loss's default
        ([1, 1], 3, 3, 0),  # exactly min_frames: one path
    ],
)
def test_ctc_loss_equals_brute_force(label, frames, classes, blank):
    rng = np.random.default_rng(len(label) * 100 + frames * 10 + classes)
    for _ in range(3):
        log_probs = random_log_probs(rng, frames, classes)
        expected = brute_force_ctc_loss(label, log_probs, blank=blank)
        got = ctc_loss([label], log_probs[None], [frames], blank=blank)
        assert got.dtype == np.float64 and got.shape == (1,)
        np.testing.assert_allclose(got[0], expected, rtol=1e-9, atol=1e-9)


def test_ctc_loss_ignores_frames_past_the_input_length():
    rng = np.random.default_rng(3)
    log_probs = random_log_probs(rng, 1, 7, 3)
    expected = brute_force_ctc_loss([1, 2], log_probs[0, :5])
    padded = log_probs.copy()
    padded[0, 5:] = 123.0  # garbage past the length: neither read nor checked
    np.testing.assert_allclose(ctc_loss([[1, 2]], padded, [5]), [expected], rtol=1e-9)


def test_ctc_loss_equals_keras_on_a_batch_of_different_lengths():
    rng = np.random.default_rng(0)
    labels = [[1, 2, 2, 3], [4], [5, 5, 5, 1, 2], [], [3, 1, 4, 1, 5, 2]]
    lengths = [30, 9, 25, 4, 17]
    log_probs = random_log_probs(rng, len(labels), 30, 6)
    mine = ctc_loss(labels, log_probs, lengths)
    np.testing.assert_allclose(mine, keras_loss(labels, log_probs, lengths), rtol=1e-4, atol=1e-4)
    assert len(set(np.round(mine, 3))) == len(labels)  # the examples really differ


def test_keras_ctc_loss_takes_logits_and_a_blank_anywhere():
    rng = np.random.default_rng(1)
    labels = [[0, 1, 1], [2, 0]]
    lengths = [12, 8]
    logits = rng.normal(scale=2.0, size=(2, 12, 4)) + 5.0  # not normalised
    log_probs = logits - np.logaddexp.reduce(logits, axis=-1, keepdims=True)
    mine = ctc_loss(labels, log_probs, lengths, blank=3)
    np.testing.assert_allclose(mine, keras_loss(labels, log_probs, lengths, blank=3), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(mine, keras_loss(labels, logits, lengths, blank=3), rtol=1e-4, atol=1e-4)


def test_keras_returns_a_finite_number_for_an_impossible_label_where_ours_explains():
    rng = np.random.default_rng(2)
    log_probs = random_log_probs(rng, 1, 3, 3)
    assert np.isfinite(keras_loss([[1, 1, 1]], log_probs, [3])[0])  # 5 frames needed, 3 given: Keras stays silent
    with pytest.raises(ValueError, match=r"needs 5 frames .*but input_lengths\[0\] is 3"):
        ctc_loss([[1, 1, 1]], log_probs, [3])


def test_ctc_loss_is_inf_only_when_log_probs_rule_out_every_path():
    with np.errstate(divide="ignore"):
        log_probs = np.log(np.array([[[1.0, 0.0], [1.0, 0.0]]]))  # the symbol has probability 0
        assert ctc_loss([[1]], log_probs, [2])[0] == np.inf
        assert ctc_loss([[]], log_probs, [2])[0] == 0.0


# ---- bad input --------------------------------------------------------------------------------------------------


GOOD = np.log(np.full((2, 4, 3), 1 / 3))


@pytest.mark.parametrize(
    "labels, log_probs, lengths, kwargs, error, message",
    [
        ([[1, 1, 1], [1]], GOOD, [4, 4], {}, ValueError,
         r"labels\[0\] \[1, 1, 1\] needs 5 frames \(3 symbols and 2 blanks to separate the repeats 1 1, 1 1\) "
         r"but input_lengths\[0\] is 4"),
        ([[1], [1, 2]], GOOD, [4, 1], {}, ValueError,
         r"labels\[1\] \[1, 2\] needs 2 frames \(2 symbols\) but input_lengths\[1\] is 1"),
        ([[1, 0], [1]], GOOD, [4, 4], {}, ValueError, r"labels\[0\]\[1\] is the blank \(0\)"),
        ([[1], [2, 2]], GOOD, [4, 4], {"blank": 2}, ValueError, r"labels\[1\]\[0\] is the blank \(2\)"),
        ([[1], [3]], GOOD, [4, 4], {}, ValueError, r"labels\[1\]\[0\] is 3, out of range .* 3 classes"),
        ([[1], [-2]], GOOD, [4, 4], {}, ValueError, r"labels\[1\]\[0\] is -2"),
        ([[1], ["a"]], GOOD, [4, 4], {}, TypeError, r"labels\[1\]\[0\]"),
        ([[1], "ab"], GOOD, [4, 4], {}, TypeError, "string"),
        ([[1]], GOOD, [4, 4], {}, ValueError, "1 labels but log_probs has 2 examples"),
        ([[1], [2]], GOOD, [4, 5], {}, ValueError, r"input_lengths\[1\] is 5, outside \[0, 4\]"),
        ([[1], [2]], GOOD, [-1, 4], {}, ValueError, r"input_lengths\[0\] is -1"),
        ([[1], [2]], GOOD, [4], {}, ValueError, "input_lengths has 1 entries but log_probs has 2"),
        ([[1], [2]], GOOD, [[4, 4]], {}, ValueError, r"input_lengths must be 1-D .*\(1, 2\)"),
        ([[1], [2]], GOOD, [4.0, 4.0], {}, TypeError, "input_lengths must hold ints"),
        ([[1], [2]], GOOD[0], [4, 4], {}, ValueError, r"rank 3 \(B, T, C\), got shape \(4, 3\)"),
        ([[1], [2]], GOOD[..., None], [4, 4], {}, ValueError, "rank 3"),
        ([[1], [2]], GOOD[..., :1], [4, 4], {}, ValueError, "at least 2 classes"),
        ([[1], [2]], GOOD + 0.1, [4, 4], {}, ValueError,
         r"log_probs\[0, 0\] is not a row of log-probabilities: its exp sums to 1.10517"),
        ([[1], [2]], np.exp(GOOD), [4, 4], {}, ValueError, "log-softmax"),
        ([[1], [2]], np.where(np.arange(4)[None, :, None] == 2, np.nan, GOOD), [4, 4], {}, ValueError,
         r"log_probs\[0, 2, 0\] is nan"),
        ([[1], [2]], GOOD.astype(str), [4, 4], {}, TypeError, "real-valued"),
        ([[1], [2]], GOOD, [4, 4], {"blank": 3}, ValueError, r"blank must be a class id in \[0, 2\] .* got 3"),
        ([[1], [2]], GOOD, [4, 4], {"blank": None}, TypeError, "blank must be an int"),
        ({1: [1]}, GOOD, [4, 4], {}, TypeError, "labels must be a list"),
    ],
)
def test_ctc_loss_rejects_bad_input(labels, log_probs, lengths, kwargs, error, message):
    with pytest.raises(error, match=message):
        ctc_loss(labels, log_probs, lengths, **kwargs)


def test_ctc_loss_checks_normalisation_within_the_tolerance():
    nearly = GOOD.copy()
    nearly[1, 3] = np.log(np.exp(nearly[1, 3]) * (1 + 5e-5))  # sums to 1.00005: accepted
    assert np.isfinite(ctc_loss([[1], [2]], nearly, [4, 4])).all()
    off = GOOD.copy()
    off[1, 3] = np.log(np.exp(off[1, 3]) * (1 + 5e-4))  # sums to 1.0005: refused, and the row is named
    with pytest.raises(ValueError, match=r"log_probs\[1, 3\]"):
        ctc_loss([[1], [2]], off, [4, 4])


def test_brute_force_rejects_bad_input():
    with pytest.raises(ValueError, match=r"4 \*\* 9 paths"):
        brute_force_ctc_loss([1], np.log(np.full((9, 4), 0.25)))
    with pytest.raises(ValueError, match=r"5 \*\* 2 paths"):
        brute_force_ctc_loss([1], np.log(np.full((2, 5), 0.2)))
    repeat = r"needs 3 frames \(2 symbols and 1 blank to separate the repeat 1 1\) but the number of frames T is 2"
    with pytest.raises(ValueError, match=repeat):
        brute_force_ctc_loss([1, 1], np.log(np.full((2, 3), 1 / 3)))
    with pytest.raises(ValueError, match=r"label\[0\] is the blank"):
        brute_force_ctc_loss([0], np.log(np.full((2, 3), 1 / 3)))
    with pytest.raises(ValueError, match=r"rank 2 \(T, C\)"):
        brute_force_ctc_loss([1], GOOD)
    with pytest.raises(ValueError, match="not a row of log-probabilities"):
        brute_force_ctc_loss([1], np.zeros((2, 3)))


# ---- greedy decoding ----------------------------------------------------------------------------------------------


def test_greedy_decode_by_hand():
    best = np.array([[1, 1, 0, 1, 2, 2, 0, 0], [0, 3, 3, 0, 0, 3, 1, 1], [0, 0, 0, 0, 0, 0, 0, 0]])
    log_probs = np.log(np.eye(4)[best] * 0.6 + 0.1)  # (3, 8, 4): each frame's best class has 0.7
    assert greedy_decode(log_probs, [8, 8, 8]) == [[1, 1, 2], [3, 3, 1], []]
    assert greedy_decode(log_probs, [5, 3, 0]) == [[1, 1, 2], [3], []]  # later frames are ignored
    assert greedy_decode(log_probs, [8, 8, 8], blank=3) == [[1, 0, 1, 2, 0], [0, 0, 1], [0]]


def test_greedy_decode_equals_keras():
    rng = np.random.default_rng(5)
    lengths = np.array([20, 7, 13, 1, 16])
    log_probs = random_log_probs(rng, 5, 20, 5, scale=1.5)
    for blank in (0, 4):
        decoded, scores = keras.ops.ctc_decode(
            log_probs.astype("float32"), lengths, strategy="greedy", mask_index=blank
        )
        decoded = keras.ops.convert_to_numpy(decoded)
        assert decoded.shape == (1, 5, 20)
        keras_labels = [[int(c) for c in row if c != -1] for row in decoded[0]]  # -1 pads each label
        mine = greedy_decode(log_probs, lengths, blank=blank)
        assert mine == keras_labels
        assert all(len(label) < 20 for label in mine)  # so the padding really was there to strip
        best = np.array([log_probs[b, : lengths[b]].max(axis=-1).sum() for b in range(5)])
        np.testing.assert_allclose(keras.ops.convert_to_numpy(scores)[:, 0], -best, rtol=1e-5)


def test_greedy_decode_accepts_logits_and_rejects_bad_input():
    rng = np.random.default_rng(6)
    log_probs = random_log_probs(rng, 2, 6, 3)
    assert greedy_decode(log_probs + 7.0, [6, 6]) == greedy_decode(log_probs, [6, 6])
    with pytest.raises(ValueError, match=r"input_lengths\[1\] is 7, outside \[0, 6\]"):
        greedy_decode(log_probs, [6, 7])
    with pytest.raises(ValueError, match="input_lengths has 3 entries"):
        greedy_decode(log_probs, [6, 6, 6])
    with pytest.raises(ValueError, match=r"rank 3 .*\(6, 3\)"):
        greedy_decode(log_probs[0], [6])
    with pytest.raises(ValueError, match="blank must be a class id"):
        greedy_decode(log_probs, [6, 6], blank=3)
    broken = log_probs.copy()
    broken[1, 4, 2] = np.nan
    with pytest.raises(ValueError, match=r"log_probs\[1, 4\] holds NaN"):
        greedy_decode(broken, [6, 6])
    assert greedy_decode(broken, [6, 4])[1] == greedy_decode(log_probs, [6, 4])[1]  # NaN past the length is ignored


# ---- properties ---------------------------------------------------------------------------------------------------

labels_strategy = st.lists(st.integers(1, 3), max_size=5)


@given(st.lists(st.integers(0, 4), max_size=30))
def test_collapse_is_idempotent_on_labels_without_repeats(path):
    label = collapse(path)
    assert 0 not in label
    # a collapsed label may still hold repeats ("a-a" -> "aa"), which a second collapse would merge;
    # it is a fixed point exactly when it has no adjacent repeat, i.e. when it needs no blank
    assert (collapse(label) == label) == (min_frames(label) == len(label))


@given(labels_strategy)
def test_a_path_of_min_frames_collapses_to_the_label(label):
    path = []
    for symbol in label:
        if path and path[-1] == symbol:
            path.append(0)  # the blank a repeat needs
        path.append(symbol)
    assert len(path) == min_frames(label)
    assert collapse(path) == label


@given(st.lists(st.integers(1, 2), min_size=1, max_size=3))
def test_no_path_one_frame_shorter_than_min_frames_collapses_to_the_label(label):
    shorter = min_frames(label) - 1  # at most 4 frames: 81 paths over {blank, 1, 2}
    assert all(collapse(path) != label for path in itertools.product(range(3), repeat=shorter))


@given(labels_strategy, st.integers(0, 4), st.integers(0, 2**32 - 1))
def test_ctc_loss_is_finite_and_non_negative_from_min_frames_on(label, extra, seed):
    frames = min_frames(label) + extra
    log_probs = random_log_probs(np.random.default_rng(seed), 1, max(frames, 1), 4)
    loss = ctc_loss([label], log_probs, [frames])[0]
    assert np.isfinite(loss) and loss >= 0.0
    if label:
        with pytest.raises(ValueError, match=f"needs {min_frames(label)} frames"):
            ctc_loss([label], log_probs, [min_frames(label) - 1])


@given(st.lists(st.integers(1, 2), max_size=3), st.integers(0, 3), st.integers(0, 2**32 - 1))
def test_ctc_loss_equals_brute_force_property(label, extra, seed):
    frames = max(1, min(min_frames(label) + extra, 6))  # min_frames(label) <= 5
    log_probs = random_log_probs(np.random.default_rng(seed), frames, 3)
    np.testing.assert_allclose(
        ctc_loss([label], log_probs[None], [frames])[0], brute_force_ctc_loss(label, log_probs), rtol=1e-9, atol=1e-9
    )
