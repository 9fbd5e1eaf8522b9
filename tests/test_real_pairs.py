"""The real-pair path end to end, on a small made-up pair file written by the test:
load -> group -> split by source -> tokenize -> vectorize -> train (GRU and attention) -> greedy and beam -> BLEU."""

import keras
import numpy as np
import pytest

from course_utils import data, decoding, metrics, models
from course_utils.vectorization import detokenize, vectorize_pairs, word_tokenize

OBJECTS = [("the tea", "le thé"), ("the man", "l'homme"), ("the water", "l'eau"), ("the bread", "le pain"),
           ("the cat", "le chat"), ("the apple", "la pomme"), ("the book", "le livre"), ("the car", "la voiture"),
           ("the house", "la maison"), ("today's paper", "le journal d'aujourd'hui")]  # fmt: skip
TEMPLATES = [("I love {}.", ["J'aime {}.", "J’adore {}."]),  # a typographic apostrophe in one reference
             ("Do you have {}?", ["Avez-vous {}\u202f?", "As-tu {}\u202f?"]),  # narrow no-break space
             ("Does he want {}?", ["Veut-il {}\u00a0?"]),  # no-break space
             ("He has {}.", ["Il a {}."]),
             ("Where is {}?", ["Où est {} ?", "Où se trouve {} ?"])]  # fmt: skip


def write_fixture(path):
    """A Tatoeba-style file: BOM, attribution column, several translations per source, sorted by length, and two
    lines repeated (a repeated translation is one reference)."""
    pairs = [(en.format(o_en), fr.format(o_fr)) for en, frs in TEMPLATES for o_en, o_fr in OBJECTS for fr in frs]
    pairs.sort(key=lambda p: len(p[0]))
    pairs = pairs + [pairs[3], pairs[40]]
    lines = [f"{en}\t{fr}\tCC-BY 2.0 (France) made up for the tests" for en, fr in pairs]
    path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    return pairs


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    path = tmp_path_factory.mktemp("pairs") / "fra.txt"
    written = write_fixture(path)
    pairs = data.load_sentence_pairs(path, lowercase=True)
    assert len(pairs) == len(written) and not pairs[0][0].startswith("\ufeff")
    train, test = data.split_sentence_pairs(pairs, test_size=8, seed=0)
    arrays = vectorize_pairs(train, test)
    return dict(pairs=pairs, train=train, test=test, src_vocab=arrays.src_vocab, tgt_vocab=arrays.tgt_vocab,
                refs=arrays.references, tgt_len=arrays.decoder_out.shape[1], x=arrays.x, din=arrays.decoder_in,
                dout=arrays.decoder_out, x_test=arrays.x_test)  # fmt: skip


def test_loading_grouping_and_splitting(prepared):
    pairs, train, test = prepared["pairs"], prepared["train"], prepared["test"]
    assert len(data.group_references(pairs)) == len(OBJECTS) * len(TEMPLATES)
    test_sources = {s for s, _ in test}
    assert len(test_sources) == 8 and not test_sources & {s for s, _ in train}
    assert sum(len(refs) for _, refs in test) + len(train) == len(pairs) - 2  # the two repeated lines count once
    assert len(set(train)) == len(train)
    assert any(len(refs) == 2 for _, refs in test)
    assert train != sorted(train, key=lambda p: len(p[0]))  # not in the file's length order


def test_tokens_and_vectors(prepared):
    tgt_vocab, dout = prepared["tgt_vocab"], prepared["dout"]
    for token in ("j'", "aime", "l'", "homme", "avez", "-vous", "-il", "aujourd'hui", "?"):
        assert token in tgt_vocab, token
    assert "l'homme" not in tgt_vocab and "\u202f" not in "".join(tgt_vocab.tokens)
    assert all(tgt_vocab.end_id in row for row in dout)  # every target keeps its end
    for (_, target), row in zip(prepared["train"], dout):
        assert detokenize(tgt_vocab.decode(row)) == detokenize(word_tokenize(target))


def _fit(trainer, prepared, epochs):
    x, din, dout = prepared["x"], prepared["din"], prepared["dout"]
    trainer.compile(keras.optimizers.Adam(1e-2), "sparse_categorical_crossentropy")
    history = trainer.fit([x, din], dout, sample_weight=(dout > 0).astype("float32"), batch_size=32, epochs=epochs,
                          verbose=0)  # fmt: skip
    return history.history["loss"][0], history.history["loss"][-1]


