"""Exercises of lesson 12 (the Transformer): the causal mask, multi-head attention built from single-head
attention, the number of parameters of an encoder block, and the sinusoidal position encodings.

Every checker compares with ``course_utils`` (``transformer.causal_mask``, ``transformer.multi_head_attention``'s
computation, the ``count_params()`` of a real ``transformer_models.TransformerEncoderBlock``,
``transformer.positional_encoding``) on seeded cases and names the typical mistakes. ``KNOWN_WRONG`` maps the name
of each exercise (its attribute in this module) to one typical wrong answer, which its checker must reject.

Example:
    >>> causal_mask.check(causal_mask.reference)
    Correct: the causal mask.
    >>> causal_mask.check(lambda length: np.triu(np.ones((length, length), dtype=bool)))
    Not yet (the causal mask): that is the upper triangle: row t (the query at position t) may see the keys 0..t, on and below the diagonal; yours lets position 0 see the whole future
"""

from __future__ import annotations

import functools
import math
from typing import Callable

import numpy as np

from course_utils import transformer
from course_utils.exercises import Exercise
from course_utils.transformer import scaled_dot_product_attention

__all__ = ["causal_mask", "multi_head", "encoder_block_params", "positional_encoding"]


def _array(got: object, what: str) -> np.ndarray:
    """``got`` as a NumPy array, or an AssertionError saying that an array was expected."""
    if isinstance(got, (tuple, list)) and len(got) == 2 and all(np.ndim(g) >= 2 for g in got):
        raise AssertionError(f"you returned a pair of arrays: return only {what}, one array (note that "
                             "scaled_dot_product_attention returns (output, weights))")  # fmt: skip
    try:
        arr = np.asarray(got)
    except (TypeError, ValueError):
        raise AssertionError(f"{what} should be a NumPy array, got {type(got).__name__}") from None
    if arr.dtype == object:
        raise AssertionError(f"{what} should be a NumPy array of numbers, got {got!r:.80}")
    return arr


def _int(got: object, what: str) -> int:
    """``got`` as an int, or an AssertionError saying that one whole number was expected."""
    if isinstance(got, (bool, np.bool_)):
        raise AssertionError(f"{what} should be one int, got {got!r}")
    arr = np.asarray(got)
    if arr.size != 1 or not np.issubdtype(arr.dtype, np.number):
        raise AssertionError(f"{what} should be one int, got {got!r:.80}")
    value = float(arr.reshape(()))
    if not math.isfinite(value) or value != round(value):
        raise AssertionError(f"{what} is a whole number of parameters, got {value}")
    return int(round(value))


# --- 1. the causal mask --------------------------------------------------------------------------------------------


def _causal_solution(length):
    rows = np.arange(length)[:, None]  # the query position t, one per row
    cols = np.arange(length)[None, :]  # the key position s, one per column
    return cols <= rows  # query t may attend to keys 0..t: the lower triangle, diagonal included


def _reject_library(fn: Callable, name: str) -> None:
    """Fail an answer that only calls the course's own function of that name (the exercise is to write it)."""
    library = getattr(transformer, name)
    code = getattr(fn, "__code__", None)
    reachable: list[object] = []
    if code is not None:
        reachable += [getattr(fn, "__globals__", {}).get(n) for n in code.co_names]
        reachable += [cell.cell_contents for cell in (getattr(fn, "__closure__", None) or ())]
    uses_module = code is not None and name in code.co_names and any(r is transformer for r in reachable)
    if fn is library or any(r is library for r in reachable) or uses_module:
        raise AssertionError(f"your function calls course_utils.transformer.{name}; the exercise is to write it "
                             "yourself, with NumPy")


_CAUSAL_LENGTHS = [4, 7, 1]


