"""Recorded speech, offline: varied utterances of digits and letters for the speech lesson.

The clips are the voice recordings inside the package ``captcha`` (BSD-3-Clause, pinned in requirements.txt):
one recording per character, ``captcha/data/<char>/default.wav`` for 0-9 and A-Z, 8 kHz, 8-bit mono, one
speaker. They are read at run time from the installed package (found with ``importlib.util.find_spec``, read
with the standard library's ``wave``); none of the audio is copied into this repository.

Because there is one speaker and one recording per character, every utterance made here is a varied copy of
those recordings (faster or slower, louder or softer, with gaps and noise), not a new voice: a model trained
on them learns to recognise these recordings. :func:`utterance` makes one string; :func:`digit_string_dataset`
many; :func:`trigger_stream` a long stream with a trigger character at random times, and
:func:`trigger_labels` its frame labels. Every random setting is drawn uniformly from an explicit
``(low, high)`` range, so a test set can be drawn from settings never seen in training (faster speech,
louder noise). :func:`speech_test_set` regenerates the frozen test sets described in
``data/speech_test_sets.json``; :func:`dataset_digest` fingerprints them.

Example:
    >>> import numpy as np
    >>> wave, segments = utterance("42", np.random.default_rng(0))
    >>> wave.dtype, [char for char, _, _ in segments]
    (dtype('float32'), ['4', '2'])
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import math
import numbers
import os
import wave as _wave
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from course_utils.data._common import _package_folders

__all__ = [
    "SAMPLE_RATE",
    "CHARACTERS",
    "CAPTCHA_INSTALL",
    "NOISE_COLORS",
    "SPEECH_TEST_SETS",
    "load_clips",
    "utterance",
    "digit_string_dataset",
    "trigger_stream",
    "trigger_labels",
    "speech_test_set",
    "dataset_digest",
]

#: Samples per second of every clip and every waveform made here.
SAMPLE_RATE = 8000
#: The characters that have a recording, in order.
CHARACTERS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#: The command that installs the recordings, at the version pinned in requirements.txt.
CAPTCHA_INSTALL = "pip install captcha==0.7.1"
#: Background noise colours: the power spectrum falls as 1/f**exponent.
NOISE_COLORS: dict[str, int] = {"white": 0, "pink": 1, "brown": 2}
#: The description of the frozen speech test sets (seeds, sizes and ranges, not audio).
SPEECH_TEST_SETS: Path = Path(__file__).resolve().parent.parent.parent / "data" / "speech_test_sets.json"

_PACKAGE = "captcha"
#: A sample counts as voice when its magnitude exceeds this (the 8-bit silence is 0 or -1/128).
_TRIM_THRESHOLD = 0.03
#: Samples kept on each side of the voice when a clip is trimmed (5 ms).
_TRIM_MARGIN = 40
#: Below this frequency the pink and brown noise spectra stop rising (so the noise has no huge drift).
_NOISE_F_MIN = 20.0


# --------------------------------------------------------------------------------------------- clips


def _clip_folder() -> Path:
    folders = _package_folders(_PACKAGE, "the speech clips are", CAPTCHA_INSTALL)
    for folder in folders:
        if (folder / "data" / "0" / "default.wav").is_file():
            return folder / "data"
    raise FileNotFoundError(
        f"data/<char>/default.wav not found in {', '.join(map(str, folders))}; "
        f"reinstall the package with `{CAPTCHA_INSTALL} --force-reinstall`"
    )


def _read_wav(path: Path) -> np.ndarray:
    with _wave.open(str(path), "rb") as handle:
        channels, width, rate, count = (
            handle.getnchannels(),
            handle.getsampwidth(),
            handle.getframerate(),
            handle.getnframes(),
        )
        raw = handle.readframes(count)
    if (channels, width, rate) != (1, 1, SAMPLE_RATE):
        raise ValueError(
            f"{path}: expected 8-bit mono at {SAMPLE_RATE} Hz, found {channels} channel(s), {8 * width}-bit, "
            f"{rate} Hz; reinstall the package with `{CAPTCHA_INSTALL} --force-reinstall`"
        )
    samples = (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0  # [-1, 127/128]
    voiced = np.flatnonzero(np.abs(samples) > _TRIM_THRESHOLD)
    if voiced.size == 0:
        raise ValueError(f"{path} holds only silence; reinstall the package with `{CAPTCHA_INSTALL}`")
    start = max(0, int(voiced[0]) - _TRIM_MARGIN)
    stop = min(samples.shape[0], int(voiced[-1]) + 1 + _TRIM_MARGIN)
    clip = samples[start:stop].copy()
    clip.setflags(write=False)
    return clip


@functools.lru_cache(maxsize=2)
def _read_all(folder: str) -> dict[str, np.ndarray]:
    return {char: _read_wav(Path(folder) / char / "default.wav") for char in CHARACTERS}


def _check_chars(chars: Iterable[str], name: str) -> str:
    if isinstance(chars, str):
        items = list(chars)
    else:
        items = list(chars)
        for item in items:
            if not isinstance(item, str) or len(item) != 1:
                raise TypeError(f"{name} must hold single characters, got {item!r}")
    for position, char in enumerate(items):
        if char not in CHARACTERS:
            raise ValueError(
                f"{name}[{position}] is {char!r}: only 0-9 and upper-case A-Z have a recording"
            )
    return "".join(items)


def load_clips(chars: Iterable[str] | None = None) -> dict[str, np.ndarray]:
    """The recorded clip of each character in ``chars`` (default: all 36, 0-9 then A-Z), as float32 samples.

    Each clip is read once (then cached) from ``captcha/data/<char>/default.wav`` in the installed package,
    scaled from 8-bit to [-1, 1) (``(byte - 128) / 128``) and trimmed: the silence before and after the voice
    (every sample with magnitude at most 0.03) is cut, keeping 5 ms on each side. The letters' files end with
    about 0.35 s of silence; trimming it makes a segment of :func:`utterance` the span of the voice. Sample
    rate :data:`SAMPLE_RATE`. The arrays are read-only (shared by every call); copy one to change it.

    Raises:
        ModuleNotFoundError: ``captcha`` is not installed (the message gives ``pip install captcha==0.7.1``).
        ValueError: a character has no recording (only 0-9 and A-Z do).

    Example:
        >>> clips = load_clips("07")
        >>> sorted(clips), clips["0"].dtype, 0.2 < len(clips["0"]) / SAMPLE_RATE < 0.4
        (['0', '7'], dtype('float32'), True)
    """
    wanted = CHARACTERS if chars is None else _check_chars(chars, "chars")
    clips = _read_all(str(_clip_folder()))
    return {char: clips[char] for char in dict.fromkeys(wanted)}


# --------------------------------------------------------------------------------------------- argument checks


def _as_rng(rng: object) -> np.random.Generator:
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        if rng < 0:
            raise ValueError(f"rng as a seed must be a non-negative int, got {rng}")
        return np.random.default_rng(int(rng))
    raise TypeError(f"rng must be a numpy Generator (np.random.default_rng(seed)) or an int seed, got {rng!r}")


def _range(name: str, value: object, *, minimum: float | None = None, positive: bool = False) -> tuple[float, float]:
    """A (low, high) pair of finite floats with low <= high (and above a bound), or a ValueError naming it."""
    bound = "0 < low <= high" if positive else (f"{minimum} <= low <= high" if minimum is not None else "low <= high")
    message = f"{name} must be a (low, high) pair of finite numbers with {bound}, got {value!r}"
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence) or len(value) != 2:
        raise ValueError(message)
    low, high = value
    for item in (low, high):
        if isinstance(item, (bool, np.bool_)) or not isinstance(item, numbers.Real) or not math.isfinite(item):
            raise ValueError(message)
    low, high = float(low), float(high)
    if low > high or (positive and low <= 0) or (minimum is not None and low < minimum):
        raise ValueError(message)
    return low, high


def _int_range(name: str, value: object, *, minimum: int) -> tuple[int, int]:
    message = f"{name} must be a (low, high) pair of ints with {minimum} <= low <= high, got {value!r}"
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence) or len(value) != 2:
        raise ValueError(message)
    low, high = value
    for item in (low, high):
        if isinstance(item, (bool, np.bool_)) or not isinstance(item, (int, np.integer)):
            raise ValueError(message)
    if not minimum <= low <= high:
        raise ValueError(message)
    return int(low), int(high)


def _uniform(rng: np.random.Generator, bounds: tuple[float, float]) -> float:
    return float(rng.uniform(bounds[0], bounds[1]))


class _Settings:
    """The checked ranges shared by :func:`utterance` and :func:`trigger_stream`."""

    def __init__(
        self,
        speed: object,
        pitch: object,
        gain_db: object,
        noise_db: object,
        noise_color: object,
        distractor_level: object,
        distractors: object,
        distractor_chars: object,
    ) -> None:
        self.speed = _range("speed", speed, positive=True)
        self.pitch = None if pitch is None else _range("pitch", pitch, positive=True)
        self.gain_db = _range("gain_db", gain_db)
        self.noise_db = None if noise_db is None else _range("noise_db", noise_db)
        if not isinstance(noise_color, str) or noise_color not in NOISE_COLORS:
            raise ValueError(f"noise_color must be one of {sorted(NOISE_COLORS)}, got {noise_color!r}")
        self.noise_color = noise_color
        self.distractor_level = None if distractor_level is None else _range("distractor_level", distractor_level)
        self.distractors = _int_range("distractors", distractors, minimum=0)
        self.distractor_chars = None if distractor_chars is None else _check_chars(distractor_chars, "distractor_chars")
        for name, bounds in (("speed", self.speed), ("pitch", self.pitch)):
            if bounds is not None and not (0.25 <= bounds[0] and bounds[1] <= 4.0):
                raise ValueError(f"{name} must stay within (0.25, 4.0), got {bounds}")


# --------------------------------------------------------------------------------------------- signal processing


def _resample(clip: np.ndarray, rate: float) -> np.ndarray:
    """Play ``clip`` ``rate`` times faster: read it at positions 0, rate, 2 rate, ... by linear interpolation.

    The result has ``round(len / rate)`` samples; every frequency is multiplied by ``rate`` (a tape played
    faster). There is no anti-aliasing filter: sped up by ``rate``, content above ``4000 / rate`` Hz folds back,
    which for speech (little energy above 3 kHz) and rates up to about 1.3 is faint.
    """
    length = max(1, int(round(clip.shape[0] / rate)))
    positions = np.minimum(np.arange(length) * rate, clip.shape[0] - 1)
    return np.interp(positions, np.arange(clip.shape[0]), clip)


def _stretch(signal: np.ndarray, factor: float) -> np.ndarray:
    """Make ``signal`` ``factor`` times longer without changing its pitch (WSOLA overlap-add).

    Frames of 256 samples under a Hann window are written every 128 output samples; each is read near its
    nominal input position ``output_position / factor``, shifted by up to 64 samples to the place that best
    continues the previous frame (largest cross-correlation), so that periods line up and no echo appears.
    """
    n_out = max(1, int(round(signal.shape[0] * factor)))
    size, hop, tol = 256, 128, 64
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(size) / size)
    analysis_hop = hop / factor
    n_frames = n_out // hop + 3
    offset = size + tol
    needed = offset - size // 2 + int(math.ceil((n_frames - 1) * analysis_hop)) + 2 * tol + 2 * size + 1
    padded = np.zeros(max(needed, offset + signal.shape[0] + size))
    padded[offset : offset + signal.shape[0]] = signal
    out = np.zeros(n_frames * hop + size)
    weight = np.zeros_like(out)
    previous = -1
    for k in range(n_frames):
        start = offset - size // 2 + int(round(k * analysis_hop))
        if previous >= 0:
            target = padded[previous + hop : previous + hop + size]
            scores = np.correlate(padded[start - tol : start + tol + size], target, mode="valid")
            start += int(np.argmax(scores)) - tol
        out[k * hop : k * hop + size] += padded[start : start + size] * window
        weight[k * hop : k * hop + size] += window
        previous = start
    out = out / np.maximum(weight, 1e-3)
    return out[size // 2 : size // 2 + n_out]


def _vary(clip: np.ndarray, speed: float, pitch: float | None) -> np.ndarray:
    if pitch is None:
        return _resample(clip, speed)
    # pitch by resampling (which also shortens by 1/pitch), then the duration put right by WSOLA
    return _stretch(_resample(clip, pitch), pitch / speed)


def _fast_length(n: int) -> int:
    """The smallest 2**a * 3**b * 5**c >= n (a length whose FFT is fast)."""
    best = 1 << (n - 1).bit_length()
    power5 = 1
    while power5 < best:
        power35 = power5
        while power35 < best:
            candidate = power35 * (1 << max(0, (-(-n // power35) - 1).bit_length()))
            best = min(best, candidate)
            power35 *= 3
        power5 *= 5
    return best


def _noise(n: int, rng: np.random.Generator, color: str, level_db: float) -> np.ndarray:
    """``n`` samples of Gaussian noise with power spectrum ~ 1/f**exponent, scaled to RMS ``10**(level_db/20)``."""
    exponent = NOISE_COLORS[color]
    if exponent and n > 1:
        size = _fast_length(n)  # shaped at a length the FFT handles fast, then cut to n
        spectrum = np.fft.rfft(rng.standard_normal(size))
        freqs = np.fft.rfftfreq(size, d=1.0 / SAMPLE_RATE)
        spectrum *= np.maximum(freqs, _NOISE_F_MIN) ** (-exponent / 2)
        spectrum[0] = 0.0
        white = np.fft.irfft(spectrum, size)[:n]
    else:
        white = rng.standard_normal(n)
    rms = float(np.sqrt(np.mean(white**2)))
    if rms == 0.0:
        return white
    return white * (10 ** (level_db / 20) / rms)


def _render(
    chars: str, rng: np.random.Generator, settings: _Settings, clips: dict[str, np.ndarray]
) -> list[np.ndarray]:
    rendered = []
    for char in chars:
        speed = _uniform(rng, settings.speed)
        pitch = None if settings.pitch is None else _uniform(rng, settings.pitch)
        gain = 10 ** (_uniform(rng, settings.gain_db) / 20)
        rendered.append(_vary(clips[char], speed, pitch) * gain)
    return rendered


def _finish(
    wave: np.ndarray, rng: np.random.Generator, settings: _Settings, exclude: str, clips: dict[str, np.ndarray]
) -> np.ndarray:
    """Add distractors and background noise to ``wave`` (float64), clip to [-1, 1] and return float32."""
    n = wave.shape[0]
    if settings.distractor_level is not None:
        pool = settings.distractor_chars
        if pool is None:
            pool = "".join(c for c in CHARACTERS if c not in exclude)
        if not pool:
            raise ValueError("no character is left to use as a distractor: give distractor_chars")
        count = int(rng.integers(settings.distractors[0], settings.distractors[1] + 1))
        for _ in range(count):
            char = pool[int(rng.integers(len(pool)))]
            clip = _resample(clips[char], _uniform(rng, settings.speed))
            clip = clip * 10 ** (_uniform(rng, settings.distractor_level) / 20)
            start = int(rng.integers(-clip.shape[0] + 1, n))  # may run over either end: cut there
            lo, hi = max(start, 0), min(start + clip.shape[0], n)
            wave[lo:hi] += clip[lo - start : hi - start]
    if settings.noise_db is not None:
        wave += _noise(n, rng, settings.noise_color, _uniform(rng, settings.noise_db))
    return np.clip(wave, -1.0, 1.0).astype(np.float32)


# --------------------------------------------------------------------------------------------- utterances


def utterance(
    text: str,
    rng: np.random.Generator | int,
    *,
    speed: tuple[float, float] = (0.9, 1.1),
    pitch: tuple[float, float] | None = None,
    gain_db: tuple[float, float] = (-6.0, 0.0),
    gap_s: tuple[float, float] = (0.05, 0.25),
    edge_s: tuple[float, float] = (0.05, 0.25),
    noise_db: tuple[float, float] | None = (-35.0, -25.0),
    noise_color: str = "pink",
    distractor_level: tuple[float, float] | None = None,
    distractors: tuple[int, int] = (1, 3),
    distractor_chars: str | None = None,
) -> tuple[np.ndarray, list[tuple[str, int, int]]]:
    """One spoken string: the clip of each character of ``text``, each varied, with gaps, over noise.

    Every setting is drawn uniformly, independently for each character, from its ``(low, high)`` range (give
    ``(x, x)`` to fix it):

    * ``speed``: the clip is resampled (:func:`load_clips` samples read at steps of ``speed``, linear
      interpolation), so it lasts ``1 / speed`` times as long **and every frequency, the pitch included, is
      multiplied by speed**, like a tape played faster. Resampling cannot change one without the other.
    * ``pitch``: ``None`` (the default) leaves the pitch tied to the speed as above. A range of factors
      makes pitch separate: the clip is resampled by the pitch factor, then stretched back in time to
      ``1 / speed`` of its length by WSOLA (overlap-add of 32 ms windows, aligned by cross-correlation), which
      keeps the pitch; that stretch adds a slight roughness.
    * ``gain_db``: the clip is multiplied by ``10 ** (gain_db / 20)`` (the clips peak near 0.5-0.9).
    * ``gap_s``: silence between two characters, in seconds; ``edge_s``: silence before the first and after
      the last character (drawn separately).
    * ``noise_db``: background noise over the whole waveform, its RMS level in dB relative to full scale
      (1.0): -30 means an RMS of 0.032. The clips' own RMS is about -18 to -22 dB, so the default range gives a
      signal-to-noise ratio of roughly 5 to 15 dB. ``None``: no noise. ``noise_color``: ``"white"`` (flat
      spectrum), ``"pink"`` (power ~ 1/f) or ``"brown"`` (power ~ 1/f², a rumble), below 20 Hz flat.
    * ``distractor_level``: ``None`` (none), or a range in dB of gain for ``distractors`` (a count range)
      other clips mixed in at random places, overlapping the speech or not, at a low level (e.g. (-30, -20));
      drawn from ``distractor_chars``, by default every character not in ``text``. They are not in
      ``segments``.

    The sum is clipped to [-1, 1] (only loud settings reach it). Draws happen in a fixed order, so one
    seed gives the same waveform byte for byte; the noise differs with every state of ``rng``.

    Args:
        text: the characters to say (0-9, A-Z), at least one.
        rng: a ``np.random.Generator`` (advanced by the call) or an int seed.

    Returns:
        ``(wave, segments)``: float32 samples at :data:`SAMPLE_RATE`, and one ``(char, start, end)`` per
        character of ``text``, in order: the sample span ``wave[start:end]`` of its (trimmed) clip.

    Raises:
        ValueError: an empty text, a character without a recording, or a bad range (the message names it).

    Example:
        >>> import numpy as np
        >>> wave, segments = utterance("7", np.random.default_rng(1), speed=(1.0, 1.0), noise_db=None)
        >>> (char, start, end), = segments
        >>> char, end - start == len(load_clips("7")["7"])
        ('7', True)
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if not text:
        raise ValueError("text must hold at least one character, got ''")
    text = _check_chars(text, "text")
    generator = _as_rng(rng)
    settings = _Settings(speed, pitch, gain_db, noise_db, noise_color, distractor_level, distractors, distractor_chars)
    gaps = _range("gap_s", gap_s, minimum=0.0)
    edges = _range("edge_s", edge_s, minimum=0.0)
    clips = load_clips()
    pieces = _render(text, generator, settings, clips)
    lead = int(round(_uniform(generator, edges) * SAMPLE_RATE))
    between = [int(round(_uniform(generator, gaps) * SAMPLE_RATE)) for _ in range(len(text) - 1)]
    trail = int(round(_uniform(generator, edges) * SAMPLE_RATE))
    total = lead + sum(p.shape[0] for p in pieces) + sum(between) + trail
    wave = np.zeros(total)
    segments = []
    position = lead
    for i, (char, piece) in enumerate(zip(text, pieces)):
        wave[position : position + piece.shape[0]] = piece
        segments.append((char, position, position + piece.shape[0]))
        position += piece.shape[0] + (between[i] if i < len(between) else 0)
    return _finish(wave, generator, settings, text, clips), segments


