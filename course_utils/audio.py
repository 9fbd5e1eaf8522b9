"""Sound as a sequence: cutting a waveform into frames, its spectrogram, and a plot of it in seconds and hertz.

A waveform is a 1-D array of samples (``sample_rate`` of them per second). :func:`frame` cuts it into
overlapping frames of ``frame_length`` samples, one every ``frame_step`` samples; :func:`spectrogram` multiplies
each frame by a Hann window (:func:`hann_window`) and takes the magnitude of its real FFT of size ``fft_length``.
Row ``i`` of the result describes the samples ``i * frame_step`` to ``i * frame_step + frame_length - 1``;
column ``k`` is the frequency ``k * sample_rate / fft_length`` Hz. This is exactly what ``tf.signal.stft``
computes with its default window (``tf.signal.hann_window``, periodic) and ``pad_end=False``, written in NumPy.

Example:
    >>> import numpy as np
    >>> sample_rate = 8000
    >>> t = np.arange(sample_rate) / sample_rate                  # one second
    >>> wave = np.sin(2 * np.pi * 1000 * t)                       # a 1 kHz tone
    >>> spec = spectrogram(wave, frame_length=200, frame_step=80, fft_length=256)
    >>> spec.shape                                                # (frames, fft_length // 2 + 1)
    (98, 129)
    >>> int(spec.mean(axis=0).argmax()) * sample_rate / 256       # the strongest frequency, in Hz
    1000.0
"""

from __future__ import annotations

import numbers
from typing import Any, Sequence

import numpy as np

__all__ = ["frame", "hann_window", "spectrogram", "log_spectrogram", "plot_spectrogram", "LOG_EPS"]

#: Added to the magnitudes before the log in :func:`log_spectrogram`, so silence (magnitude 0) gives
#: ``log(1e-6)`` ≈ -13.8 instead of ``-inf``. Small next to the magnitude of any audible frame.
LOG_EPS = 1e-6


def _check_size(value: object, name: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {value!r} ({type(value).__name__})")
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {value}")
    return int(value)


def _as_wave(wave: object) -> np.ndarray:
    array = np.asarray(wave)
    if array.dtype == bool or not (np.issubdtype(array.dtype, np.floating) or np.issubdtype(array.dtype, np.integer)):
        raise TypeError(f"wave must be an array of real samples, got dtype {array.dtype}")
    if array.ndim != 1:
        raise ValueError(f"wave must be 1-D (one mono channel of samples), got shape {array.shape}")
    if not np.isfinite(array).all():
        position = int(np.argwhere(~np.isfinite(array))[0, 0])
        raise ValueError(f"wave[{position}] is {array[position]}: samples must be finite")
    return array.astype(np.float64)


def frame(wave: Sequence[float] | np.ndarray, frame_length: int, frame_step: int) -> np.ndarray:
    """Cut a waveform into frames of ``frame_length`` samples, one starting every ``frame_step`` samples.

    There is no padding: only frames that fit entirely are kept, so there are
    ``1 + (len(wave) - frame_length) // frame_step`` of them and up to ``frame_step - 1`` samples at the end may be
    left out (``tf.signal.frame`` with ``pad_end=False`` does the same).

    Args:
        wave: 1-D samples (ints or floats).
        frame_length: samples per frame, at most ``len(wave)``.
        frame_step: samples between the starts of two frames (the hop); frames overlap when it is smaller than
            ``frame_length``.

    Returns:
        A float64 array (n_frames, frame_length), a copy: row ``i`` is ``wave[i * frame_step : i * frame_step +
        frame_length]``.

    Raises:
        ValueError: ``wave`` is not 1-D or holds NaN or inf, a size is not positive, or ``frame_length`` is longer
            than the wave.
        TypeError: a size that is not an int, or samples that are not real numbers.

    Example:
        >>> frame([0, 1, 2, 3, 4, 5, 6], frame_length=3, frame_step=2)
        array([[0., 1., 2.],
               [2., 3., 4.],
               [4., 5., 6.]])
    """
    frame_length = _check_size(frame_length, "frame_length")
    frame_step = _check_size(frame_step, "frame_step")
    samples = _as_wave(wave)
    if frame_length > samples.shape[0]:
        raise ValueError(
            f"frame_length ({frame_length}) is longer than the wave ({samples.shape[0]} samples): not one frame fits"
        )
    windows = np.lib.stride_tricks.sliding_window_view(samples, frame_length)  # (N - L + 1, L), a view
    return windows[::frame_step].copy()


def hann_window(length: int) -> np.ndarray:
    """The Hann window of ``tf.signal.hann_window(length)`` (periodic, its default): ``0.5 - 0.5 cos(2 pi n / N)``.

    For an even ``length`` (the usual frame lengths: 200, 256, 400), ``N = length``: the *periodic* window, one
    period of the cosine over the frame, starting at 0 but not ending at 0, so that overlapping windows at a hop of
    ``length / 2`` sum to 1. For an odd ``length`` TensorFlow uses ``N = length - 1``, the *symmetric* window of
    ``np.hanning`` (it starts and ends at 0), and so does this function, to match ``tf.signal.stft``. A window of
    length 1 is ``[1.0]``, as in TensorFlow.

    Example:
        >>> hann_window(4)
        array([0. , 0.5, 1. , 0.5])
        >>> hann_window(5)
        array([0. , 0.5, 1. , 0.5, 0. ])
    """
    length = _check_size(length, "length")
    if length == 1:
        return np.ones(1)
    period = length if length % 2 == 0 else length - 1
    return 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(length) / period)


