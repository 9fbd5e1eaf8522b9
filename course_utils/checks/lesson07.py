"""Exercises of lesson 07 (translation): building decoder inputs, masked accuracy, greedy decoding with stop handling
over a batch (checked against ``course_utils.decoding.greedy_decode``), and what sample weights do once the target
mask is gone (open)."""

from __future__ import annotations

from typing import Callable

import numpy as np

from course_utils.exercises import Exercise

__all__ = ["shift_right", "masked_accuracy", "greedy_with_stop", "no_target_mask"]


def _open_exercise(name: str, hint_text: str, model_answer: str) -> Exercise:
    """An exercise without an automatic check: ``hint()`` and ``solution()`` (the model answer) only."""

    def _no_check(answer: object) -> None:
        raise AssertionError(f"this exercise is open: nothing to check automatically. Compare your findings with "
                             f"the model answer: checks.{name}.solution()")  # fmt: skip

    return Exercise(name, _no_check, hint_text=hint_text, reference=model_answer)


# --- 1. the decoder input from the decoder output ------------------------------------------------------


def _shift_right_solution(target_ids, start_id, end_id=2):
    target_ids = np.asarray(target_ids)  # (B, T): tokens, <end>, then 0s
    shifted = np.zeros_like(target_ids)
    shifted[:, 0] = start_id
    shifted[:, 1:] = target_ids[:, :-1]  # every token moves one step right
    shifted[shifted == end_id] = 0  # the decoder never reads <end>
    return shifted


def _check_shift_right(fn: Callable[[np.ndarray, int], np.ndarray]) -> None:
    end = 2
    dec_out = np.array([[5, 6, 7, end, 0], [8, end, 0, 0, 0], [4, 4, 4, 4, end]])
    want = np.array([[1, 5, 6, 7, 0], [1, 8, 0, 0, 0], [1, 4, 4, 4, 4]])
    got = np.asarray(fn(dec_out.copy(), 1))
    if got.shape == (3, 6):
        raise AssertionError("keep the width: the start id goes in front, so the last column of the output rows "
                             f"must go; expected shape {want.shape}, got {got.shape}")  # fmt: skip
    assert got.shape == want.shape, f"keep the width: expected shape {want.shape}, got {got.shape}"
    if np.array_equal(got[:, :-1], dec_out[:, 1:]):
        raise AssertionError("the tokens moved LEFT: the decoder input is the output moved one step to the RIGHT, "
                             "behind the start id")  # fmt: skip
    assert (got[:, 0] == 1).all(), "every decoder input row starts with the start id"
    if (got == end).any():
        raise AssertionError("the <end> id must not appear in the decoder input: replace it by padding (0)")
    assert np.array_equal(got, want), f"for\n{dec_out}\nexpected\n{want}\ngot\n{got}"


shift_right = Exercise(
    "decoder input from decoder output",
    _check_shift_right,
    hint_text="Level 1: the decoder reads at step t what it had to predict at step t - 1; at step 0 it reads the "
    "start id. The width does not change, so the last column of each output row falls off.\nLevel 2: start from an "
    "array of zeros of the same shape, write the start id in the first column and the output rows, without their "
    "last column, in the columns after it; then turn every <end> id (2) into padding: the decoder never reads <end>.",
    reference=_shift_right_solution,
)


# --- 2. masked token accuracy ----------------------------------------------------------------------------


def _masked_accuracy_solution(y_true, y_pred_ids):
    y_true, y_pred_ids = np.asarray(y_true), np.asarray(y_pred_ids)
    real = y_true != 0  # padding does not count
    return float(((y_true == y_pred_ids) & real).sum() / real.sum())


def _check_masked_accuracy(fn: Callable[[np.ndarray, np.ndarray], float]) -> None:
    y_true = np.array([[5, 6, 2, 0, 0], [7, 2, 0, 0, 0]])
    y_pred = np.array([[5, 9, 2, 0, 0], [7, 2, 3, 0, 3]])
    want = 4 / 5  # 5 real tokens, 4 right
    got = float(fn(y_true.copy(), y_pred.copy()))
    if abs(got - float(np.mean(y_true == y_pred))) < 1e-9:
        raise AssertionError("padding positions were counted: only positions where y_true != 0 count")
    if abs(got - 4 / y_true.size) < 1e-9:
        raise AssertionError("the right tokens are counted inside the mask, but you divided by every position: "
                             "divide by the number of real tokens")  # fmt: skip
    if abs(got - 4) < 1e-9:
        raise AssertionError("that is the number of right tokens: return the share, a number between 0 and 1")
    pred_real = y_pred != 0
    if abs(got - float(((y_true == y_pred) & pred_real).sum() / pred_real.sum())) < 1e-9:
        raise AssertionError("the mask comes from the predictions: padding is where the TRUE target is 0 (a model "
                             "can predict 0 where a real token stands)")  # fmt: skip
    assert abs(got - want) < 1e-9, f"expected {want}, got {got}"


