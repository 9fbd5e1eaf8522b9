"""Seeded, offline data generators for every lesson, and leak-free splits.

Nothing here downloads anything: each data set is generated from a seed, so two runs
give the same data. One module per data set; import the public names from this package::

    from course_utils.data import addition_questions, phrasebook_split

Modules: ``addition`` (lesson 06), ``french_numbers`` (lessons 07, 09, 10), ``dates`` (lessons 08-10),
``signals`` (ECG-like beats, memory and padding tasks; lessons 01-02), ``sentence_pairs`` (splits by
key, real sentence-pair files) and ``phrasebook`` (an English -> French phrase book with every correct
translation).

Example:
    >>> from course_utils.data import addition_questions
    >>> addition_questions(1, digits=1, seed=0)[1][0].strip().isdigit()
    True
"""

from __future__ import annotations

from course_utils.data.addition import addition_questions
from course_utils.data.dates import (
    DATE_FORMATS,
    DATE_MAX,
    DATE_MIN,
    date_pairs,
    date_split,
    format_human_date,
    parse_human_date,
    random_dates,
)
from course_utils.data.french_numbers import (
    french_number_pairs,
    french_number_phrase,
    french_number_split,
    parse_french_number,
)
from course_utils.data.phrasebook import MAX_SOURCES, MAX_TOKENS, PhrasebookSplit, phrasebook_pairs, phrasebook_split
from course_utils.data.sentence_pairs import group_references, load_sentence_pairs, split_by_key, split_sentence_pairs
from course_utils.data.signals import ecg_rhythm_signals, last_token_task, long_memory_task
from course_utils.data.speech import (
    CAPTCHA_INSTALL,
    CHARACTERS,
    NOISE_COLORS,
    SAMPLE_RATE,
    SPEECH_TEST_SETS,
    dataset_digest,
    digit_string_dataset,
    load_clips,
    speech_test_set,
    trigger_labels,
    trigger_stream,
    utterance,
)
from course_utils.data.tweets import (
    LABELS,
    TWEETS_INSTALL,
    CleaningReport,
    RawTweet,
    Tweet,
    TweetData,
    clean_tweets,
    load_raw_tweets,
    load_tweets,
    tweet_key,
    tweet_split,
    tweets_path,
)

__all__ = [
    "addition_questions",
    "french_number_phrase",
    "parse_french_number",
    "french_number_pairs",
    "DATE_FORMATS",
    "DATE_MIN",
    "DATE_MAX",
    "random_dates",
    "format_human_date",
    "parse_human_date",
    "date_pairs",
    "ecg_rhythm_signals",
    "long_memory_task",
    "last_token_task",
    "split_by_key",
    "load_sentence_pairs",
    "group_references",
    "split_sentence_pairs",
    "french_number_split",
    "date_split",
    "MAX_TOKENS",
    "MAX_SOURCES",
    "PhrasebookSplit",
    "phrasebook_pairs",
    "phrasebook_split",
    "LABELS",
    "TWEETS_INSTALL",
    "RawTweet",
    "Tweet",
    "CleaningReport",
    "TweetData",
    "tweets_path",
    "load_raw_tweets",
    "clean_tweets",
    "tweet_split",
    "load_tweets",
    "tweet_key",
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