def _check_causal(fn: Callable) -> None:
    _reject_library(fn, "causal_mask")
    for length in _CAUSAL_LENGTHS:
        got = _array(fn(length), "the mask")
        want = transformer.causal_mask(length)
        if got.shape != want.shape:
            raise AssertionError(f"causal_mask({length}) should have shape ({length}, {length}), one row per query "
                                 f"and one column per key, got {got.shape}")  # fmt: skip
        if got.dtype != bool:
            right = np.isin(got, (0, 1)).all() and np.array_equal(got.astype(bool), want)
            raise AssertionError(
                f"masks are boolean in this course (True = may attend), got dtype {got.dtype}"
                + (": the pattern is right, build it as bool (dtype=bool or a comparison)" if right else "")
            )
        if np.array_equal(got, want):
            continue
        full = np.ones((length, length), dtype=bool)
        if np.array_equal(got, np.triu(full)):
            raise AssertionError("that is the upper triangle: row t (the query at position t) may see the "
                                 "keys 0..t, on and below the diagonal; yours lets position 0 see the whole "
                                 "future")  # fmt: skip
        if np.array_equal(got, np.tril(full, k=-1)):
            raise AssertionError("you left out the diagonal: position t may attend to itself (its own token is "
                                 "not the future), and without it row 0 has no key at all")  # fmt: skip
        if np.array_equal(got, ~want):
            raise AssertionError("True and False are swapped: here True marks the keys a query MAY attend to (the "
                                 "past and itself), False the future it must not see")  # fmt: skip
        if got.all():
            raise AssertionError("every entry is True: nothing is masked, so every position sees the future")
        raise AssertionError(f"causal_mask({length}) should be\n{want.astype(int)}\n(1 = True), got\n"
                             f"{got.astype(int)}")  # fmt: skip


causal_mask = Exercise(
    "the causal mask",
    _check_causal,
    hint_text="Level 1: row t is the query at position t, column s the key at position s; the query may see the "
    "keys 0..t, itself included, and nothing after it.\nLevel 2: the answer is True where the column index is at "
    "most the row index: compare a column of positions (length, 1) with a row of positions (1, length), or take "
    "the lower triangle (diagonal included) of a boolean square of ones.",
    reference=_causal_solution,
)


# --- 2. multi-head attention from single-head attention ------------------------------------------------------------


def _multi_head_solution(x_q, x_kv, Wq, Wk, Wv, Wo, num_heads):
    # x_q (B, Tq, d_q), x_kv (B, Tk, d_kv); Wq (d_q, d_model), Wk and Wv (d_kv, d_model), Wo (d_model, d_out)
    q, k, v = x_q @ Wq, x_kv @ Wk, x_kv @ Wv  # (B, Tq, d_model), (B, Tk, d_model), (B, Tk, d_model)
    head_dim = q.shape[-1] // num_heads
    heads = []
    for h in range(num_heads):
        part = slice(h * head_dim, (h + 1) * head_dim)  # head h owns head_dim consecutive features
        out, _ = scaled_dot_product_attention(q[..., part], k[..., part], v[..., part])  # divides by sqrt(head_dim)
        heads.append(out)  # (B, Tq, head_dim)
    return np.concatenate(heads, axis=-1) @ Wo  # (B, Tq, d_model) @ (d_model, d_out) -> (B, Tq, d_out)


def _mha_cases() -> list[tuple]:
    """(x_q, x_kv, Wq, Wk, Wv, Wo, num_heads): cross-attention with d_out != d_model first, then 4 heads, then
    self-attention with d_out = d_model (as in a Transformer block)."""
    rng = np.random.default_rng(120)
    cases = []
    for batch, tq, tk, d_in, d_model, d_out, heads in [(2, 3, 5, 6, 8, 5, 2), (1, 4, 6, 6, 8, 7, 4),
                                                       (2, 5, 5, 12, 12, 12, 3)]:  # fmt: skip
        x_q = rng.normal(size=(batch, tq, d_in))
        x_kv = x_q if tq == tk and d_out == d_model else rng.normal(size=(batch, tk, d_in))
        w = [rng.normal(size=(d_in, d_model)) / math.sqrt(d_in) * 1.5 for _ in range(3)]
        wo = rng.normal(size=(d_model, d_out)) / math.sqrt(d_model)
        cases.append((x_q, x_kv, *w, wo, heads))
    return cases


