"""GRU vs attention encoder-decoder on a real sentence-pair file, at equal training time.

Usage: ``python benchmarks/real_pairs.py PATH`` where PATH is a tab-separated English<TAB>French file in the
Tatoeba / Anki format (``fra.txt``). Without PATH it uses ``data/fra.txt`` if that exists, and otherwise says so
and stops (the course ships no such file: you supply it).

The path is the course's: ``load_sentence_pairs`` (lowercased), ``split_sentence_pairs`` (1,000 English test
sentences with all their French translations as references, none of them seen in training),
``vectorize_pairs`` (French-aware ``word_tokenize``, ``Vocabulary.from_corpus(min_count=2)``,
``vectorize_corpus``). Both models start their softmax bias at the unigram distribution (``unigram_log_prior``), train with Adam whose learning
rate follows a cosine over the budget, batch 128, and stop when their budget of training time is spent
(``time_budget``; by default 360 s of process CPU time, i.e. 3 minutes on 2 fully used cores, so that other
programs on a shared machine change the result less than a wall-time budget would (they still do: on a 2-core
machine shared with other training jobs, the attention model made 334 steps in 360 CPU-s, against 417 with the
machine to itself); ``--clock wall`` counts elapsed time instead).

Reported for each model: training steps, epochs, CPU and wall time; greedy and beam search (width 5, length
penalty 1) decoding time on the 1,000 test sentences; corpus BLEU (word tokens, all references, no smoothing,
checked against sacrebleu with ``tokenize="none"``); exact match against any reference; the saturation of the
attention model's combine layer; and sample translations, detokenized for display.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from course_utils import setup_course

setup_course(seed=0, plot_style=False)

import keras  # noqa: E402
import numpy as np  # noqa: E402
import sacrebleu  # noqa: E402

from course_utils import decoding, metrics, models  # noqa: E402
from course_utils.data import load_sentence_pairs, split_sentence_pairs  # noqa: E402
from course_utils.vectorization import detokenize, vectorize_pairs  # noqa: E402

GRU_SIZES = {"embed_dim": 64, "units": 256}  # the translation lesson's encoder-decoder
ATTENTION_SIZES = {"embed_dim": 128, "units": 128, "combine_units": 256}


def prepare(path: Path, test_size: int, min_count: int, seed: int) -> dict:
    pairs = load_sentence_pairs(path, lowercase=True)
    train, test = split_sentence_pairs(pairs, test_size=test_size, seed=seed)
    arrays = vectorize_pairs(train, test, min_count=min_count)  # vocabularies from the training side only
    return {
        "pairs": len(pairs), "train": train, "test": test, "src_vocab": arrays.src_vocab, "tgt_vocab": arrays.tgt_vocab,
        "x": arrays.x, "din": arrays.decoder_in, "dout": arrays.decoder_out, "x_test": arrays.x_test,
        "refs": arrays.references, "max_len": arrays.max_length, "test_truncated": arrays.test_truncated,
    }  # fmt: skip


def build(kind: str, data: dict):
    n_src, n_tgt = len(data["src_vocab"]), len(data["tgt_vocab"])
    prior = models.unigram_log_prior(data["dout"], n_tgt)
    if kind == "GRU":
        model = models.gru_encoder_decoder(n_src, n_tgt, output_bias=prior, **GRU_SIZES)
        return model.trainer, lambda x: _gru_start(model, x)
    trainer = models.attention_encoder_decoder(n_src, n_tgt, output_bias=prior, **ATTENTION_SIZES)
    encoder, step = models.attention_inference_models(trainer)
    return trainer, lambda x: _attention_start(encoder, step, x)


def _gru_start(model, x):
    return keras.ops.convert_to_numpy(model.encoder(x, training=False)), models.keras_step_fn(model.decoder_step)


def _attention_start(encoder, step, x):
    enc_states, state = (keras.ops.convert_to_numpy(a) for a in encoder(x, training=False))
    return (state, enc_states, x > 0), models.attention_step_fn(step)


def scores(hyps: list[list[str]], refs: list[list[list[str]]]) -> tuple[float, float]:
    bleu = metrics.corpus_bleu(hyps, refs).score * 100
    # sacrebleu takes reference streams; None (not "", which counts as a 0-word reference) fills missing ones
    streams = [[" ".join(r[k]) if k < len(r) else None for r in refs] for k in range(max(map(len, refs)))]
    # force=True: the text is tokenized on purpose (word tokens), so sacrebleu's warning about it does not apply
    sacre = sacrebleu.corpus_bleu([" ".join(h) for h in hyps], streams, tokenize="none", smooth_method="none", force=True)
    assert abs(sacre.score - bleu) < 1e-6, f"course_utils BLEU {bleu} differs from sacrebleu {sacre.score}"
    return bleu, float(np.mean([h in r for h, r in zip(hyps, refs)]))


def run(kind: str, data: dict, args) -> dict:
    keras.utils.set_random_seed(args.seed)
    trainer, start = build(kind, data)
    trainer.compile(keras.optimizers.Adam(args.lr), "sparse_categorical_crossentropy", jit_compile=True)
    budget = models.time_budget(args.seconds, clock=args.clock, learning_rate=args.lr)
    x, din, dout = data["x"], data["din"], data["dout"]
    wall, cpu = time.perf_counter(), time.process_time()
    history = trainer.fit([x, din], dout, sample_weight=(dout > 0).astype("float32"), batch_size=args.batch,
                          epochs=10_000, verbose=0, callbacks=[budget])  # fmt: skip
    out = {"model": kind, "params": trainer.count_params(), "steps": budget.steps,
           "epochs": budget.steps * args.batch / len(x), "loss": history.history["loss"][-1],
           "train_cpu": time.process_time() - cpu, "train_wall": time.perf_counter() - wall}  # fmt: skip
    if kind == "attention":
        out["saturation"] = models.saturation(trainer, [x[:512], din[:512]])
    vocab, x_test, refs = data["tgt_vocab"], data["x_test"], data["refs"]
    for name, width in (("greedy", 1), ("beam", args.beam)):
        wall = time.perf_counter()
        state, step_fn = start(x_test)
        if width == 1:
            ids = decoding.greedy_decode(step_fn, state, vocab.start_id, vocab.end_id, data["max_len"])
        else:
            beams = decoding.beam_search_batch(step_fn, state, vocab.start_id, vocab.end_id, width, data["max_len"],
                                               length_penalty=args.alpha)  # fmt: skip
            ids = [b[0].tokens for b in beams]
        hyps = [vocab.decode(row) for row in ids]
        out[f"{name}_seconds"] = time.perf_counter() - wall
        out[f"{name}_bleu"], out[f"{name}_exact"] = scores(hyps, refs)
        out[f"{name}_hyps"] = hyps
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="GRU vs attention encoder-decoder at equal training time")
    parser.add_argument("path", nargs="?", default="data/fra.txt", help="English<TAB>French pair file")
    parser.add_argument("--seconds", type=float, default=360.0, help="training budget per model (default 360)")
    parser.add_argument("--clock", choices=["cpu", "wall"], default="cpu", help="what the budget counts")
    parser.add_argument("--lr", type=float, default=3e-3, help="peak learning rate (cosine to 0 over the budget)")
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--beam", type=int, default=5, help="beam width")
    parser.add_argument("--alpha", type=float, default=1.0, help="beam length penalty")
    parser.add_argument("--test-size", type=int, default=1000, help="English test sentences")
    parser.add_argument("--min-count", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--models", default="GRU,attention")
    args = parser.parse_args()
    path = Path(args.path)
    if not path.is_file():
        print(f"No pair file at {path}: pass the path of an English<TAB>French file (e.g. a Tatoeba fra.txt).")
        return
    data = prepare(path, args.test_size, args.min_count, args.seed)
    refs = data["refs"]
    print(f"{data['pairs']:,} pairs; {len(data['train']):,} training pairs; {len(data['test'])} test sources with "
          f"{sum(map(len, refs))} references ({sum(len(r) > 1 for r in refs)} with several); vocabularies "
          f"{len(data['src_vocab']):,} English / {len(data['tgt_vocab']):,} French (min_count {args.min_count}); "
          f"{data['test_truncated']} test sources cut to {data['x'].shape[1]} tokens")  # fmt: skip
    print(f"budget per model: {args.seconds:.0f} s of {'process CPU' if args.clock == 'cpu' else 'wall'} time; "
          f"Adam {args.lr:g} with cosine decay; batch {args.batch}; beam width {args.beam}, alpha {args.alpha}")
    results = [run(kind, data, args) for kind in args.models.split(",")]

    print()
    head = (f"{'model':<10}{'params':>10}{'steps':>7}{'epochs':>7}{'loss':>6}{'train CPU s':>12}{'train wall s':>13}"
            f"{'BLEU greedy':>12}{'BLEU beam':>10}{'exact greedy':>13}{'exact beam':>11}{'greedy s':>9}{'beam s':>8}")
    print(head)
    for r in results:
        print(f"{r['model']:<10}{r['params']:>10,}{r['steps']:>7}{r['epochs']:>7.2f}{r['loss']:>6.2f}"
              f"{r['train_cpu']:>12.0f}{r['train_wall']:>13.0f}{r['greedy_bleu']:>12.2f}{r['beam_bleu']:>10.2f}"
              f"{r['greedy_exact']:>13.3f}{r['beam_exact']:>11.3f}{r['greedy_seconds']:>9.1f}{r['beam_seconds']:>8.1f}")
    for r in results:
        if "saturation" in r:
            print(f"{r['model']}: {100 * r['saturation']:.1f}% of the combine layer's outputs have |h| > 0.99")
    if len(results) == 2:
        a, b = results
        print(f"{b['model']} - {a['model']}: BLEU {b['greedy_bleu'] - a['greedy_bleu']:+.2f} greedy, "
              f"{b['beam_bleu'] - a['beam_bleu']:+.2f} beam (goal: at least +3)")
    print("\nsample translations (test sentences, detokenized):")
    for i in range(8):
        source, references = data["test"][i]
        print(f"  EN  {source}")
        for r in results:
            print(f"  {r['model'][:3]:<4}greedy: {detokenize(r['greedy_hyps'][i])}  |  beam: {detokenize(r['beam_hyps'][i])}")
        print(f"  REF {' / '.join(references)}")


if __name__ == "__main__":
    main()