@pytest.mark.parametrize("kind", ["gru", "attention"])
def test_train_decode_and_score(prepared, kind):
    src_vocab, tgt_vocab, x_test = prepared["src_vocab"], prepared["tgt_vocab"], prepared["x_test"]
    prior = models.unigram_log_prior(prepared["dout"], len(tgt_vocab))
    keras.utils.set_random_seed(0)
    if kind == "gru":
        model = models.gru_encoder_decoder(len(src_vocab), len(tgt_vocab), embed_dim=16, units=32, output_bias=prior)
        trainer = model.trainer
    else:
        trainer = models.attention_encoder_decoder(len(src_vocab), len(tgt_vocab), embed_dim=16, units=16,
                                                   combine_units=32, output_bias=prior)  # fmt: skip
    first, last = _fit(trainer, prepared, epochs=12)
    assert last < 0.6 * first, f"{kind}: training did not lower the loss ({first:.3f} -> {last:.3f})"
    if kind == "gru":
        state, step_fn = keras.ops.convert_to_numpy(model.encoder(x_test)), models.keras_step_fn(model.decoder_step)
    else:
        encoder, step = models.attention_inference_models(trainer)
        enc_states, first = (keras.ops.convert_to_numpy(a) for a in encoder(x_test))
        state, step_fn = (first, enc_states, x_test > 0), models.attention_step_fn(step)
        assert models.saturation(trainer, [prepared["x"], prepared["din"]]) < 0.5
    start, end, max_len = tgt_vocab.start_id, tgt_vocab.end_id, prepared["tgt_len"]
    greedy = [tgt_vocab.decode(ids) for ids in decoding.greedy_decode(step_fn, state, start, end, max_len)]
    width_one = decoding.beam_search_batch(step_fn, state, start, end, beam_width=1, max_length=max_len)
    assert [tgt_vocab.decode(h[0].tokens) for h in width_one] == greedy
    beams = decoding.beam_search_batch(step_fn, state, start, end, beam_width=4, max_length=max_len,
                                       length_penalty=1.0)  # fmt: skip
    beam = [tgt_vocab.decode(h[0].tokens) for h in beams]
    assert all(h and all(a.score >= b.score for a, b in zip(h, h[1:])) for h in beams)
    refs = prepared["refs"]
    assert not any("<unk>" in r for rs in refs for r in rs)  # an <unk> output can never match a reference
    for hyps in (greedy, beam):
        bleu = metrics.corpus_bleu(hyps, refs)
        assert 0.0 <= bleu.score <= 1.0 and bleu.ref_len > 0
        exact = np.mean([h in r for h, r in zip(hyps, refs)])
        assert 0.0 <= exact <= 1.0
        for h in hyps:  # what a learner reads back tokenizes to what the model produced
            assert word_tokenize(detokenize(h)) == h


def test_the_lessons_real_pair_cells_run_on_a_small_file(tmp_path, monkeypatch):
    """Lesson 07's appendix C runs only when data/fra.txt exists, which it never does in CI: run its cell here, as it
    is in the notebook, on the small file (2 CPU-seconds of training, 8 test sentences)."""
    import contextlib
    import io
    import json
    from pathlib import Path

    notebook = Path(__file__).resolve().parents[1] / "notebooks" / "07_translation.ipynb"
    cells = {c["id"]: "".join(c["source"]) for c in json.loads(notebook.read_text(encoding="utf-8"))["cells"]}
    real_pairs = cells["real-pairs"]
    sizes = "PAIRS_MAX, PAIRS_TEST, PAIRS_SECONDS = 200_000, 1000, 360"
    assert sizes in real_pairs, "the cell's sizes changed: update this test"
    setup = next(source for source in cells.values() if "setup_course(" in source)
    small = real_pairs.replace(sizes, "PAIRS_MAX, PAIRS_TEST, PAIRS_SECONDS = 200_000, 8, 2")
    (tmp_path / "data").mkdir()
    (tmp_path / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks")
    namespace: dict = {}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        for source in (setup, small):
            exec(compile(source, "cell", "exec"), namespace)
    assert "appendix C is skipped" in out.getvalue() and "budget" not in namespace

    write_fixture(tmp_path / "data" / "fra.txt")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(small, "cell", "exec"), namespace)
    printed = out.getvalue()
    assert "skipped" not in printed and namespace["budget"].steps >= 1
    assert "greedy  BLEU" in printed and "beam 5  BLEU" in printed, printed
    assert len(namespace["real_hyps"]["beam 5"]) == 8