def _mha_variant(x_q, x_kv, Wq, Wk, Wv, Wo, num_heads, *, scale="head", split="blocks", merge="blocks",
                 project_out=True, kv_from_query=False):  # fmt: skip
    """Multi-head attention, right or with one typical mistake (the checker's model of each mistake)."""
    source = x_q if kv_from_query else x_kv
    q, k, v = x_q @ Wq, source @ Wk, source @ Wv
    d_model = q.shape[-1]
    heads = 1 if split == "none" else num_heads
    head_dim = d_model // heads

    def split_heads(y):  # (B, T, d_model) -> (B, heads, T, head_dim)
        b, t, _ = y.shape
        if split == "interleaved":  # head h gets the features h, h + heads, h + 2 heads, ...
            return y.reshape(b, t, head_dim, heads).transpose(0, 3, 1, 2)
        return y.reshape(b, t, heads, head_dim).transpose(0, 2, 1, 3)

    q, k, v = split_heads(q), split_heads(k), split_heads(v)
    divisor = {"head": math.sqrt(head_dim), "model": math.sqrt(d_model), "none": 1.0}[scale]
    scores = q @ np.swapaxes(k, -1, -2) / divisor
    weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
    out = (weights / weights.sum(axis=-1, keepdims=True)) @ v  # (B, heads, Tq, head_dim)
    b, _, t, _ = out.shape
    if merge == "interleaved":
        out = out.transpose(0, 2, 3, 1).reshape(b, t, d_model)
    else:
        out = out.transpose(0, 2, 1, 3).reshape(b, t, d_model)
    return out @ Wo if project_out else out


def _close(got: np.ndarray, want: np.ndarray) -> bool:
    return got.shape == want.shape and bool(np.allclose(got, want, rtol=1e-5, atol=1e-6))


def _check_multi_head(fn: Callable) -> None:
    for case in _mha_cases():
        x_q, x_kv, wq, wk, wv, wo, heads = case
        b, tq, d_model, d_out = x_q.shape[0], x_q.shape[1], wq.shape[1], wo.shape[1]
        head_dim = d_model // heads
        got = _array(fn(*[a.copy() for a in case[:6]], heads), "the output (B, Tq, d_out)")
        want = _mha_variant(*case)
        if got.shape != want.shape:
            if d_out != d_model and got.shape == (b, tq, d_model):
                raise AssertionError(f"your output has d_model = {d_model} features, the concatenated heads: "
                                     f"multiply them by Wo {wo.shape} to get d_out = {d_out}")  # fmt: skip
            if got.ndim == 4 and sorted(got.shape) == sorted((b, heads, tq, head_dim)):
                raise AssertionError(f"your output {got.shape} still has one axis per head: concatenate the "
                                     f"heads' outputs (B, Tq, head_dim) along the last axis into (B, Tq, d_model), "
                                     f"then multiply by Wo")  # fmt: skip
            raise AssertionError(f"with x_q {x_q.shape}, Wo {wo.shape} and {heads} heads the output should have "
                                 f"shape (B, Tq, d_out) = {want.shape}, got {got.shape}")  # fmt: skip
        if not np.all(np.isfinite(got)):
            raise AssertionError("your output contains NaN or inf")
        if _close(got, want):
            continue
        variants = [
            (dict(project_out=False), f"you left out the output projection: multiply the concatenated heads by "
                                      f"Wo {wo.shape}"),
            (dict(scale="model"), f"you divided the scores by sqrt(d_model) = sqrt({d_model}): each head's queries "
                                  f"and keys have head_dim = {head_dim} features, so divide by sqrt({head_dim}) "
                                  "(scaled_dot_product_attention does it when given one head's slices)"),
            (dict(split="none", scale="model"), f"you ran one head over all d_model = {d_model} features: split the "
                                                f"projections into {heads} heads of {head_dim} features and attend "
                                                "in each head separately"),
            (dict(split="none"), f"you ran one head over all d_model = {d_model} features: split the projections "
                                 f"into {heads} heads of {head_dim} features and attend in each head separately"),
            (dict(split="interleaved"), "your heads take every num_heads-th feature (interleaved): head h owns "
                                        f"the consecutive features h * {head_dim} to (h + 1) * {head_dim}, which "
                                        "is what reshaping the last axis to (num_heads, head_dim) gives"),
            (dict(split="interleaved", merge="interleaved"), "your heads take every num_heads-th feature "
                                                             f"(interleaved): head h owns the consecutive features "
                                                             f"h * {head_dim} to (h + 1) * {head_dim}, which is "
                                                             "what reshaping the last axis to (num_heads, "
                                                             "head_dim) gives"),
            (dict(kv_from_query=True), "you computed the keys and values from x_q: in cross-attention they come "
                                       "from x_kv (x_kv @ Wk, x_kv @ Wv), only the queries from x_q"),
            (dict(scale="none"), f"you did not scale the scores: divide them by sqrt(head_dim) = sqrt({head_dim}) "
                                 "before the softmax"),
        ]  # fmt: skip
        for kwargs, text in variants:
            if _close(got, _mha_variant(*case, **kwargs)):
                raise AssertionError(text)
        raise AssertionError(f"with {heads} heads, x_q {x_q.shape} and x_kv {x_kv.shape}, the output differs from "
                             f"the expected one by up to {np.abs(got - want).max():.3g}")  # fmt: skip


