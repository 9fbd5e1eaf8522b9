"""course_utils.data.speech: the recorded clips, varied utterances, trigger streams and labels, and the frozen
speech test sets (regenerated from data/speech_test_sets.json and pinned by digest).

The clips are read from the installed package captcha at run time; no audio is stored in the repository."""

import json

import numpy as np
import pytest

from course_utils import data
from course_utils.data import speech as sp
from course_utils.data.speech import (
    CHARACTERS,
    SAMPLE_RATE,
    dataset_digest,
    digit_string_dataset,
    load_clips,
    speech_test_set,
    trigger_labels,
    trigger_stream,
    utterance,
)

QUIET = {"noise_db": None}  # no background noise: the clips alone


def rms_db(x):
    return 20 * np.log10(np.sqrt(np.mean(np.asarray(x, dtype=np.float64) ** 2)))


# --------------------------------------------------------------------------------------------- clips


def test_36_clips_at_8_khz_as_float32_in_range():
    clips = load_clips()
    assert list(clips) == list(CHARACTERS) and len(clips) == 36
    assert SAMPLE_RATE == 8000
    for char, clip in clips.items():
        assert clip.dtype == np.float32 and clip.ndim == 1, char
        assert -1.0 <= clip.min() and clip.max() <= 1.0, char
        assert 0.1 < len(clip) / SAMPLE_RATE < 0.5, f"{char}: {len(clip) / SAMPLE_RATE:.2f} s after trimming"
        assert np.abs(clip).max() > 0.3, f"{char} is nearly silent"
        # trimmed: voice within the first and last 10 ms
        assert np.abs(clip[:80]).max() > 0.03 and np.abs(clip[-80:]).max() > 0.03, char


def test_clips_are_cached_and_read_only():
    first, second = load_clips("5"), load_clips("5")
    assert first["5"] is second["5"]
    with pytest.raises(ValueError):
        first["5"][0] = 1.0


def test_unknown_characters_are_refused():
    with pytest.raises(ValueError, match=r"chars\[1\] is 'a'"):
        load_clips("1a")
    with pytest.raises(ValueError, match=r"text\[2\] is '-'"):
        utterance("12-3", 0)


def test_a_missing_package_names_the_install_command(monkeypatch):
    monkeypatch.setattr(sp.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ModuleNotFoundError, match="pip install captcha==0.7.1"):
        load_clips()
    with pytest.raises(ModuleNotFoundError, match="pip install captcha==0.7.1"):
        utterance("1", 0)


def test_a_package_without_the_clips_is_reported(monkeypatch, tmp_path):
    spec = sp.importlib.util.spec_from_loader("captcha", loader=None, is_package=True)
    spec.submodule_search_locations = [str(tmp_path)]
    monkeypatch.setattr(sp.importlib.util, "find_spec", lambda name: spec)
    with pytest.raises(FileNotFoundError, match="captcha==0.7.1 --force-reinstall"):
        load_clips()


# --------------------------------------------------------------------------------------------- utterances


def test_one_seed_gives_the_same_bytes_and_other_seeds_differ():
    kwargs = {"distractor_level": (-30, -20), "noise_color": "brown"}
    a, seg_a = utterance("A7Z", np.random.default_rng(3), **kwargs)
    b, seg_b = utterance("A7Z", np.random.default_rng(3), **kwargs)
    assert a.tobytes() == b.tobytes() and seg_a == seg_b
    rng = np.random.default_rng(3)
    waves = [utterance("A7Z", rng, **kwargs)[0] for _ in range(5)] + [utterance("A7Z", 4, **kwargs)[0]]
    digests = {w.tobytes() for w in waves}
    assert len(digests) == len(waves)
    # even with every range fixed, the noise makes two draws differ
    fixed = dict(speed=(1, 1), gain_db=(0, 0), gap_s=(0.1, 0.1), edge_s=(0.1, 0.1), noise_db=(-30, -30))
    x, y = utterance("12", 0, **fixed)[0], utterance("12", 1, **fixed)[0]
    assert x.shape == y.shape and not np.array_equal(x, y)