def digit_string_dataset(
    n: int,
    rng: np.random.Generator | int,
    length: tuple[int, int] = (3, 6),
    alphabet: str = "0123456789",
    **ranges: object,
) -> list[tuple[np.ndarray, str]]:
    """``n`` spoken strings: random texts of ``length`` (an inclusive range) characters from ``alphabet``.

    Each text is drawn (its length, then each character, uniformly), then spoken by :func:`utterance` with
    ``ranges`` (``speed``, ``gain_db``, ``gap_s``, ``noise_db``, ...) from the same ``rng``, one example after
    the other.

    Returns:
        A list of ``(wave, text)``; waves are float32 of varying lengths.

    Example:
        >>> import numpy as np
        >>> examples = digit_string_dataset(2, np.random.default_rng(0), length=(2, 2))
        >>> [len(text) for _, text in examples]
        [2, 2]
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"n must be a non-negative int, got {n!r}")
    low, high = _int_range("length", length, minimum=1)
    if not isinstance(alphabet, str) or not alphabet:
        raise ValueError(f"alphabet must be a non-empty str, got {alphabet!r}")
    alphabet = _check_chars(alphabet, "alphabet")
    generator = _as_rng(rng)
    examples = []
    for _ in range(int(n)):
        size = int(generator.integers(low, high + 1))
        text = "".join(alphabet[int(i)] for i in generator.integers(len(alphabet), size=size))
        wave, _ = utterance(text, generator, **ranges)  # type: ignore[arg-type]
        examples.append((wave, text))
    return examples


# --------------------------------------------------------------------------------------------- trigger words


def trigger_stream(
    duration_s: float,
    trigger: str,
    rng: np.random.Generator | int,
    n_events: tuple[int, int] = (1, 3),
    *,
    others: tuple[int, int] = (2, 6),
    other_chars: str | None = None,
    min_gap_s: float = 0.05,
    quiet_end_s: float = 0.0,
    speed: tuple[float, float] = (0.9, 1.1),
    pitch: tuple[float, float] | None = None,
    gain_db: tuple[float, float] = (-6.0, 0.0),
    noise_db: tuple[float, float] | None = (-35.0, -25.0),
    noise_color: str = "pink",
    distractor_level: tuple[float, float] | None = None,
    distractors: tuple[int, int] = (1, 3),
    distractor_chars: str | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """A stream of ``duration_s`` seconds in which ``trigger`` is said ``n_events`` times among other characters.

    The stream holds a number of trigger clips drawn from ``n_events`` and of other characters' clips drawn
    from ``others`` (from ``other_chars``, default every character but the trigger), in random order, at
    random times, never overlapping, at least ``min_gap_s`` apart, and none in the last ``quiet_end_s`` seconds
    (noise only there, so that a label window after a trigger that ends late still fits in the stream). Each clip is varied as in
    :func:`utterance` (``speed``, ``pitch``, ``gain_db``), then noise and optional low-level distractors
    (never the trigger, unless ``distractor_chars`` says so) are added as there.

    Returns:
        ``(wave, trigger_ends)``: ``round(duration_s * SAMPLE_RATE)`` float32 samples, and the times in seconds
        (ascending, float64) at which each trigger clip ends (its end sample / ``SAMPLE_RATE``).

    Raises:
        ValueError: the clips drawn do not fit in ``duration_s`` (the message gives both lengths), a bad range,
            or a trigger that is not one recorded character.

    Example:
        >>> import numpy as np
        >>> wave, ends = trigger_stream(3.0, "A", np.random.default_rng(0), n_events=(2, 2))
        >>> wave.shape, len(ends), bool(np.all(np.diff(ends) > 0))
        ((24000,), 2, True)
    """
    if not isinstance(trigger, str) or len(trigger) != 1:
        raise ValueError(f"trigger must be one character, got {trigger!r}")
    trigger = _check_chars(trigger, "trigger")
    if isinstance(duration_s, bool) or not isinstance(duration_s, numbers.Real) or not duration_s > 0:
        raise ValueError(f"duration_s must be a positive number of seconds, got {duration_s!r}")
    if isinstance(min_gap_s, bool) or not isinstance(min_gap_s, numbers.Real) or not min_gap_s >= 0:
        raise ValueError(f"min_gap_s must be a non-negative number of seconds, got {min_gap_s!r}")
    if isinstance(quiet_end_s, bool) or not isinstance(quiet_end_s, numbers.Real) or not 0 <= quiet_end_s < duration_s:
        raise ValueError(f"quiet_end_s must be a number of seconds in [0, duration_s), got {quiet_end_s!r}")
    events = _int_range("n_events", n_events, minimum=0)
    n_others = _int_range("others", others, minimum=0)
    if other_chars is None:
        pool = "".join(c for c in CHARACTERS if c != trigger)
    else:
        pool = _check_chars(other_chars, "other_chars")
    if trigger in pool:
        raise ValueError(f"other_chars must not hold the trigger {trigger!r}")
    if not pool and n_others[1] > 0:
        raise ValueError("other_chars is empty but others asks for other characters")
    settings = _Settings(speed, pitch, gain_db, noise_db, noise_color, distractor_level, distractors, distractor_chars)
    generator = _as_rng(rng)
    n = int(round(float(duration_s) * SAMPLE_RATE))
    count = int(generator.integers(events[0], events[1] + 1))
    count_others = int(generator.integers(n_others[0], n_others[1] + 1))
    chars = [trigger] * count + [pool[int(i)] for i in generator.integers(max(len(pool), 1), size=count_others)]
    order = generator.permutation(len(chars))
    chars = [chars[int(i)] for i in order]
    clips = load_clips()
    pieces = _render("".join(chars), generator, settings, clips)
    min_gap = int(round(float(min_gap_s) * SAMPLE_RATE))
    used = sum(p.shape[0] for p in pieces) + min_gap * max(len(pieces) - 1, 0)
    quiet = int(round(float(quiet_end_s) * SAMPLE_RATE))
    if used > n - quiet:
        raise ValueError(
            f"duration_s={duration_s} ({n} samples) is too short for the {len(pieces)} clips drawn "
            f"({used} samples with their gaps, and {quiet} quiet samples at the end): lengthen it or draw fewer events"
        )
    # split the free samples into len(pieces) + 1 random parts: the silences around the clips
    cuts = np.sort(generator.integers(0, n - quiet - used + 1, size=len(pieces)))
    wave = np.zeros(n)
    ends = []
    position = 0
    previous_cut = 0
    for char, piece, cut in zip(chars, pieces, cuts):
        position += int(cut) - previous_cut
        previous_cut = int(cut)
        wave[position : position + piece.shape[0]] = piece
        position += piece.shape[0]
        if char == trigger:
            ends.append(position / SAMPLE_RATE)
        position += min_gap
    return _finish(wave, generator, settings, trigger, clips), np.asarray(ends, dtype=np.float64)


def trigger_labels(
    n_frames: int,
    frame_step: int,
    trigger_ends: Sequence[float] | np.ndarray,
    window_frames: int,
    sample_rate: int = SAMPLE_RATE,
) -> np.ndarray:
    """Frame labels for trigger-word detection: 1 on the ``window_frames`` frames right after each trigger ends.

    Frame ``i`` starts at sample ``i * frame_step`` (as in :func:`course_utils.audio.frame`). A trigger ending
    at ``t`` seconds ends at sample ``e = round(t * sample_rate)``; the first frame that starts at or after
    ``e``, ``k = ceil(e / frame_step)``, and the ``window_frames - 1`` frames after it are labelled 1 (fewer at
    the end of the stream). Repeating the 1 over several frames is what makes the rare positive class learnable
    (the labelling of the trigger-word task); ``window_frames=1`` labels a single frame.

    Returns:
        An int8 array (n_frames,) of 0 and 1.

    Raises:
        ValueError: a size that is not positive, or an end time that is negative, not finite, or after the
            last frame's start.

    Example:
        >>> trigger_labels(10, frame_step=80, trigger_ends=[0.03], window_frames=3)   # sample 240 = frame 3
        array([0, 0, 0, 1, 1, 1, 0, 0, 0, 0], dtype=int8)
    """
    for name, value in (("n_frames", n_frames), ("frame_step", frame_step), ("window_frames", window_frames),
                        ("sample_rate", sample_rate)):  # fmt: skip
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive int, got {value!r}")
    ends = np.asarray(trigger_ends, dtype=np.float64).reshape(-1)
    labels = np.zeros(int(n_frames), dtype=np.int8)
    last_start = (int(n_frames) - 1) * int(frame_step)
    for index, end in enumerate(ends):
        if not math.isfinite(end) or end < 0:
            raise ValueError(f"trigger_ends[{index}] is {end}: end times must be finite and non-negative seconds")
        sample = int(round(end * sample_rate))
        if sample > last_start + int(frame_step):
            raise ValueError(
                f"trigger_ends[{index}] = {end} s (sample {sample}) is after the last of {n_frames} frames "
                f"(which starts at sample {last_start}): check frame_step and sample_rate"
            )
        first = -(-sample // int(frame_step))
        labels[first : first + int(window_frames)] = 1
    return labels


# --------------------------------------------------------------------------------------------- frozen test sets

_SPEC_KEYS = {"seed", "n", "length", "alphabet", "ranges"}
_RANGE_KEYS = {
    "speed", "pitch", "gain_db", "gap_s", "edge_s", "noise_db", "noise_color",
    "distractor_level", "distractors", "distractor_chars",
}  # fmt: skip


def _tuples(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


def speech_test_set(name: str, path: str | os.PathLike[str] = SPEECH_TEST_SETS) -> list[tuple[np.ndarray, str]]:
    """Regenerate the frozen speech test set ``name`` from its description in ``data/speech_test_sets.json``.

    The file stores, per test set, the seed, the size and every range given to :func:`digit_string_dataset`
    (no audio): ``"digits_in_distribution"`` uses the training ranges, ``"digits_out_of_distribution"`` faster
    speech and louder noise than any training example. The result is identical, byte for byte, on every run;
    ``tests/test_speech_data.py`` pins its :func:`dataset_digest`.

    Raises:
        FileNotFoundError: no description at ``path``.
        ValueError: an unknown name, or a description with unknown or missing keys.

    Example:
        >>> examples = speech_test_set("digits_out_of_distribution")
        >>> len(examples), examples[0][1].isdigit()
        (300, True)
    """
    file = Path(os.fspath(path))
    if not file.is_file():
        raise FileNotFoundError(f"no speech test-set description at {file}")
    sets = json.loads(file.read_text(encoding="utf-8")).get("test_sets", {})
    if name not in sets:
        raise ValueError(f"unknown speech test set {name!r}; {file.name} describes {sorted(sets)}")
    spec = sets[name]
    if set(spec) != _SPEC_KEYS:
        raise ValueError(
            f"{file.name}: test set {name!r} must have exactly the keys {sorted(_SPEC_KEYS)}, got {sorted(spec)}"
        )
    unknown = set(spec["ranges"]) - _RANGE_KEYS
    if unknown:
        raise ValueError(f"{file.name}: test set {name!r} has unknown ranges {sorted(unknown)}")
    ranges = {key: _tuples(value) for key, value in spec["ranges"].items()}
    return digit_string_dataset(
        spec["n"], np.random.default_rng(spec["seed"]), tuple(spec["length"]), spec["alphabet"], **ranges
    )


def dataset_digest(examples: Iterable[tuple[np.ndarray, str]]) -> str:
    """SHA-256 of a list of ``(wave, text)``: each text, and its wave as 16-bit PCM (what a WAV file would hold).

    Hashing the 16-bit samples rather than the float32 ones keeps the digest equal on CPUs whose FFT or
    ``exp`` differ in the last bit, while any real change of a waveform (a different draw, a changed generator)
    changes it.

    Example:
        >>> import numpy as np
        >>> dataset_digest([(np.zeros(3, np.float32), "1")])[:12]
        'a2ef3de4242b'
    """
    digest = hashlib.sha256()
    for wave, text in examples:
        pcm = np.round(np.clip(np.asarray(wave, dtype=np.float64), -1.0, 1.0) * 32767).astype("<i2")
        digest.update(text.encode("utf-8") + b"\t" + len(pcm).to_bytes(8, "little") + pcm.tobytes())
    return digest.hexdigest()