def _default_fft_length(frame_length: int) -> int:
    return 1 << (frame_length - 1).bit_length()  # the smallest power of 2 >= frame_length


def spectrogram(
    wave: Sequence[float] | np.ndarray, frame_length: int, frame_step: int, fft_length: int | None = None
) -> np.ndarray:
    """Magnitude spectrogram: ``|rfft(frame * hann_window(frame_length), fft_length)|`` for each frame of :func:`frame`.

    The FFT zero-pads each windowed frame to ``fft_length`` samples, which gives ``fft_length // 2 + 1``
    frequencies from 0 to ``sample_rate / 2``, ``sample_rate / fft_length`` Hz apart. Equal (to float32 rounding)
    to ``abs(tf.signal.stft(wave, frame_length, frame_step, fft_length))``; computed in float64.

    Args:
        wave: 1-D samples.
        frame_length: samples per frame (the window length), at most ``len(wave)``.
        frame_step: samples between the starts of two frames.
        fft_length: FFT size, at least ``frame_length``; default: the smallest power of 2 that is at least
            ``frame_length``, as in ``tf.signal.stft``.

    Returns:
        A float32 array (n_frames, fft_length // 2 + 1) of magnitudes >= 0.

    Raises:
        ValueError: the bad inputs of :func:`frame`, or ``fft_length`` smaller than ``frame_length`` or not positive.

    Example:
        >>> spectrogram(np.ones(8), frame_length=4, frame_step=4, fft_length=4)   # the window's sum at 0 Hz
        array([[2., 1., 0.],
               [2., 1., 0.]], dtype=float32)
    """
    frame_length = _check_size(frame_length, "frame_length")
    if fft_length is None:
        fft_length = _default_fft_length(frame_length)
    fft_length = _check_size(fft_length, "fft_length")
    if fft_length < frame_length:
        raise ValueError(
            f"fft_length ({fft_length}) is smaller than frame_length ({frame_length}): the FFT would cut each frame"
        )
    frames = frame(wave, frame_length, frame_step)  # (n_frames, frame_length)
    windowed = frames * hann_window(frame_length)
    return np.abs(np.fft.rfft(windowed, n=fft_length, axis=-1)).astype(np.float32)


def log_spectrogram(
    wave: Sequence[float] | np.ndarray,
    frame_length: int,
    frame_step: int,
    fft_length: int | None = None,
    eps: float = LOG_EPS,
) -> np.ndarray:
    """``log(spectrogram + eps)``: the magnitudes on a log scale, closer to how loud a sound seems.

    Magnitudes span several orders of magnitude (a loud vowel against background noise); the log makes them
    comparable and is the usual input of a speech model. ``eps`` (default :data:`LOG_EPS` = 1e-6) keeps silence
    finite: a zero magnitude gives ``log(eps)``.

    Args:
        wave, frame_length, frame_step, fft_length: as for :func:`spectrogram`.
        eps: a positive number added before the log.

    Returns:
        A float32 array (n_frames, fft_length // 2 + 1).

    Example:
        >>> log_spectrogram(np.zeros(8), frame_length=4, frame_step=4, fft_length=4, eps=1.0)   # log(0 + 1)
        array([[0., 0., 0.],
               [0., 0., 0.]], dtype=float32)
    """
    if isinstance(eps, (bool, np.bool_)) or not isinstance(eps, numbers.Real):
        raise TypeError(f"eps must be a number, got {eps!r} ({type(eps).__name__})")
    if not (np.isfinite(eps) and eps > 0):
        raise ValueError(f"eps must be positive and finite, got {eps}")
    magnitudes = spectrogram(wave, frame_length, frame_step, fft_length).astype(np.float64)
    return np.log(magnitudes + float(eps)).astype(np.float32)