def test_segments_are_ordered_inside_the_wave_and_hold_the_voice():
    rng = np.random.default_rng(0)
    for text in ["0", "918", "HELLO42"]:
        wave, segments = utterance(text, rng, distractor_level=(-30, -25))
        assert wave.dtype == np.float32 and np.abs(wave).max() <= 1.0
        assert [c for c, _, _ in segments] == list(text)
        assert segments[0][1] >= int(0.05 * SAMPLE_RATE) - 1
        assert segments[-1][2] <= len(wave) - int(0.05 * SAMPLE_RATE) + 1
        for (_, s0, e0), (_, s1, _) in zip(segments, segments[1:]):
            assert s0 < e0 and e0 + int(0.05 * SAMPLE_RATE) - 1 <= s1 <= e0 + int(0.25 * SAMPLE_RATE) + 1


def test_a_clip_without_variation_is_copied_exactly():
    wave, [(char, start, end)] = utterance("Q", 0, speed=(1, 1), gain_db=(0, 0), **QUIET)
    np.testing.assert_array_equal(wave[start:end], load_clips("Q")["Q"])
    assert not wave[:start].any() and not wave[end:].any()


@pytest.mark.parametrize("speed", [0.8, 1.25])
def test_speed_changes_the_duration(speed):
    clip = load_clips("7")["7"]
    _, [(_, start, end)] = utterance("7", 0, speed=(speed, speed), **QUIET)
    assert end - start == pytest.approx(len(clip) / speed, abs=1)


def spectral_centroid(x):
    power = np.abs(np.fft.rfft(x * np.hanning(len(x)), 8192)) ** 2
    return (power * np.fft.rfftfreq(8192, 1 / SAMPLE_RATE)).sum() / power.sum()


def test_resampling_moves_the_pitch_with_the_speed_and_pitch_moves_it_alone():
    clip = load_clips("7")["7"]
    base = spectral_centroid(clip)
    fast, [(_, s, e)] = utterance("7", 0, speed=(1.25, 1.25), gain_db=(0, 0), **QUIET)
    assert spectral_centroid(fast[s:e]) > 1.15 * base  # a faster tape sounds higher
    for factor in (0.8, 1.25):
        wave, [(_, s, e)] = utterance("7", 0, speed=(1, 1), pitch=(factor, factor), gain_db=(0, 0), **QUIET)
        assert e - s == len(clip)  # the duration kept ...
        ratio = spectral_centroid(wave[s:e]) / base
        assert (ratio > 1.1) if factor > 1 else (ratio < 0.9), ratio  # ... the pitch moved


