"""Tests of the audio helpers: framing, the NumPy spectrogram (equal to ``tf.signal.stft``), its log, the plot."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from course_utils.audio import LOG_EPS, frame, hann_window, log_spectrogram, plot_spectrogram, spectrogram  # noqa: E402

SAMPLE_RATE = 8000


def tf_magnitude(wave, frame_length, frame_step, fft_length):
    stft = tf.signal.stft(tf.constant(wave, tf.float32), frame_length, frame_step, fft_length)  # window: periodic Hann
    return np.abs(stft.numpy())


# ---- framing ----------------------------------------------------------------------------------------------------


def test_frame_by_hand():
    np.testing.assert_array_equal(frame(np.arange(10), 4, 3), [[0, 1, 2, 3], [3, 4, 5, 6], [6, 7, 8, 9]])
    np.testing.assert_array_equal(frame(np.arange(11), 4, 3), frame(np.arange(10), 4, 3))  # sample 10 left out
    np.testing.assert_array_equal(frame([1, 2, 3], 3, 5), [[1, 2, 3]])  # exactly one frame fits
    frames = frame(np.arange(6, dtype=np.uint8), 2, 2)
    assert frames.dtype == np.float64 and frames.flags.owndata  # a float copy, not a view of the wave


@given(st.integers(1, 400), st.integers(1, 60), st.integers(1, 60))
def test_frame_count_and_content(n_samples, frame_length, frame_step):
    wave = np.arange(n_samples, dtype=np.float64)
    if frame_length > n_samples:
        with pytest.raises(ValueError, match="longer than the wave"):
            frame(wave, frame_length, frame_step)
        return
    frames = frame(wave, frame_length, frame_step)
    assert frames.shape == (1 + (n_samples - frame_length) // frame_step, frame_length)
    np.testing.assert_array_equal(frames[:, 0], np.arange(frames.shape[0]) * frame_step)  # row i starts at i * step
    assert frames[-1, -1] + frame_step > n_samples - 1  # no further frame would fit
    assert frames.shape[0] == tf.signal.frame(wave, frame_length, frame_step).shape[0]


# ---- the spectrogram against TensorFlow ---------------------------------------------------------------------------


def test_hann_window_is_tensorflows_periodic_window():
    for length in (1, 2, 4, 5, 200, 255, 256):
        np.testing.assert_allclose(hann_window(length), tf.signal.hann_window(length).numpy(), atol=1e-6)
    assert not np.allclose(hann_window(8), np.hanning(8))  # even: periodic, not NumPy's symmetric window
    np.testing.assert_allclose(hann_window(9), np.hanning(9), atol=1e-12)  # odd: TensorFlow's window is symmetric
    wave = np.random.default_rng(0).normal(size=50)
    np.testing.assert_allclose(spectrogram(wave, 1, 3, 2), tf_magnitude(wave, 1, 3, 2), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    "frame_length, frame_step, fft_length",
    [(200, 80, 256), (256, 128, 256), (100, 37, 128), (64, 64, 512), (255, 100, 256), (101, 50, 101)],
)
def test_spectrogram_equals_tf_stft_on_noise(frame_length, frame_step, fft_length):
    wave = np.random.default_rng(frame_length).uniform(-1.0, 1.0, size=4000).astype(np.float32)
    mine = spectrogram(wave, frame_length, frame_step, fft_length)
    theirs = tf_magnitude(wave, frame_length, frame_step, fft_length)
    assert mine.dtype == np.float32
    assert mine.shape == theirs.shape == (1 + (4000 - frame_length) // frame_step, fft_length // 2 + 1)
    np.testing.assert_allclose(mine, theirs, rtol=1e-4, atol=1e-4)


def test_spectrogram_of_a_sine_peaks_at_its_frequency_like_tf():
    t = np.arange(SAMPLE_RATE) / SAMPLE_RATE  # one second
    wave = 0.5 * np.sin(2 * np.pi * 1000 * t)  # 1 kHz at 8 kHz
    mine = spectrogram(wave, 200, 80, 256)
    np.testing.assert_allclose(mine, tf_magnitude(wave, 200, 80, 256), rtol=1e-4, atol=1e-4)
    bin_hz = SAMPLE_RATE / 256  # 31.25 Hz: 1000 Hz is bin 32
    assert (mine.argmax(axis=1) == 32).all()
    assert mine.argmax(axis=1)[0] * bin_hz == 1000.0
    # the peak is the window's sum times half the amplitude: 0.5 * 100 * 0.5 for a 200-sample periodic Hann
    np.testing.assert_allclose(mine[:, 32], 0.5 * hann_window(200).sum() * 0.5, rtol=0.02)


def test_spectrogram_default_fft_length_is_tensorflows():
    wave = np.random.default_rng(1).normal(size=1000)
    mine = spectrogram(wave, 200, 80)  # the next power of 2: 256
    assert mine.shape[1] == 129
    stft = tf.signal.stft(tf.constant(wave, tf.float32), 200, 80)  # fft_length=None there too
    np.testing.assert_allclose(mine, np.abs(stft.numpy()), rtol=1e-4, atol=1e-4)
    assert spectrogram(wave, 256, 80).shape[1] == 129


def test_log_spectrogram():
    wave = np.random.default_rng(2).normal(size=2000)
    np.testing.assert_allclose(
        log_spectrogram(wave, 200, 80, 256), np.log(spectrogram(wave, 200, 80, 256).astype(np.float64) + LOG_EPS),
        rtol=1e-6,
    )
    silence = log_spectrogram(np.zeros(400), 200, 80, 256)
    assert silence.dtype == np.float32
    np.testing.assert_allclose(silence, np.log(LOG_EPS), rtol=1e-6)  # finite, thanks to eps
    np.testing.assert_allclose(log_spectrogram(np.zeros(400), 200, 80, 256, eps=1.0), 0.0)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: frame(np.zeros((2, 100)), 10, 5), ValueError, r"wave must be 1-D .*\(2, 100\)"),
        (lambda: frame(np.zeros(8), 10, 5), ValueError, r"frame_length \(10\) is longer than the wave \(8 samples\)"),
        (lambda: frame(np.zeros(8), 0, 5), ValueError, "frame_length must be positive, got 0"),
        (lambda: frame(np.zeros(8), 4, -1), ValueError, "frame_step must be positive, got -1"),
        (lambda: frame(np.zeros(8), 4.0, 2), TypeError, "frame_length must be an int"),
        (lambda: frame(np.array([0.0, np.nan, 1.0]), 2, 1), ValueError, r"wave\[1\] is nan"),
        (lambda: frame(np.array(["a", "b"]), 1, 1), TypeError, "real samples"),
        (lambda: spectrogram(np.zeros(400), 200, 80, 128), ValueError,
         r"fft_length \(128\) is smaller than frame_length \(200\)"),
        (lambda: spectrogram(np.zeros(400), 200, 80, 0), ValueError, "fft_length must be positive, got 0"),
        (lambda: spectrogram(np.zeros(100), 200, 80, 256), ValueError, "longer than the wave"),
        (lambda: spectrogram(np.zeros((400, 1)), 200, 80, 256), ValueError, "wave must be 1-D"),
        (lambda: log_spectrogram(np.zeros(400), 200, 80, 256, eps=0.0), ValueError, "eps must be positive"),
        (lambda: log_spectrogram(np.zeros(400), 200, 80, 256, eps="1"), TypeError, "eps must be a number"),
        (lambda: hann_window(0), ValueError, "length must be positive"),
    ],
)
def test_bad_input(call, error, message):
    with pytest.raises(error, match=message):
        call()


# ---- the plot -----------------------------------------------------------------------------------------------------


def test_plot_spectrogram_axes_in_seconds_and_hertz():
    wave = np.random.default_rng(3).normal(size=SAMPLE_RATE // 2)  # 0.5 s
    spec = log_spectrogram(wave, 200, 80, 256)  # (48, 129)
    ax = plot_spectrogram(spec, SAMPLE_RATE, 80, 256, marks=[(0.1, "3"), (0.25, "7")], title="two digits")
    try:
        assert ax.get_xlabel() == "time (s)" and ax.get_ylabel() == "frequency (Hz)"
        assert ax.get_title() == "two digits"
        np.testing.assert_allclose(ax.get_xlim(), (0.0, 48 * 80 / SAMPLE_RATE))  # 0.48 s of frame starts
        np.testing.assert_allclose(ax.get_ylim(), (0.0, SAMPLE_RATE / 2))
        image = ax.get_images()[0]
        left, right, bottom, top = image.get_extent()
        assert (top - bottom) / spec.shape[1] == pytest.approx(SAMPLE_RATE / 256)  # one row per 31.25 Hz bin
        assert bottom == pytest.approx(-SAMPLE_RATE / 256 / 2)  # bin 0 centred on 0 Hz
        np.testing.assert_array_equal(image.get_array(), spec.T)  # frequency up, time across
        assert [text.get_text().strip() for text in ax.texts] == ["3", "7"]
        assert [text.get_position()[0] for text in ax.texts] == [0.1, 0.25]
    finally:
        plt.close(ax.figure)


def test_plot_spectrogram_into_given_axes_and_bad_input():
    fig, ax = plt.subplots()
    try:
        assert plot_spectrogram(np.zeros((5, 9)), 16000, 160, 16, ax=ax) is ax
        with pytest.raises(ValueError, match="spec has 9 frequency columns but fft_length 32 gives 17"):
            plot_spectrogram(np.zeros((5, 9)), 16000, 160, 32, ax=ax)
        with pytest.raises(ValueError, match=r"spec must be 2-D .*\(9,\)"):
            plot_spectrogram(np.zeros(9), 16000, 160, 16, ax=ax)
        with pytest.raises(ValueError, match="sample_rate must be positive, got 0"):
            plot_spectrogram(np.zeros((5, 9)), 0, 160, 16, ax=ax)
        with pytest.raises(ValueError, match="frame_step must be positive"):
            plot_spectrogram(np.zeros((5, 9)), 16000, 0, 16, ax=ax)
        with pytest.raises(ValueError, match=r"marks\[1\] is at 0.5 s, outside the spectrogram's 0 to 0.05 s"):
            plot_spectrogram(np.zeros((5, 9)), 16000, 160, 16, ax=ax, marks=[(0.01, "a"), (0.5, "b")])
        with pytest.raises(TypeError, match=r"marks\[0\] must be a \(time_s, label\) pair"):
            plot_spectrogram(np.zeros((5, 9)), 16000, 160, 16, ax=ax, marks=["a"])
    finally:
        plt.close(fig)