def plot_spectrogram(
    spec: np.ndarray,
    sample_rate: float,
    frame_step: int,
    fft_length: int,
    ax: Any = None,
    marks: Sequence[tuple[float, str]] | None = None,
    title: str | None = None,
    colorbar_label: str = "log magnitude",
):
    """Draw a spectrogram with time in seconds on x and frequency in hertz on y, low frequencies at the bottom.

    Column ``i`` of the picture spans the time ``i * frame_step / sample_rate`` (the start of frame ``i``) to the
    start of the next frame; row ``k`` is centred on ``k * sample_rate / fft_length`` Hz.

    Args:
        spec: (n_frames, fft_length // 2 + 1), e.g. from :func:`log_spectrogram` (plotted as given).
        sample_rate: samples per second of the wave, in Hz.
        frame_step: the hop the spectrogram was computed with, in samples.
        fft_length: the FFT size it was computed with.
        ax: a Matplotlib axes to draw into (default: a new figure).
        marks: optional ``(time_s, label)`` pairs, e.g. where each spoken character starts: a dashed line at
            ``time_s`` with ``label`` written at the top.
        title: a title for the axes.
        colorbar_label: the colour bar's label.

    Returns:
        The Matplotlib axes.

    Raises:
        ValueError: ``spec`` is not 2-D or has not ``fft_length // 2 + 1`` columns, a size or rate is not positive,
            or a mark lies outside the plotted time range.

    Example:
        >>> ax = plot_spectrogram(np.zeros((10, 5)), sample_rate=8000, frame_step=80, fft_length=8,
        ...                       marks=[(0.02, "7")])
        >>> ax.get_xlabel(), ax.get_ylabel(), [float(x) for x in ax.get_xlim()], ax.texts[0].get_text()
        ('time (s)', 'frequency (Hz)', [0.0, 0.1], ' 7')
    """
    import matplotlib.pyplot as plt

    values = np.asarray(spec)
    if values.ndim != 2:
        raise ValueError(f"spec must be 2-D (n_frames, fft_length // 2 + 1), got shape {values.shape}")
    frame_step = _check_size(frame_step, "frame_step")
    fft_length = _check_size(fft_length, "fft_length")
    if isinstance(sample_rate, (bool, np.bool_)) or not isinstance(sample_rate, numbers.Real):
        raise TypeError(f"sample_rate must be a number (Hz), got {sample_rate!r}")
    if not (np.isfinite(sample_rate) and sample_rate > 0):
        raise ValueError(f"sample_rate must be positive, got {sample_rate}")
    if values.shape[1] != fft_length // 2 + 1:
        raise ValueError(
            f"spec has {values.shape[1]} frequency columns but fft_length {fft_length} gives {fft_length // 2 + 1}: "
            "pass the fft_length the spectrogram was computed with"
        )
    if values.shape[0] == 0:
        raise ValueError("spec has no frames")
    duration = float(values.shape[0] * frame_step / sample_rate)
    bin_width = float(sample_rate / fft_length)
    checked_marks = []
    for index, mark in enumerate(marks or []):
        if not (isinstance(mark, Sequence) and len(mark) == 2 and isinstance(mark[0], numbers.Real)):
            raise TypeError(f"marks[{index}] must be a (time_s, label) pair, got {mark!r}")
        time_s, label = float(mark[0]), str(mark[1])
        if not 0 <= time_s <= duration:
            raise ValueError(f"marks[{index}] is at {time_s} s, outside the spectrogram's 0 to {duration:g} s")
        checked_marks.append((time_s, label))

    if ax is None:
        _, ax = plt.subplots(figsize=(9, 3.2))
    extent = (0.0, duration, -bin_width / 2, sample_rate / 2 + bin_width / 2)
    image = ax.imshow(values.T, origin="lower", aspect="auto", extent=extent, cmap="magma", interpolation="nearest")
    ax.set_xlim(0.0, duration)
    ax.set_ylim(0.0, sample_rate / 2)
    ax.set_xlabel("time (s)")
    ax.set_ylabel("frequency (Hz)")
    ax.grid(False)
    for time_s, label in checked_marks:
        ax.axvline(time_s, color="white", linestyle="--", linewidth=1)
        ax.text(
            time_s, sample_rate / 2, f" {label}", color="white", fontsize=12, fontweight="bold", ha="left", va="top"
        )
    ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.02, label=colorbar_label)
    if title:
        ax.set_title(title)
    return ax
