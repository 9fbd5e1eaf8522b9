"""One training step on two replicas gives the loss and the gradients of one step on one device.

Data parallelism (``tf.distribute.MirroredStrategy``) copies the model onto every device, gives each copy a
slice of the global batch, and adds the copies' gradients together (an all-reduce). That sum is the gradient
of the *global* batch only if each replica divides its summed loss by the **global** batch size; dividing by
its own (local) batch size, the usual ``reduce_mean``, makes the summed loss and gradients
``number of replicas`` times too large.

This script checks both statements on the one CPU of a laptop, split into two logical devices:

1. a tiny Transformer encoder-decoder (``transformer_encoder_decoder``, fixed seed) and 8 phrase-book pairs;
2. (a) the loss and gradients of the 8 pairs on one device;
   (b) the same under ``MirroredStrategy(["/cpu:0", "/cpu:1"])``, 4 pairs per replica, each replica's loss
   from ``tf.nn.compute_average_loss(per_example_loss, global_batch_size=8)``, losses and gradients summed
   across replicas with ``strategy.reduce``;
   (c) the wrong scaling: each replica averages over its own 4 pairs, then the replicas are summed.
3. It asserts (b) == (a) within atol 1e-6 + rtol 1e-5 for the loss and for every gradient entry, and that (c)
   is twice (a) (within rtol 1e-4) and differs from it; it prints a table and exits with status 1 on any failure.

The loss of one pair is the mean cross-entropy over its real target tokens (padding excluded); the loss of a
batch is the mean over its pairs. Run from the repository root::

    python scripts/mirrored_step.py
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # the repository root

from course_utils.setup import quiet_stderr  # noqa: E402  (NumPy only: TensorFlow is not imported yet)

with quiet_stderr():
    import tensorflow as tf

# Before TensorFlow creates its devices (any op, any variable): one physical CPU -> two logical CPUs.
_cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(
    _cpu, [tf.config.LogicalDeviceConfiguration(), tf.config.LogicalDeviceConfiguration()]
)

import keras  # noqa: E402
import numpy as np  # noqa: E402

from course_utils.data import phrasebook_pairs  # noqa: E402
from course_utils.transformer_models import transformer_encoder_decoder  # noqa: E402
from course_utils.vectorization import Vocabulary, vectorize_corpus  # noqa: E402

GLOBAL_BATCH = 8
REPLICAS = 2
ATOL, RTOL = 1e-6, 1e-5  # float32 sums taken in another order differ by ~1e-8 here


def make_batch() -> tuple[np.ndarray, np.ndarray, np.ndarray, int, int]:
    """8 phrase-book pairs (first French reference), as source ids, decoder input ids and decoder targets."""
    sources, references = phrasebook_pairs(GLOBAL_BATCH, seed=0)
    src = [s.split() for s in sources]
    tgt = [refs[0].split() for refs in references]
    src_vocab, tgt_vocab = Vocabulary.from_corpus(src), Vocabulary.from_corpus(tgt)
    src_len, tgt_len = max(map(len, src)), max(map(len, tgt)) + 1
    x = vectorize_corpus(src, src_vocab, maxlen=src_len)
    d_in = vectorize_corpus(tgt, tgt_vocab, maxlen=tgt_len, add_start=True)
    d_out = vectorize_corpus(tgt, tgt_vocab, maxlen=tgt_len, add_end=True)
    return x.astype("int32"), d_in.astype("int32"), d_out.astype("int32"), len(src_vocab), len(tgt_vocab)


def build(src_vocab: int, tgt_vocab: int, src_len: int, tgt_len: int) -> keras.Model:
    return transformer_encoder_decoder(src_vocab, tgt_vocab, src_len, tgt_len, d_model=16, num_heads=2, ff_dim=32,
                                       num_layers=1, dropout=0.0)  # fmt: skip


def per_example_loss(model: keras.Model, x, d_in, d_out):
    """(b,) mean cross-entropy over each pair's real target tokens."""
    probs = model([x, d_in], training=True)  # (b, T, V)
    token_loss = keras.losses.sparse_categorical_crossentropy(d_out, probs)  # (b, T)
    real = tf.cast(d_out > 0, token_loss.dtype)
    return tf.reduce_sum(token_loss * real, axis=1) / tf.reduce_sum(real, axis=1)


def dense(grad) -> np.ndarray:
    """A gradient as a NumPy array (an embedding's gradient comes as IndexedSlices: the rows it touched)."""
    return tf.convert_to_tensor(grad).numpy()


def one_device_step(model: keras.Model, x, d_in, d_out) -> tuple[float, list[np.ndarray]]:
    with tf.device("/cpu:0"), tf.GradientTape() as tape:
        loss = tf.reduce_mean(per_example_loss(model, x, d_in, d_out))  # mean over the 8 pairs
    grads = tape.gradient(loss, model.trainable_variables)
    return float(loss), [dense(g) for g in grads]