masked_accuracy = Exercise(
    "masked token accuracy",
    _check_masked_accuracy,
    hint_text="Level 1: only the real target tokens count, and it is the true target that says where they are; "
    "both the numerator and the denominator are counts over those positions.\nLevel 2: build a boolean mask of "
    "the positions where the true id is not 0; count the positions that are inside the mask AND predicted right, "
    "and divide by the number of positions inside the mask.",
    reference=_masked_accuracy_solution,
)


# --- 3. greedy decoding with a maximum length and stop handling over a batch --------------------------------


def _greedy_with_stop_solution(step_fn, initial_state, start_id, end_id, max_length):
    # step_fn(tokens (k,), state) -> (log-probabilities (k, V), new state); all k rows advance together
    k = len(initial_state)
    tokens = np.full(k, start_id)  # (k,) every row starts from <start>
    state = initial_state
    rows = [[] for _ in range(k)]
    finished = np.zeros(k, dtype=bool)
    for _ in range(max_length):
        log_probs, state = step_fn(tokens, state)
        tokens = log_probs.argmax(axis=1)  # (k,) the most probable next token of every row
        for i in np.flatnonzero(~finished):  # a finished row ignores later steps
            rows[i].append(int(tokens[i]))
        finished |= tokens == end_id
        if finished.all():  # no row needs the model any more
            break
    return rows


def _greedy_variant(step_fn, state, start_id, end_id, max_length, *, feed_back=True, update_state=True,
                    keep_after_end=False, keep_end=True, stop="all", wrong_axis=False):  # fmt: skip
    """The reference loop with one typical mistake switched on (for the checker's messages)."""
    k = len(state)
    tokens = np.full(k, start_id)
    rows = [[] for _ in range(k)]
    finished = np.zeros(k, dtype=bool)
    for _ in range(max_length):
        log_probs, new_state = step_fn(tokens, state)
        state = new_state if update_state else state
        predicted = log_probs.argmax(axis=0)[:k] if wrong_axis else log_probs.argmax(axis=1)
        tokens = predicted if feed_back else np.full(k, start_id)
        for i in range(k):
            if keep_after_end or not finished[i]:
                if keep_end or predicted[i] != end_id:
                    rows[i].append(int(predicted[i]))
        finished |= predicted == end_id
        if stop == "all" and finished.all() or stop == "any" and finished.any():
            break
    return rows


class _ToyModel:
    """A random little recurrent 'decoder': state (k, H), token embeddings, tanh update, logits from the state."""

    def __init__(self, seed: int, vocab: int = 7, hidden: int = 5, end_bias: float = 0.0) -> None:
        rng = np.random.default_rng(seed)
        self.embed = rng.normal(size=(vocab, hidden))
        self.w = rng.normal(size=(hidden, hidden)) * 0.8
        self.out = rng.normal(size=(hidden, vocab)) * 2.0
        self.out_bias = np.zeros(vocab)
        self.out_bias[2] = end_bias  # id 2 is <end>: a larger bias ends rows sooner
        self.calls = 0

    def __call__(self, tokens, state):
        tokens, state = np.asarray(tokens), np.asarray(state)
        if tokens.shape != (len(state),):
            raise AssertionError(f"step_fn takes the (k,) array of last tokens, one per row; got shape {tokens.shape} "
                                 "(is the argmax over the vocabulary axis, axis 1?)")  # fmt: skip
        self.calls += 1
        new_state = np.tanh(state @ self.w + self.embed[tokens.astype(int)])
        logits = new_state @ self.out + self.out_bias
        return logits - np.log(np.exp(logits).sum(axis=1, keepdims=True)), new_state


