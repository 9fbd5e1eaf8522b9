"""Greedy decoding speed: batched over all test phrases vs the naive loop with ``model.predict``.

Trains the lesson 07 encoder-decoder (``course_utils.models.gru_encoder_decoder``) for one epoch on French number
phrases (decoding speed does not depend on how well it is trained), then decodes 5,000 test phrases:

* batched: one encoder call for all phrases, then one decoder-step call per output step for all of them
  (``course_utils.decoding.greedy_decode``);
* naive: one ``model.predict`` call for the encoder and one per output step, per sentence, as many tutorials do;
  timed on a sample of sentences and extrapolated to 5,000.

Both must produce the same digits on the sample. Run: ``.venv/bin/python benchmarks/decoding_throughput.py``.
"""

from __future__ import annotations

import time

from course_utils import setup_course

setup_course(seed=0, plot_style=False)

import keras  # noqa: E402
import numpy as np  # noqa: E402

from course_utils.data import french_number_pairs  # noqa: E402
from course_utils.decoding import greedy_decode  # noqa: E402
from course_utils.models import gru_encoder_decoder, keras_step_fn  # noqa: E402
from course_utils.vectorization import Vocabulary, char_tokenize, vectorize_corpus, word_tokenize  # noqa: E402

N_TEST, N_SAMPLE, MAX_LEN = 5000, 40, 7


def main() -> None:
    rng = np.random.default_rng(0)
    numbers = rng.choice(1_000_000, size=30_000 + N_TEST, replace=False)
    sources, targets = french_number_pairs(numbers)
    src_tok = [word_tokenize(s) for s in sources]
    tgt_tok = [char_tokenize(t) for t in targets]
    src_vocab, tgt_vocab = Vocabulary.from_corpus(src_tok), Vocabulary.from_corpus(tgt_tok)
    x = vectorize_corpus(src_tok, src_vocab)
    dec_in = vectorize_corpus(tgt_tok, tgt_vocab, maxlen=MAX_LEN, add_start=True)
    dec_out = vectorize_corpus(tgt_tok, tgt_vocab, maxlen=MAX_LEN, add_end=True)

    model = gru_encoder_decoder(len(src_vocab), len(tgt_vocab))
    model.trainer.compile(keras.optimizers.Adam(3e-3), "sparse_categorical_crossentropy")
    model.trainer.fit([x[N_TEST:], dec_in[N_TEST:]], dec_out[N_TEST:], sample_weight=(dec_out[N_TEST:] > 0) * 1.0,
                      batch_size=128, epochs=1, verbose=0)  # fmt: skip
    x_test = x[:N_TEST]

    start = time.perf_counter()
    state = keras.ops.convert_to_numpy(model.encoder(x_test, training=False))
    batched = greedy_decode(keras_step_fn(model.decoder_step), state, tgt_vocab.start_id, tgt_vocab.end_id, MAX_LEN)
    batched_seconds = time.perf_counter() - start

    start = time.perf_counter()
    naive = []
    for i in range(N_SAMPLE):
        state = model.encoder.predict(x_test[i : i + 1], verbose=0)
        token, out = tgt_vocab.start_id, []
        for _ in range(MAX_LEN):
            probs, state = model.decoder_step.predict([np.array([[token]], dtype="int32"), state], verbose=0)
            token = int(probs[0].argmax())
            out.append(token)
            if token == tgt_vocab.end_id:
                break
        naive.append(out)
    naive_seconds = time.perf_counter() - start
    assert naive == batched[:N_SAMPLE], "the two decoders disagree"

    batched_rate = N_TEST / batched_seconds
    naive_rate = N_SAMPLE / naive_seconds
    print(f"batched greedy decoding: {N_TEST} phrases in {batched_seconds:.2f} s = {batched_rate:,.0f} phrases/s")
    print(f"naive predict loop     : {N_SAMPLE} phrases in {naive_seconds:.2f} s = {naive_rate:,.1f} phrases/s "
          f"(5000 phrases would take {N_TEST / naive_rate:.0f} s)")  # fmt: skip
    print(f"ratio batched / naive  : {batched_rate / naive_rate:,.0f}x (target: at least 20x)")


if __name__ == "__main__":
    main()