def mirrored_step(
    strategy, model: keras.Model, x, d_in, d_out, wrong_scaling: bool
) -> tuple[float, list[np.ndarray], list]:
    """(summed loss, all-reduced gradients, [(device, loss) of each replica])."""
    local = GLOBAL_BATCH // REPLICAS

    def split(array):  # replica i gets rows i*4 .. i*4 + 3
        def rows(ctx):
            i = ctx.replica_id_in_sync_group
            return tf.constant(array[i * local : (i + 1) * local])

        return strategy.experimental_distribute_values_from_function(rows)

    placed = []  # the device each replica's loss op is placed on, recorded while tracing

    def replica_fn(x, d_in, d_out):
        with tf.GradientTape() as tape:
            losses = per_example_loss(model, x, d_in, d_out)  # (4,)
            if wrong_scaling:
                loss = tf.reduce_mean(losses)  # divides by the LOCAL batch size, 4
            else:
                loss = tf.nn.compute_average_loss(losses, global_batch_size=GLOBAL_BATCH)  # sum / 8
        placed.append(loss.device)
        return loss, tape.gradient(loss, model.trainable_variables)

    @tf.function
    def step(x, d_in, d_out):
        loss, grads = strategy.run(replica_fn, args=(x, d_in, d_out))
        total = strategy.reduce(tf.distribute.ReduceOp.SUM, loss, axis=None)
        return total, [strategy.reduce(tf.distribute.ReduceOp.SUM, g, axis=None) for g in grads], loss  # all-reduce

    loss, grads, per_replica = step(split(x), split(d_in), split(d_out))
    replicas = [(device, float(t)) for device, t in zip(placed, strategy.experimental_local_results(per_replica))]
    return float(loss), [dense(g) for g in grads], replicas


def main() -> int:
    devices = [d.name for d in tf.config.list_logical_devices("CPU")]
    x, d_in, d_out, src_vocab, tgt_vocab = make_batch()

    keras.utils.set_random_seed(0)
    single = build(src_vocab, tgt_vocab, x.shape[1], d_in.shape[1])
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    with strategy.scope():  # mirrored variables: one copy per device, kept equal
        mirrored = build(src_vocab, tgt_vocab, x.shape[1], d_in.shape[1])
    mirrored.set_weights(single.get_weights())

    loss_1, grads_1 = one_device_step(single, x, d_in, d_out)
    loss_2, grads_2, replicas = mirrored_step(strategy, mirrored, x, d_in, d_out, wrong_scaling=False)
    loss_w, grads_w, _ = mirrored_step(strategy, mirrored, x, d_in, d_out, wrong_scaling=True)
    mirrored_kinds = {type(v.value).__name__ for v in mirrored.trainable_variables}

    names = [v.path for v in single.trainable_variables]
    diff_2 = max(float(np.abs(a - b).max()) for a, b in zip(grads_1, grads_2))
    diff_w = max(float(np.abs(a - b).max()) for a, b in zip(grads_1, grads_w))
    grad_ratio = sum(float(np.abs(g).sum()) for g in grads_w) / sum(float(np.abs(g).sum()) for g in grads_1)

    print("devices:", ", ".join(devices))
    print("replicas:", ", ".join(strategy.extended.worker_devices))
    print("variables of the replicated model:", ", ".join(sorted(mirrored_kinds)))
    print("per-replica loss (sum / global batch):", ", ".join(f"{loss:.7f} on {device}" for device, loss in replicas))
    print(f"model: {single.count_params():,} parameters in {len(names)} arrays; global batch {GLOBAL_BATCH} pairs, "
          f"{GLOBAL_BATCH // REPLICAS} per replica")  # fmt: skip
    print(f"{'':<40}{'loss':>12}{'max |grad - one device|':>26}")
    print(f"{'one device, global batch':<40}{loss_1:>12.7f}{'-':>26}")
    print(f"{'two replicas, sum / global batch':<40}{loss_2:>12.7f}{diff_2:>26.2e}")
    print(f"{'two replicas, mean / local batch (wrong)':<40}{loss_w:>12.7f}{diff_w:>26.2e}")
    print(f"wrong scaling: loss ratio {loss_w / loss_1:.4f}, gradient ratio {grad_ratio:.4f} (expected {REPLICAS})")

    failures = []
    if mirrored_kinds != {"MirroredVariable"}:
        failures.append(f"the model built under strategy.scope() should hold MirroredVariables, got {mirrored_kinds}")
    if len({device for device, _ in replicas}) != REPLICAS:
        failures.append(f"the replicas did not run on {REPLICAS} different devices: {replicas}")
    if not abs(loss_2 - loss_1) <= ATOL + RTOL * abs(loss_1):
        failures.append(f"loss on two replicas {loss_2!r} != one device {loss_1!r}")
    for name, a, b in zip(names, grads_1, grads_2):
        if a.shape != b.shape or not np.allclose(b, a, atol=ATOL, rtol=RTOL):
            failures.append(f"gradient of {name} differs by up to {float(np.abs(a - b).max()):.2e}")
    if np.isclose(loss_w, loss_1, rtol=1e-3) or not np.isclose(loss_w, REPLICAS * loss_1, rtol=1e-4):
        failures.append(f"the wrong scaling should give {REPLICAS} x the loss, got {loss_w!r} vs {loss_1!r}")
    if not all(np.allclose(w, REPLICAS * a, atol=ATOL, rtol=1e-4) for a, w in zip(grads_1, grads_w)):
        failures.append(f"the wrong scaling should give {REPLICAS} x every gradient")
    for failure in failures:
        print("FAIL:", failure)
    if failures:
        return 1
    print(f"PASS: two replicas give the one-device loss and all {len(names)} gradients "
          f"(atol {ATOL:g}, rtol {RTOL:g}); the local-batch mean doubles them")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