multi_head = Exercise(
    "multi-head attention",
    _check_multi_head,
    hint_text="Level 1: project once with the full matrices, then run attention num_heads times, each head on its "
    "own block of head_dim = d_model // num_heads consecutive features of the queries, keys and values; the "
    "heads' outputs are put side by side again and mixed by Wo.\nLevel 2: compute x_q @ Wq, x_kv @ Wk, x_kv @ Wv; "
    "for head h slice the features h * head_dim to (h + 1) * head_dim out of each, give the three slices to "
    "scaled_dot_product_attention and keep its output (not its weights); concatenate the heads' outputs along "
    "the last axis, in head order, and multiply by Wo.",
    reference=_multi_head_solution,
)


# --- 3. the parameters of an encoder block -------------------------------------------------------------------------


def _encoder_params_solution(d_model, num_heads, ff_dim):
    head_dim = d_model // num_heads  # the block's attention uses key_dim = value_dim = d_model // num_heads
    # query, key and value projections: d_model features -> num_heads heads of head_dim, with biases
    query_key_value = 3 * (d_model * num_heads * head_dim + num_heads * head_dim)
    # output projection: the concatenated heads (num_heads * head_dim features) -> d_model, with a bias
    output = num_heads * head_dim * d_model + d_model
    # feed-forward network: Dense(ff_dim) then Dense(d_model), each with a bias
    feed_forward = (d_model * ff_dim + ff_dim) + (ff_dim * d_model + d_model)
    # two LayerNormalization layers, each with a scale and an offset per feature
    norms = 2 * (2 * d_model)
    return query_key_value + output + feed_forward + norms


_ENCODER_CASES = [(8, 2, 16), (12, 3, 20), (16, 4, 24)]


@functools.lru_cache(maxsize=None)
def _block_params(d_model: int, num_heads: int, ff_dim: int) -> int:
    """``count_params()`` of a built ``TransformerEncoderBlock(d_model, num_heads, ff_dim)``."""
    from course_utils.transformer_models import TransformerEncoderBlock

    block = TransformerEncoderBlock(d_model, num_heads, ff_dim)
    block(np.zeros((1, 3, d_model), dtype="float32"))  # builds every sub-layer
    return int(block.count_params())


