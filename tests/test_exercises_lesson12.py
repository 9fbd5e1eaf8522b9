"""Lesson 12's exercise checkers: each reference passes, each typical wrong answer gets its own message."""

import itertools

import keras
import numpy as np
import pytest

from course_utils import transformer
from course_utils.checks import lesson12 as checks
from course_utils.transformer import scaled_dot_product_attention

NAMES = ["causal_mask", "multi_head", "encoder_block_params", "positional_encoding"]


def message(exercise, answer) -> str:
    result = exercise.evaluate(answer)
    assert not result.passed, "a wrong answer passed"
    assert "your answer raised" not in result.message, result.message  # a targeted message, not a crash
    return result.message


@pytest.mark.parametrize("name", NAMES)
def test_reference_passes_and_known_wrong_fails(name):
    exercise = getattr(checks, name)
    assert exercise.evaluate(exercise.reference).passed
    assert not exercise.evaluate(checks.KNOWN_WRONG[name]).passed


def test_all_and_known_wrong_list_the_four_exercises():
    assert checks.__all__ == NAMES
    assert list(checks.KNOWN_WRONG) == NAMES


def test_hints_have_two_levels():
    for name in NAMES:
        hint = getattr(checks, name).hint_text
        assert hint.startswith("Level 1: ") and "\nLevel 2: " in hint, name


# --- 1. causal mask -------------------------------------------------------------------------------------------------


def test_causal_reference_equals_course_utils():
    for length in (1, 2, 5, 9):
        got = checks.causal_mask.reference(length)
        assert got.dtype == bool
        np.testing.assert_array_equal(got, transformer.causal_mask(length))


def test_causal_messages():
    ones = lambda n: np.ones((n, n), dtype=bool)  # noqa: E731
    ex = checks.causal_mask
    assert "upper triangle" in message(ex, lambda n: np.triu(ones(n)))
    assert "left out the diagonal" in message(ex, lambda n: np.tril(ones(n), k=-1))
    assert "swapped" in message(ex, lambda n: np.triu(ones(n), k=1))  # True = blocked
    assert "the pattern is right" in message(ex, lambda n: np.tril(np.ones((n, n))))  # floats
    assert "boolean in this course" in message(ex, lambda n: np.tril(np.ones((n, n), dtype=int)))
    assert "nothing is masked" in message(ex, ones)
    assert "shape (4, 4)" in message(ex, lambda n: np.tril(ones(n + 1)))
    assert "NumPy array" in message(ex, lambda n: None if n else 0)


# --- 2. multi-head attention ----------------------------------------------------------------------------------------


def _as_keras_weights(wq, wk, wv, wo, heads):
    """The (d, d_model) matrices in the (d, heads, head_dim) layout of multi_head_attention and Keras."""
    head_dim = wq.shape[1] // heads
    return {
        "query_kernel": wq.reshape(wq.shape[0], heads, head_dim),
        "key_kernel": wk.reshape(wk.shape[0], heads, head_dim),
        "value_kernel": wv.reshape(wv.shape[0], heads, head_dim),
        "output_kernel": wo.reshape(heads, head_dim, wo.shape[1]),
    }


