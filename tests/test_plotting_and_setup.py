import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_utils import plotting  # noqa: E402
from course_utils.setup import setup_course  # noqa: E402


def test_plot_history_panels_and_labels():
    fig = plotting.plot_history({"loss": [1, 0.5], "val_loss": [1.2, 0.6], "accuracy": [0.5, 0.9]})
    axes = fig.axes
    assert [a.get_title() for a in axes] == ["loss", "accuracy"]
    assert [line.get_label() for line in axes[0].lines] == ["training", "validation"]
    assert axes[0].get_xlabel() == "epoch"
    plt.close(fig)


def test_plot_history_custom_label():
    fig = plotting.plot_history({"exact": [0.1, 0.9]}, labels={"exact": "held-out"})
    assert [line.get_label() for line in fig.axes[0].lines] == ["held-out"]
    plt.close(fig)


def test_plot_history_errors():
    with pytest.raises(ValueError, match="not in the history"):
        plotting.plot_history({"loss": [1.0]}, metrics=["accuracy"])
    with pytest.raises(ValueError, match="History"):
        plotting.plot_history({})


def test_alignment_labels_every_token_without_warnings(recwarn):
    src = ["le", "12", "mars", "2021", "<end>"]
    tgt = list("2021-03-12") + ["<end>"]
    w = np.random.default_rng(0).random((len(tgt) + 2, len(src) + 3))  # padded on both axes
    ax = plotting.plot_alignment(w, src, tgt, title="t")
    assert [t.get_text() for t in ax.get_xticklabels()] == src
    assert [t.get_text() for t in ax.get_yticklabels()] == tgt
    assert ax.images[0].get_array().shape == (len(tgt), len(src))
    assert not [w for w in recwarn if "FixedFormatter" in str(w.message)]
    plt.close(ax.figure)


def test_alignment_errors():
    with pytest.raises(ValueError, match="too small"):
        plotting.plot_alignment(np.ones((2, 2)), ["a", "b", "c"], ["x"])
    with pytest.raises(ValueError, match="2-D"):
        plotting.plot_alignment(np.ones(3), ["a"], ["x"])
    with pytest.raises(ValueError, match="empty"):
        plotting.plot_alignment(np.ones((2, 2)), [], ["x"])


def test_gradient_norms_log_scale():
    ax = plotting.plot_gradient_norms({"a": np.array([1e-5, 1.0]), "b": np.array([1.0, 2.0])})
    assert ax.get_yscale() == "log" and len(ax.lines) == 2
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="1-D"):
        plotting.plot_gradient_norms({"a": np.ones((2, 2))})


def test_setup_course_seeds_and_backend():
    import keras

    setup_course(seed=3)
    a = keras.random.uniform((3,))
    n = np.random.rand()
    setup_course(seed=3)
    assert np.allclose(keras.ops.convert_to_numpy(a), keras.ops.convert_to_numpy(keras.random.uniform((3,))))
    assert n == np.random.rand()
    assert os.environ["KERAS_BACKEND"] == "tensorflow" and keras.backend.backend() == "tensorflow"
    with pytest.raises(ValueError, match="seed"):
        setup_course(seed=-1)


def test_quiet_stderr_silences_file_descriptor_2(capfd):
    from course_utils.setup import quiet_stderr

    with quiet_stderr():
        os.write(2, b"native log line\n")
    os.write(2, b"visible\n")
    err = capfd.readouterr().err
    assert "native log line" not in err and "visible" in err


def test_apply_plot_style_sets_readable_defaults():
    from course_utils.setup import apply_plot_style

    matplotlib.rcParams["axes.titlesize"] = 5
    apply_plot_style()
    assert matplotlib.rcParams["axes.titlesize"] == 13 and matplotlib.rcParams["axes.grid"]



def _train_tiny_gru(seed: int, jit_compile: bool = False) -> list[np.ndarray]:
    import keras

    setup_course(seed=seed, plot_style=False)
    x = np.random.default_rng(0).normal(size=(128, 5, 3)).astype("float32")
    y = (x.sum(axis=(1, 2)) > 0).astype("float32")
    model = keras.Sequential([keras.Input((5, 3)), keras.layers.GRU(8), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(keras.optimizers.Adam(1e-2), "binary_crossentropy", jit_compile=jit_compile)
    model.fit(x, y, batch_size=32, epochs=1, verbose=0)  # the initial weights and the batch order come from the seed
    return model.get_weights()


def _same(a: list[np.ndarray], b: list[np.ndarray]) -> bool:
    return all(np.array_equal(u, v) for u, v in zip(a, b))


def test_setup_course_makes_training_repeatable():
    first = _train_tiny_gru(5)
    assert _same(first, _train_tiny_gru(5)), "same seed, same machine: the trained weights must be identical"
    assert not _same(first, _train_tiny_gru(6)), "another seed must train another model"



def test_loss_vs_time_one_line_per_model_on_a_log_scale():
    ax = plotting.plot_loss_vs_time({"with": ([1.0, 2.0, 3.0], [1.0, 0.1, 0.01]), "without": ([2.0, 3.0], [1.0, 0.5])})
    assert ax.get_yscale() == "log"
    assert [line.get_label() for line in ax.lines] == ["with", "without"]
    assert "s" in ax.get_xlabel() and ax.get_title()
    plt.close(ax.figure)
    ax = plotting.plot_loss_vs_time({"a": ([1.0], [0.0])}, log=False, xlabel="wall time (s)")
    assert ax.get_yscale() == "linear" and ax.get_xlabel() == "wall time (s)"
    plt.close(ax.figure)


def test_loss_vs_time_errors():
    with pytest.raises(ValueError, match="empty"):
        plotting.plot_loss_vs_time({})
    with pytest.raises(ValueError, match="same non-zero length"):
        plotting.plot_loss_vs_time({"a": ([1.0, 2.0], [1.0])})
    with pytest.raises(ValueError, match="positive losses"):
        plotting.plot_loss_vs_time({"a": ([1.0, 2.0], [1.0, 0.0])})
    plt.close("all")