def _check_greedy_with_stop(fn: Callable) -> None:
    from course_utils.decoding import greedy_decode

    def as_rows(out) -> list[list[int]]:
        try:
            return [[int(t) for t in row] for row in out]
        except TypeError:
            raise AssertionError("return a list with one list of token ids per row") from None

    for seed, k, max_length, end_bias in [(0, 6, 8, 1.5), (4, 6, 10, 3.0), (2, 7, 10, 2.5), (3, 1, 4, 0.0)]:
        state0 = np.random.default_rng(100 + seed).normal(size=(k, 5))
        want = greedy_decode(_ToyModel(seed, end_bias=end_bias), state0.copy(), 1, 2, max_length)
        model = _ToyModel(seed, end_bias=end_bias)
        got = as_rows(fn(model, state0.copy(), 1, 2, max_length))
        assert len(got) == k, f"one row per source: expected {k} rows, got {len(got)}"
        if got == want:
            reference_calls = _ToyModel(seed, end_bias=end_bias)
            greedy_decode(reference_calls, state0.copy(), 1, 2, max_length)
            if model.calls > reference_calls.calls:
                raise AssertionError(f"the rows are right, but you called the model {model.calls} times where "
                                     f"{reference_calls.calls} were enough: once every row has produced <end>, stop "
                                     "the loop")  # fmt: skip
            continue

        def variant(**mistake) -> list[list[int]]:
            return _greedy_variant(_ToyModel(seed, end_bias=end_bias), state0.copy(), 1, 2, max_length, **mistake)

        named = [
            ({"keep_after_end": True}, "a row goes on after its <end>: once a row has produced <end>, add nothing "
             "more to it (the other rows still advance)"),
            ({"keep_end": False}, "the <end> id is missing: a row that finished keeps its <end> as its last token "
             "(greedy_decode does; a row cut by the maximum length has none)"),
            ({"feed_back": False}, "every step reads <start> again: feed each row's prediction back as its next "
             "input token"),
            ({"update_state": False}, "every step starts from the initial state: carry the new state that the step "
             "function returns into the next step"),
            ({"stop": "any"}, "the loop stops as soon as ONE row has produced <end>: stop only when EVERY row has "
             "(or at the maximum length)"),
            ({"wrong_axis": True}, "the argmax runs over the rows: take the most probable token of each row, over "
             "the vocabulary axis (axis 1)"),
        ]  # fmt: skip
        for mistake, text in named:
            wrong = variant(**mistake)
            if wrong != want and got == wrong:
                raise AssertionError(text)
        too_long = [i for i, row in enumerate(got) if len(row) > max_length]
        assert not too_long, f"row {too_long[0]} has {len(got[too_long[0]])} tokens: at most max_length = {max_length}"
        first = next(i for i, (g, w) in enumerate(zip(got, want)) if g != w)
        raise AssertionError(f"row {first}: expected {want[first]}, got {got[first]} (greedy_decode's output)")


greedy_with_stop = Exercise(
    "greedy decoding with a maximum length and stop handling over a batch",
    _check_greedy_with_stop,
    hint_text="Level 1: the loop of section 5 always ran 7 steps and let decode() cut at <end>. Here every row "
    "keeps its own list of tokens, and the loop must know which rows are finished: a row is finished from the step "
    "at which it produced <end>, and the loop ends when all rows are finished or after max_length steps.\n"
    "Level 2: keep three things between steps: the last token of every row (all <start> at first), the state, and "
    "a boolean array of finished rows. At each step call the step function on the whole batch, take each row's "
    "most probable token, append it to the rows that were not finished before this step, mark the rows whose token "
    "is <end>, and leave the loop when every row is marked.",
    reference=_greedy_with_stop_solution,
)


# --- 4. without the target mask (open) ------------------------------------------------------------------------

_NO_MASK_ANSWER = """\
Model answer: one run per model, seed 0, the lesson's data (30,000 training phrases, 5,000 test phrases), its
encoder-decoder (Embedding 64, GRU 256), batch 128, Adam 3e-3, ONE epoch, no sample weights in training; the only
change is mask_zero=False in the target embedding. The test set has 33,987 real target tokens in 35,000 positions
(1,013 padded).

                                           mask_zero=True    mask_zero=False
  evaluate, no sample weights                  0.10365            0.08317
  evaluate, sample_weight=(dout_test > 0)      0.10365            0.08315
  by hand, mean over real tokens               0.10365            0.08563
  by hand, mean over all 35,000 positions      0.51395            0.08317

- With the mask, the first three agree: Keras averages over the real tokens, with or without sample weights.
- Without it, evaluate with no weights is the mean over all 35,000 positions, padding included (0.08317 both
  times). With the weights it is the sum over the real tokens divided by ALL 35,000 positions:
  0.08315 x 35,000 / 33,987 = 0.08563, the mean over real tokens. Neither evaluate figure is that mean; the weighted
  one is 33,987 / 35,000 = 0.971 of it.
- So without a mask, sample weights do take the padding out of the loss, but the average still divides by every
  position: a batch with more padding gets a smaller loss, and smaller gradients.
- The unmasked model also learned to predict padding after <end>, which is easy: its mean over all positions is
  below its mean over real tokens. (The two models' losses on real tokens differ too, 0.104 vs 0.086, but one
  epoch and one seed each do not say which trains better.)
"""

no_target_mask = _open_exercise(
    "no_target_mask",
    hint_text="Level 1: build the same model with one change, train it for one epoch with the same seed, and compute "
    "the four numbers of section 4 for it; the padding positions are where dout_test is 0.\nLevel 2: write down how "
    "many real tokens and how many positions the test set has; then, for each evaluate figure, ask which sum it "
    "divides by which count. Multiplying the weighted figure by positions / real tokens tells you.",
    model_answer=_NO_MASK_ANSWER,
)