def test_gain_scales_the_clip():
    clip = load_clips("3")["3"]
    wave, [(_, s, e)] = utterance("3", 0, speed=(1, 1), gain_db=(-6, -6), **QUIET)
    np.testing.assert_allclose(wave[s:e], clip * 10 ** (-6 / 20), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("color", ["white", "pink", "brown"])
@pytest.mark.parametrize("level", [-40.0, -20.0])
def test_noise_level_is_near_the_requested_db(color, level):
    # one short clip in 2 s of noise: the silence before it is noise only
    wave, [(_, start, _)] = utterance(
        "1", 5, edge_s=(1.0, 1.0), noise_db=(level, level), noise_color=color, gain_db=(-40, -40)
    )
    assert rms_db(wave) == pytest.approx(level, abs=0.3)
    assert rms_db(wave[:start]) == pytest.approx(level, abs=1.5)


def test_noise_colours_tilt_the_spectrum():
    def low_share(color):
        wave, _ = utterance("1", 0, edge_s=(1, 1), noise_db=(-20, -20), noise_color=color, gain_db=(-60, -60))
        power = np.abs(np.fft.rfft(wave.astype(np.float64))) ** 2
        freqs = np.fft.rfftfreq(len(wave), 1 / SAMPLE_RATE)
        return power[freqs < 500].sum() / power.sum()

    white, pink, brown = low_share("white"), low_share("pink"), low_share("brown")
    assert white == pytest.approx(500 / 4000, abs=0.03)
    assert white < pink < brown and brown > 0.8


def test_distractors_are_quiet_other_characters():
    kwargs = dict(speed=(1, 1), gain_db=(0, 0), noise_db=None, edge_s=(0.6, 0.6), distractors=(3, 3))
    clean, segments = utterance("5", 2, **kwargs)
    mixed, same_segments = utterance("5", 2, distractor_level=(-26, -26), **kwargs)
    assert segments == same_segments
    extra = mixed.astype(np.float64) - clean
    assert np.abs(extra).max() > 0.005  # something was added
    assert np.abs(extra).max() <= 3 * 10 ** (-26 / 20)  # three clips (peaks below 1) at the distractor level
    with pytest.raises(ValueError, match="distractor_chars"):
        utterance("5", 0, distractor_level=(-30, -20), distractor_chars="5x")


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"speed": (1.2, 1.0)}, "speed"),
        ({"speed": (0.0, 1.0)}, "speed"),
        ({"speed": 1.0}, "speed"),
        ({"pitch": (-1, 1)}, "pitch"),
        ({"gain_db": (0, float("nan"))}, "gain_db"),
        ({"gap_s": (-0.1, 0.2)}, "gap_s"),
        ({"edge_s": (0.3, 0.2)}, "edge_s"),
        ({"noise_db": (-20, -30)}, "noise_db"),
        ({"noise_db": ("a", "b")}, "noise_db"),
        ({"noise_color": "blue"}, "noise_color"),
        ({"distractor_level": (-10,)}, "distractor_level"),
        ({"distractors": (2, 1)}, "distractors"),
        ({"distractors": (0.5, 1)}, "distractors"),
    ],
)
def test_bad_ranges_raise_naming_them(kwargs, name):
    with pytest.raises(ValueError, match=name):
        utterance("12", 0, **kwargs)


def test_bad_text_and_rng():
    with pytest.raises(ValueError, match="at least one character"):
        utterance("", 0)
    with pytest.raises(TypeError, match="text must be a str"):
        utterance(12, 0)
    with pytest.raises(TypeError, match="rng must be"):
        utterance("1", "seed")
    with pytest.raises(ValueError, match="non-negative"):
        utterance("1", -1)


def test_digit_string_dataset():
    examples = digit_string_dataset(20, np.random.default_rng(0), length=(2, 4), speed=(1.0, 1.2))
    assert len(examples) == 20
    assert all(2 <= len(text) <= 4 and text.isdigit() and w.dtype == np.float32 for w, text in examples)
    again = digit_string_dataset(20, np.random.default_rng(0), length=(2, 4), speed=(1.0, 1.2))
    assert dataset_digest(examples) == dataset_digest(again)
    letters = digit_string_dataset(5, 1, length=(1, 1), alphabet="AB")
    assert {text for _, text in letters} <= {"A", "B"}
    with pytest.raises(ValueError, match="length"):
        digit_string_dataset(2, 0, length=(0, 3))
    with pytest.raises(ValueError, match="alphabet"):
        digit_string_dataset(2, 0, alphabet="")
    with pytest.raises(ValueError, match="speed"):
        digit_string_dataset(2, 0, speed=(2, 1))
    with pytest.raises(TypeError, match="unexpected keyword"):
        digit_string_dataset(2, 0, sped=(1, 1))


# --------------------------------------------------------------------------------------------- trigger words


def test_trigger_stream_has_its_events_where_it_says():
    clip = load_clips("A")["A"]
    wave, ends = trigger_stream(
        4.0, "A", 0, n_events=(3, 3), others=(0, 0), speed=(1, 1), gain_db=(0, 0), noise_db=None
    )
    assert wave.shape == (32000,) and wave.dtype == np.float32 and len(ends) == 3
    assert np.all(np.diff(ends) > 0)
    for end in ends:
        e = int(round(end * SAMPLE_RATE))
        np.testing.assert_array_equal(wave[e - len(clip) : e], clip)