def test_multi_head_reference_equals_multi_head_attention():
    for x_q, x_kv, wq, wk, wv, wo, heads in checks._mha_cases():
        got = checks.multi_head.reference(x_q, x_kv, wq, wk, wv, wo, heads)
        want, _ = transformer.multi_head_attention(x_q, x_kv, _as_keras_weights(wq, wk, wv, wo, heads), heads)
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(checks._mha_variant(x_q, x_kv, wq, wk, wv, wo, heads), want, rtol=1e-9, atol=1e-12)
        # zero biases give the same result as no biases
        per_head = np.zeros((heads, wq.shape[1] // heads))
        zero = {"query_bias": per_head, "key_bias": per_head, "value_bias": per_head,
                "output_bias": np.zeros(wo.shape[1])}
        weights = {**_as_keras_weights(wq, wk, wv, wo, heads), **zero}
        with_bias, _ = transformer.multi_head_attention(x_q, x_kv, weights, heads)
        np.testing.assert_allclose(got, with_bias, rtol=1e-5, atol=1e-5)


def test_multi_head_reference_equals_keras_layer():
    x_q, x_kv, wq, wk, wv, wo, heads = checks._mha_cases()[0]
    head_dim = wq.shape[1] // heads
    layer = keras.layers.MultiHeadAttention(heads, key_dim=head_dim, use_bias=False, output_shape=wo.shape[1],
                                            dtype="float64")  # fmt: skip
    layer(x_q, x_kv)  # builds the layer
    w = _as_keras_weights(wq, wk, wv, wo, heads)
    layer.query_dense.kernel.assign(w["query_kernel"])
    layer.key_dense.kernel.assign(w["key_kernel"])
    layer.value_dense.kernel.assign(w["value_kernel"])
    layer.output_dense.kernel.assign(w["output_kernel"])
    want = keras.ops.convert_to_numpy(layer(x_q, x_kv))
    np.testing.assert_allclose(checks.multi_head.reference(x_q, x_kv, wq, wk, wv, wo, heads), want, rtol=1e-5,
                               atol=1e-5)  # fmt: skip


def _mha(**kw):
    return lambda x_q, x_kv, wq, wk, wv, wo, heads: checks._mha_variant(x_q, x_kv, wq, wk, wv, wo, heads, **kw)


def test_multi_head_messages():
    ex = checks.multi_head
    assert "sqrt(d_model)" in message(ex, _mha(scale="model"))
    assert "one head over all" in message(ex, checks.KNOWN_WRONG["multi_head"])  # sdpa on the whole projections
    assert "one head over all" in message(ex, _mha(split="none", scale="model"))
    assert "interleaved" in message(ex, _mha(split="interleaved"))
    assert "interleaved" in message(ex, _mha(split="interleaved", merge="interleaved"))
    assert "from x_kv" in message(ex, _mha(kv_from_query=True))
    assert "did not scale" in message(ex, _mha(scale="none"))
    # forgetting Wo: a shape message when d_out != d_model, a value message when they are equal
    assert "multiply them by Wo" in message(ex, _mha(project_out=False))

    def no_wo_when_square(x_q, x_kv, wq, wk, wv, wo, heads):
        square = wo.shape[0] == wo.shape[1]
        return checks._mha_variant(x_q, x_kv, wq, wk, wv, wo, heads, project_out=not square)

    assert "left out the output projection" in message(ex, no_wo_when_square)


def test_multi_head_shape_messages():
    ex = checks.multi_head
    ref = ex.reference

    def with_weights(x_q, x_kv, *w):
        return ref(x_q, x_kv, *w), np.zeros((1, 1, 1, 1))

    assert "pair of arrays" in message(ex, with_weights)

    def heads_not_merged(x_q, x_kv, wq, wk, wv, wo, heads):
        q = (x_q @ wq).reshape(x_q.shape[0], x_q.shape[1], heads, -1).transpose(0, 2, 1, 3)
        k = (x_kv @ wk).reshape(x_kv.shape[0], x_kv.shape[1], heads, -1).transpose(0, 2, 1, 3)
        v = (x_kv @ wv).reshape(x_kv.shape[0], x_kv.shape[1], heads, -1).transpose(0, 2, 1, 3)
        return scaled_dot_product_attention(q, k, v)[0]  # (B, heads, Tq, head_dim)

    assert "one axis per head" in message(ex, heads_not_merged)
    assert "(B, Tq, d_out)" in message(ex, lambda x_q, *rest: ref(x_q, *rest)[0])  # the batch axis dropped
    assert "NaN" in message(ex, lambda *args: ref(*args) * np.nan)


# --- 3. parameters of an encoder block ------------------------------------------------------------------------------


def test_encoder_reference_equals_count_params():
    for case in checks._ENCODER_CASES + [(6, 1, 10), (32, 8, 64)]:
        assert checks.encoder_block_params.reference(*case) == checks._block_params(*case), case


def test_encoder_mistakes_are_distinct():
    for d, h, f in checks._ENCODER_CASES:
        want = checks._block_params(d, h, f)
        sets = [counts for counts, _ in checks._encoder_mistakes(d, h, f, want)]
        assert all(want not in s for s in sets)
        for a, b in itertools.combinations(sets, 2):
            assert not a & b, (d, h, f, a, b)


def _count(*, biases=True, norms=2, ln_size=2, split=True, output=True, ff_layers=2):
    def fn(d, h, f):
        per_head = d // h if split else d
        qkv = 3 * (d * h * per_head + (h * per_head if biases else 0))
        out = (h * per_head * d + (d if biases else 0)) if output else 0
        ff = d * f + (f if biases else 0) + ((f * d + (d if biases else 0)) if ff_layers == 2 else 0)
        return qkv + out + ff + norms * ln_size * d

    return fn


def test_encoder_messages():
    ex = checks.encoder_block_params
    assert ex.evaluate(_count()).passed  # the test's own model of the count is right
    assert "only the weight matrices" in message(ex, checks.KNOWN_WRONG["encoder_block_params"])
    assert "forgot the biases" in message(ex, _count(biases=False))
    assert "LayerNormalization layers hold" in message(ex, _count(norms=0))
    assert "scale AND an offset" in message(ex, _count(ln_size=1))
    assert "scale AND an offset" in message(ex, _count(norms=1))
    assert "its own d_model x d_model" in message(ex, _count(split=False))
    assert "output projection" in message(ex, _count(output=False))
    assert "TWO Dense layers" in message(ex, _count(ff_layers=1))
    assert "one int" in message(ex, lambda d, h, f: [d, h, f])
    assert "whole number" in message(ex, lambda d, h, f: _count()(d, h, f) + 0.5)
    assert ex.evaluate(lambda d, h, f: float(_count()(d, h, f))).passed  # 1234.0 is a whole number
    assert "has 600 parameters, you counted 7" in message(ex, lambda d, h, f: 7)


# --- 4. positional encoding -----------------------------------------------------------------------------------------


def test_positional_reference_equals_course_utils():
    for length, depth in checks._POSITIONAL_CASES + [(3, 2), (100, 64)]:
        np.testing.assert_allclose(checks.positional_encoding.reference(length, depth),
                                   transformer.positional_encoding(length, depth), atol=1e-6)  # fmt: skip


def test_positional_float32_computation_passes():
    def float32(length, depth):
        pos = np.arange(length, dtype=np.float32)[:, None]
        i = (np.arange(depth) // 2).astype(np.float32)
        angles = pos / np.float32(10000) ** (2 * i / np.float32(depth))
        return np.where(np.arange(depth) % 2 == 0, np.sin(angles), np.cos(angles))

    assert checks.positional_encoding.evaluate(float32).passed


def _pe(**kw):
    return lambda length, depth: checks._pe_variant(length, depth, **kw)


def test_positional_messages():
    ex = checks.positional_encoding
    assert "swapped" in message(ex, _pe(swap=True))
    assert "column index j" in message(ex, _pe(exponent="column"))
    assert "pair index" in message(ex, _pe(exponent="i"))
    assert "first half" in message(ex, _pe(halves=True))
    assert "not 1000" in message(ex, _pe(base=1000.0))
    assert "start at 0" in message(ex, _pe(start=1))
    assert "transposed" in message(ex, lambda length, depth: _pe()(length, depth).T)
    assert "should have shape" in message(ex, lambda length, depth: _pe()(length, depth)[:, : depth // 2])
    assert "differs at row" in message(ex, lambda length, depth: _pe()(length, depth) * 1.01)


def test_calling_the_library_is_not_an_answer():
    from course_utils import transformer

    assert "write it yourself" in checks.causal_mask.evaluate(transformer.causal_mask).message
    assert "write it yourself" in checks.causal_mask.evaluate(lambda n: transformer.causal_mask(n)).message
    assert "write it yourself" in checks.positional_encoding.evaluate(transformer.positional_encoding).message
    causal_mask = transformer.causal_mask  # as imported by name in the notebook
    assert "write it yourself" in checks.causal_mask.evaluate(lambda n: causal_mask(n)).message
