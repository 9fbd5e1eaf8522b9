"""The public names of ``course_utils.data`` (a package with one module per data set)."""

import importlib
import types
from pathlib import Path

import course_utils.data as data

# Every name the lessons, tests and benchmarks import from course_utils.data.
EXPECTED = {
    "addition_questions",
    "french_number_phrase", "parse_french_number", "french_number_pairs", "french_number_split",
    "DATE_FORMATS", "DATE_MIN", "DATE_MAX", "random_dates", "format_human_date", "parse_human_date",
    "date_pairs", "date_split",
    "ecg_rhythm_signals", "long_memory_task", "last_token_task",
    "split_by_key", "load_sentence_pairs", "group_references", "split_sentence_pairs",
    "MAX_TOKENS", "MAX_SOURCES", "PhrasebookSplit", "phrasebook_pairs", "phrasebook_split",
    "LABELS", "TWEETS_INSTALL", "RawTweet", "Tweet", "CleaningReport", "TweetData",
    "tweets_path", "load_raw_tweets", "clean_tweets", "tweet_split", "load_tweets", "tweet_key",
    "SAMPLE_RATE", "CHARACTERS", "CAPTCHA_INSTALL", "NOISE_COLORS", "SPEECH_TEST_SETS",
    "load_clips", "utterance", "digit_string_dataset", "trigger_stream", "trigger_labels",
    "speech_test_set", "dataset_digest",
}  # fmt: skip

SUBMODULES = {
    "addition", "french_numbers", "dates", "signals", "sentence_pairs", "phrasebook", "tweets", "speech", "_common",
}  # fmt: skip


def test_all_lists_exactly_the_public_names():
    assert len(data.__all__) == len(set(data.__all__)), "a name is listed twice in __all__"
    assert set(data.__all__) == EXPECTED


def test_every_listed_name_is_importable():
    namespace: dict = {}
    exec("from course_utils.data import *", namespace)
    missing = EXPECTED - set(namespace)
    assert not missing, f"`from course_utils.data import *` does not give {sorted(missing)}"
    for name in EXPECTED:
        assert getattr(data, name) is namespace[name]


def test_no_public_name_left_out_of_all():
    public = {
        name
        for name, value in vars(data).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType) and name != "annotations"
    }
    assert public - set(data.__all__) == set(), "public names missing from __all__"


def test_each_name_comes_from_its_data_set_module():
    for module_name in SUBMODULES - {"_common"}:
        module = importlib.import_module(f"course_utils.data.{module_name}")
        for name in module.__all__:
            assert getattr(data, name) is getattr(module, name), f"{module_name}.{name} is not re-exported"


def test_the_old_phrasebook_module_is_gone():
    # no compatibility module: the phrase book is imported from course_utils.data only
    package_dir = Path(data.__file__).resolve().parent.parent
    assert not (package_dir / "phrasebook.py").exists()
    assert not (package_dir / "data.py").exists(), "a data.py next to the data/ package would be shadowed"