def test_trigger_stream_is_seeded_and_holds_other_characters():
    a = trigger_stream(5.0, "7", np.random.default_rng(1), distractor_level=(-30, -20))
    b = trigger_stream(5.0, "7", np.random.default_rng(1), distractor_level=(-30, -20))
    c = trigger_stream(5.0, "7", np.random.default_rng(2), distractor_level=(-30, -20))
    assert a[0].tobytes() == b[0].tobytes() and np.array_equal(a[1], b[1])
    assert a[0].tobytes() != c[0].tobytes()
    counts = [len(trigger_stream(3.0, "7", seed, n_events=(0, 2))[1]) for seed in range(12)]
    assert set(counts) == {0, 1, 2}


def test_trigger_stream_keeps_its_quiet_end_free_of_speech():
    ends = [trigger_stream(2.0, "A", seed, n_events=(1, 2), others=(1, 2), quiet_end_s=0.5)[1] for seed in range(30)]
    assert max(end for e in ends for end in e) <= 1.5
    # without it, clips do reach the last half second
    late = [trigger_stream(2.0, "A", seed, n_events=(1, 2), others=(1, 2))[1] for seed in range(30)]
    assert max(end for e in late for end in e) > 1.5
    with pytest.raises(ValueError, match="quiet_end_s"):
        trigger_stream(2.0, "A", 0, quiet_end_s=2.0)
    with pytest.raises(ValueError, match="quiet samples"):
        trigger_stream(1.0, "A", 0, n_events=(1, 1), others=(0, 0), quiet_end_s=0.9)


def test_trigger_stream_bad_input():
    with pytest.raises(ValueError, match="too short"):
        trigger_stream(0.5, "A", 0, n_events=(3, 3))
    with pytest.raises(ValueError, match="trigger must be one character"):
        trigger_stream(3.0, "AB", 0)
    with pytest.raises(ValueError, match="n_events"):
        trigger_stream(3.0, "A", 0, n_events=(2, 1))
    with pytest.raises(ValueError, match="must not hold the trigger"):
        trigger_stream(3.0, "A", 0, other_chars="AB")
    with pytest.raises(ValueError, match="duration_s"):
        trigger_stream(-1, "A", 0)


def test_trigger_labels_mark_the_frames_after_each_end():
    # frame_step 80: 0.1 s is sample 800, where frame 10 starts; 0.1013 s is sample 810, so frame 11 is the first
    # to start after it (the windows overlap); 0.34 s is sample 2720 = frame 34, its window cut by the end
    labels = trigger_labels(36, 80, [0.1, 0.1013, 0.34], window_frames=4)
    assert labels.dtype == np.int8 and labels.shape == (36,)
    assert np.flatnonzero(labels).tolist() == [10, 11, 12, 13, 14, 34, 35]
    single = trigger_labels(36, 80, [0.1], window_frames=1)
    assert np.flatnonzero(single).tolist() == [10]
    assert not trigger_labels(36, 80, [], window_frames=5).any()


def test_trigger_labels_follow_a_stream():
    step = 128
    wave, ends = trigger_stream(6.0, "K", 4, n_events=(2, 2), noise_db=None)
    n_frames = 1 + (len(wave) - 256) // step
    labels = trigger_labels(n_frames, step, ends, window_frames=6)
    assert labels.sum() == 12
    starts = np.flatnonzero(np.diff(np.concatenate([[0], labels])) == 1)
    for first, end in zip(starts, ends):
        sample = round(end * SAMPLE_RATE)
        assert (first - 1) * step < sample <= first * step  # the first frame to start at or after the end