def _encoder_mistakes(d: int, h: int, f: int, want: int) -> list[tuple[set[int], str]]:
    """The counts that typical mistakes give, each with its message."""
    attention = 4 * (d * d + d)  # four d_model x d_model projections with biases
    dense_biases = 4 * d + f + d  # the attention projections' and the feed-forward layers' biases
    norms = 4 * d
    no_split = {4 * h * d * d + 4 * h * d, 4 * h * d * d + 3 * h * d + d, 4 * h * d * d + 4 * d, 4 * h * d * d,
                3 * h * d * d + 3 * h * d + d * d + d}  # fmt: skip
    return [
        ({want - dense_biases - norms}, "you counted only the weight matrices: every Dense layer and attention "
                                        "projection also has one bias per output feature, and each "
                                        "LayerNormalization a scale and an offset per feature"),
        ({want - dense_biases, want - (f + d)}, "you forgot the biases: every Dense layer and attention projection "
                                                "has one bias per output feature"),
        ({want - norms}, f"you are 4 * d_model = {4 * d} short: that is what the two LayerNormalization layers "
                         "hold (a scale and an offset per feature each), or the biases of the four attention "
                         "projections (d_model each)"),
        ({want - norms // 2}, f"you are 2 * d_model = {2 * d} short: each of the TWO LayerNormalization layers "
                              "has a scale AND an offset per feature"),
        ({want - attention + a for a in no_split}, f"you gave each of the {h} heads its own d_model x d_model "
                                                   f"projections: the block's attention uses key_dim = d_model // "
                                                   f"num_heads = {d // h}, so the heads share the d_model features "
                                                   "and each projection is d_model x d_model in all (plus "
                                                   "d_model biases)"),
        ({want - (d * d + d), want - d * d}, "you left out the attention's output projection: after the heads are "
                                             "concatenated, a d_model x d_model matrix (plus d_model biases) "
                                             "mixes them"),
        ({want - (f * d + d), want - (d * f + f)}, "the feed-forward network has TWO Dense layers: d_model -> "
                                                   "ff_dim (relu), then ff_dim -> d_model"),
    ]


def _check_encoder_params(fn: Callable) -> None:
    for d, h, f in _ENCODER_CASES:
        got = _int(fn(d, h, f), f"the number of parameters for ({d}, {h}, {f})")
        want = _block_params(d, h, f)
        if got == want:
            continue
        for counts, text in _encoder_mistakes(d, h, f, want):
            if got in counts:
                raise AssertionError(f"for d_model={d}, num_heads={h}, ff_dim={f}: {text}")
        raise AssertionError(f"TransformerEncoderBlock(d_model={d}, num_heads={h}, ff_dim={f}) has {want} "
                             f"parameters, you counted {got}")  # fmt: skip


encoder_block_params = Exercise(
    "the parameters of an encoder block",
    _check_encoder_params,
    hint_text="Level 1: list the block's layers: one MultiHeadAttention with key_dim = value_dim = d_model // "
    "num_heads (four projections: query, key, value, output), two Dense layers, two LayerNormalization layers. "
    "Every projection and Dense layer has biases.\nLevel 2: a Dense layer from n to m features has n * m weights and "
    "m biases; the query projection maps d_model features to num_heads heads of key_dim features (so d_model * "
    "num_heads * key_dim weights), likewise key and value, and the output projection maps num_heads * value_dim "
    "back to d_model; a LayerNormalization has a scale and an offset per feature.",
    reference=_encoder_params_solution,
)


# --- 4. the sinusoidal position encodings --------------------------------------------------------------------------


def _positional_solution(length, depth):
    pe = np.zeros((length, depth))
    positions = np.arange(length)  # 0, 1, ..., length - 1
    for j in range(depth):
        i = j // 2  # columns 2i and 2i + 1 share one frequency
        angles = positions / 10000 ** (2 * i / depth)
        pe[:, j] = np.sin(angles) if j % 2 == 0 else np.cos(angles)  # sine in even columns, cosine in odd ones
    return pe


_POSITIONAL_CASES = [(50, 16), (20, 6)]
_PE_TOL = 1e-6  # computing in float32 instead of float64 stays within about 6e-7 on these cases


def _pe_variant(length: int, depth: int, *, exponent="2i", base=10000.0, swap=False, halves=False,
                start=0) -> np.ndarray:  # fmt: skip
    pos = np.arange(start, start + length, dtype=np.float64)[:, None]
    col = np.arange(depth)
    power = {"2i": 2 * (col // 2), "i": col // 2, "column": col}[exponent]
    angles = pos / base ** (power / depth)
    if halves:  # sines of the depth / 2 frequencies, then their cosines
        pair_angles = angles[:, 0::2]
        return np.concatenate([np.cos(pair_angles) if swap else np.sin(pair_angles),
                               np.sin(pair_angles) if swap else np.cos(pair_angles)], axis=1)  # fmt: skip
    even = col % 2 == 0
    return np.where(even != swap, np.sin(angles), np.cos(angles))


def _check_positional(fn: Callable) -> None:
    _reject_library(fn, "positional_encoding")
    for length, depth in _POSITIONAL_CASES:
        got = _array(fn(length, depth), "the encodings")
        if got.shape == (depth, length):
            raise AssertionError(f"the shape is transposed: one row per position and one column per feature, "
                                 f"({length}, {depth}), got {got.shape}")  # fmt: skip
        if got.shape != (length, depth):
            raise AssertionError(f"positional_encoding({length}, {depth}) should have shape ({length}, {depth}), "
                                 f"got {got.shape}")  # fmt: skip
        if not np.issubdtype(got.dtype, np.number) or got.dtype == bool:
            raise AssertionError(f"the encodings should be floats, got dtype {got.dtype}")
        got = got.astype(np.float64)
        want = transformer.positional_encoding(length, depth).astype(np.float64)

        def matches(a: np.ndarray) -> bool:
            return bool(np.allclose(got, a, rtol=0.0, atol=_PE_TOL))

        if matches(want):
            continue
        variants = [
            (dict(swap=True), "sine and cosine are swapped: the even columns (0, 2, ...) hold the sine and the odd "
                              "ones the cosine, so row 0 is 0, 1, 0, 1, ..."),
            (dict(exponent="column"), "you used the column index j in the exponent: columns 2i and 2i + 1 share "
                                      "one frequency, 1 / 10000 ** (2i / depth), with i = j // 2"),
            (dict(exponent="i"), "the exponent should be 2i / depth with i = j // 2 the pair index; yours is "
                                 "i / depth, so the frequencies fall only half as far"),
            (dict(halves=True), "you put all the sines in the first half of the columns and the cosines in the "
                                "second: they are interleaved, sine in column 2i and cosine in column 2i + 1"),
            (dict(base=1000.0), "the base is 10000, not 1000: 1 / 10000 ** (2i / depth)"),
            (dict(start=1), "the positions start at 0: row 0 is the first position, 0, 1, 0, 1, ..."),
        ]  # fmt: skip
        for kwargs, text in variants:
            if matches(_pe_variant(length, depth, **kwargs)):
                raise AssertionError(text)
        bad = np.argwhere(~np.isclose(got, want, rtol=0.0, atol=_PE_TOL))[0]
        raise AssertionError(f"positional_encoding({length}, {depth}) differs at row {bad[0]}, column {bad[1]}: "
                             f"expected {want[tuple(bad)]:.6f}, got {got[tuple(bad)]:.6f}")  # fmt: skip


positional_encoding = Exercise(
    "the sinusoidal position encodings",
    _check_positional,
    hint_text="Level 1: columns come in pairs (2i, 2i + 1) that share one frequency, 1 / 10000 ** (2i / depth): "
    "a sine in the even column, a cosine in the odd one.\nLevel 2: for every column j, take the pair index "
    "i = j // 2, compute the angles position / 10000 ** (2i / depth) for the positions 0..length - 1, and fill "
    "the column with their sine if j is even, their cosine if j is odd.",
    reference=_positional_solution,
)


# --- known-wrong answers, one per exercise -------------------------------------------------------------------------


def _wrong_causal(length):
    return np.triu(np.ones((length, length), dtype=bool))  # the upper triangle: every query sees the future


def _wrong_multi_head(x_q, x_kv, Wq, Wk, Wv, Wo, num_heads):
    out, _ = scaled_dot_product_attention(x_q @ Wq, x_kv @ Wk, x_kv @ Wv)  # one head: no split
    return out @ Wo


def _wrong_encoder_params(d_model, num_heads, ff_dim):
    return 4 * d_model * d_model + 2 * d_model * ff_dim  # weight matrices only: no biases, no LayerNorm


def _wrong_positional(length, depth):
    return _pe_variant(length, depth, swap=True)  # sine and cosine swapped


KNOWN_WRONG = {
    "causal_mask": _wrong_causal,
    "multi_head": _wrong_multi_head,
    "encoder_block_params": _wrong_encoder_params,
    "positional_encoding": _wrong_positional,
}
