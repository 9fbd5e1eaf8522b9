"""Beam search speed: width 5 against greedy decoding, on 1,000 sentences, with a word-level vocabulary.

The model is the course's GRU encoder-decoder (``course_utils.models.gru_encoder_decoder``, 256 units) with a
target vocabulary of 8,755 words, the size the French side of a real Tatoeba file gives (min_count 2). Without
arguments its weights are untrained (decoding speed depends on the sizes, not on the training; an untrained model
never emits the end token early, so every search runs its full ``max_length`` steps: the worst case for beam
search). With a pair file (``python benchmarks/beam_search_speed.py PATH``) the model is first trained for
``--seconds`` of CPU time on that file and decodes 1,000 held-out English sentences, so searches stop early as
they do in practice.

It times, on the same 1,000 sources: greedy decoding (``greedy_decode``), beam search of width 5
(``beam_search_batch``) and, unless ``--no-loop``, the straightforward beam search that sorts width x vocabulary
scores per sentence in a Python loop (what ``beam_search_batch`` did before it was vectorised), and checks that the
two beam searches return the same hypotheses. Prints the times and the ratios to greedy (target: width 5 at most 5x
greedy). Wall-clock and process CPU times are both printed: on a shared machine the CPU times are steadier.
"""

from __future__ import annotations

import argparse
import time

from course_utils import setup_course

setup_course(seed=0, plot_style=False)

import keras  # noqa: E402
import numpy as np  # noqa: E402

from course_utils import decoding  # noqa: E402
from course_utils.models import gru_encoder_decoder, keras_step_fn  # noqa: E402

N_SOURCES, WIDTH, SOURCE_VOCAB, TARGET_VOCAB, SOURCE_LEN, MAX_LEN = 1000, 5, 5579, 8755, 12, 18


loop_beam_search = decoding.beam_search_loop  # Python loop over sources, full sort of width x vocabulary


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def untrained_setup():
    model = gru_encoder_decoder(SOURCE_VOCAB, TARGET_VOCAB)
    rng = np.random.default_rng(0)
    lengths = rng.integers(3, SOURCE_LEN + 1, size=N_SOURCES)
    sources = rng.integers(4, SOURCE_VOCAB, size=(N_SOURCES, SOURCE_LEN)).astype("int32")
    sources[np.arange(SOURCE_LEN)[None, :] >= lengths[:, None]] = 0
    return model, sources, 1, 2, MAX_LEN, f"untrained model, random sources; target vocabulary {TARGET_VOCAB}"


def trained_setup(path: str, seconds: float):
    from course_utils.data import load_sentence_pairs, split_sentence_pairs
    from course_utils.models import unigram_log_prior
    from course_utils.vectorization import Vocabulary, vectorize_corpus, word_tokenize

    train, test = split_sentence_pairs(load_sentence_pairs(path, lowercase=True), test_size=N_SOURCES, seed=0)
    src_tok, tgt_tok = [word_tokenize(s) for s, _ in train], [word_tokenize(t) for _, t in train]
    src_vocab, tgt_vocab = Vocabulary.from_corpus(src_tok, min_count=2), Vocabulary.from_corpus(tgt_tok, min_count=2)
    max_len = max(map(len, tgt_tok)) + 1
    x = vectorize_corpus(src_tok, src_vocab)
    din = vectorize_corpus(tgt_tok, tgt_vocab, maxlen=max_len, add_start=True)
    dout = vectorize_corpus(tgt_tok, tgt_vocab, maxlen=max_len, add_end=True)
    model = gru_encoder_decoder(len(src_vocab), len(tgt_vocab), output_bias=unigram_log_prior(dout, len(tgt_vocab)))
    model.trainer.compile(keras.optimizers.Adam(3e-3), "sparse_categorical_crossentropy", jit_compile=True)

    class Budget(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.start = time.process_time()

        def on_train_batch_end(self, batch, logs=None):
            self.model.stop_training = time.process_time() - self.start > seconds

    model.trainer.fit([x, din], dout, sample_weight=(dout > 0).astype("float32"), batch_size=128, epochs=100,
                      verbose=0, callbacks=[Budget()])  # fmt: skip
    sources = vectorize_corpus([word_tokenize(s) for s, _ in test], src_vocab, maxlen=x.shape[1], truncate=True)
    label = f"GRU trained {seconds:.0f} CPU-s on {len(train):,} pairs; target vocabulary {len(tgt_vocab)}"
    return model, sources, tgt_vocab.start_id, tgt_vocab.end_id, max_len, label


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", help="a tab-separated pair file (optional)")
    parser.add_argument("--seconds", type=float, default=60.0, help="CPU seconds of training with a pair file")
    parser.add_argument("--no-loop", action="store_true", help="skip the slow per-sentence loop version")
    args = parser.parse_args()
    keras.utils.set_random_seed(0)
    model, sources, start_id, end_id, max_len, label = (
        trained_setup(args.path, args.seconds) if args.path else untrained_setup()
    )
    state = keras.ops.convert_to_numpy(model.encoder(sources, training=False))
    step_fn = keras_step_fn(model.decoder_step)
    decoding.greedy_decode(step_fn, state[:8], start_id, end_id, 2)  # warm-up: the first call traces the model

    greedy, g_wall, g_cpu = timed(lambda: decoding.greedy_decode(step_fn, state, start_id, end_id, max_len))
    beam, b_wall, b_cpu = timed(lambda: decoding.beam_search_batch(step_fn, state, start_id, end_id, WIDTH, max_len))
    print(f"{label}; {len(sources)} sources, max_length {max_len}")
    print(f"mean output length: greedy {np.mean([len(g) for g in greedy]):.1f}, "
          f"beam {np.mean([len(h[0].tokens) for h in beam]):.1f} tokens")  # fmt: skip
    print(f"{'decoder':<34}{'wall s':>9}{'CPU s':>9}{'wall ratio':>12}{'CPU ratio':>11}")
    print(f"{'greedy':<34}{g_wall:>9.2f}{g_cpu:>9.2f}{1:>12.2f}{1:>11.2f}")
    print(f"{f'beam_search_batch, width {WIDTH}':<34}{b_wall:>9.2f}{b_cpu:>9.2f}{b_wall / g_wall:>12.2f}"
          f"{b_cpu / g_cpu:>11.2f}")  # fmt: skip
    if not args.no_loop:
        loop, l_wall, l_cpu = timed(lambda: loop_beam_search(step_fn, state, start_id, end_id, WIDTH, max_len))
        print(f"{f'per-sentence loop, width {WIDTH}':<34}{l_wall:>9.2f}{l_cpu:>9.2f}{l_wall / g_wall:>12.2f}"
              f"{l_cpu / g_cpu:>11.2f}")  # fmt: skip
        assert loop == beam, "the vectorised and the loop beam searches disagree"
        print("vectorised and loop beam searches return the same hypotheses")
    print(f"ratio beam width {WIDTH} / greedy: {b_cpu / g_cpu:.2f}x CPU time, {b_wall / g_wall:.2f}x wall time "
          f"(target: at most 5x)")  # fmt: skip


if __name__ == "__main__":
    main()