@pytest.mark.parametrize(
    "args, message",
    [
        ((0, 80, [0.1], 3), "n_frames"),
        ((10, 0, [0.1], 3), "frame_step"),
        ((10, 80, [0.1], 0), "window_frames"),
        ((10, 80, [-0.1], 3), r"trigger_ends\[0\]"),
        ((10, 80, [0.05, float("nan")], 3), r"trigger_ends\[1\]"),
        ((10, 80, [0.5], 3), "after the last of 10 frames"),
    ],
)
def test_trigger_labels_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        trigger_labels(*args)


# --------------------------------------------------------------------------------------------- frozen test sets

# SHA-256 of each frozen speech test set (texts + 16-bit samples, see dataset_digest). If one fails, the
# generator, the clips or NumPy's random stream changed: the lesson's results were measured on the old set.
DIGESTS = {
    "digits_in_distribution": "9738f3d8ea186d3bb6abd071343d4c22708919b7861f42ea26af80361ae55118",
    "digits_out_of_distribution": "945f8252560b7af8b6c24253212c13fd678ee08cf75e84e03e3d3326b1d72208",
}


@pytest.fixture(scope="module")
def frozen():
    load_clips()
    return {name: speech_test_set(name) for name in DIGESTS}


def test_the_description_file_lists_exactly_the_pinned_sets():
    described = json.loads(data.SPEECH_TEST_SETS.read_text(encoding="utf-8"))["test_sets"]
    assert set(described) == set(DIGESTS)
    inside, outside = described["digits_in_distribution"], described["digits_out_of_distribution"]
    assert inside["seed"] != outside["seed"]
    # out of distribution: faster and noisier than any in-distribution (training) setting
    assert outside["ranges"]["speed"][0] > inside["ranges"]["speed"][1]
    assert outside["ranges"]["noise_db"][0] > inside["ranges"]["noise_db"][1]


@pytest.mark.parametrize("name", sorted(DIGESTS))
def test_frozen_speech_sets_match_their_digests(name, frozen):
    examples = frozen[name]
    assert len(examples) == 300
    assert all(3 <= len(text) <= 6 and text.isdigit() for _, text in examples)
    digest = dataset_digest(examples)
    assert digest == DIGESTS[name], (
        f"speech test set {name!r} now has digest {digest}: the generator, the captcha clips or NumPy's random "
        "stream changed. The lesson's results were measured on the old set: find out why before updating DIGESTS."
    )


def test_frozen_sets_regenerate_byte_for_byte(frozen):
    again = speech_test_set("digits_out_of_distribution")
    first = frozen["digits_out_of_distribution"]
    assert [t for _, t in again] == [t for _, t in first]
    assert all(a.tobytes() == b.tobytes() for (a, _), (b, _) in zip(again, first))


def test_the_digest_sees_a_one_sample_change(frozen):
    examples = [(w.copy(), t) for w, t in frozen["digits_in_distribution"][:3]]
    before = dataset_digest(examples)
    examples[1][0][100] += 0.001
    assert dataset_digest(examples) != before
    assert dataset_digest([(examples[0][0], "1")]) != dataset_digest([(examples[0][0], "2")])


def test_frozen_description_errors(tmp_path):
    with pytest.raises(ValueError, match="unknown speech test set 'digits'"):
        speech_test_set("digits")
    with pytest.raises(FileNotFoundError):
        speech_test_set("digits_in_distribution", tmp_path / "none.json")
    spec = json.loads(data.SPEECH_TEST_SETS.read_text(encoding="utf-8"))
    spec["test_sets"]["digits_in_distribution"]["ranges"]["sped"] = [1, 1]
    path = tmp_path / "speech.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    with pytest.raises(ValueError, match="unknown ranges \\['sped'\\]"):
        speech_test_set("digits_in_distribution", path)


def test_the_description_is_documented_in_the_data_readme():
    readme = (data.SPEECH_TEST_SETS.parent / "README.md").read_text(encoding="utf-8")
    assert "`speech_test_sets.json`" in readme
    for name in DIGESTS:
        assert f"`{name}`" in readme
