"""The frozen test sets in data/: still what the generators give, and read back safely."""

from pathlib import Path

import pytest

from course_utils import data
from course_utils.frozen import DATA_DIR, TEST_SETS, generate_test_set, load_test_set, write_test_sets

NAMES = sorted(TEST_SETS)


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("frozen")
    write_test_sets(folder)
    return folder


@pytest.mark.parametrize("name", NAMES)
def test_stored_file_matches_its_generator_byte_for_byte(name, regenerated):
    file_name = TEST_SETS[name].file_name
    stored = (DATA_DIR / file_name).read_bytes()
    fresh = (regenerated / file_name).read_bytes()
    if stored != fresh:
        old, new = stored.decode("utf-8").split("\n"), fresh.decode("utf-8").split("\n")
        line = next((i for i, (a, b) in enumerate(zip(old, new), start=1) if a != b), min(len(old), len(new)))
        pytest.fail(
            f"data/{file_name} differs from what its generator gives now (first at line {line}: "
            f"stored {old[line - 1] if line <= len(old) else None!r}, "
            f"generated {new[line - 1] if line <= len(new) else None!r}). "
            "The lessons' results were measured on the stored test set: find out what changed "
            "before running `make data`."
        )


@pytest.mark.parametrize("name", NAMES)
def test_round_trip_gives_the_generated_strings(name, regenerated):
    assert load_test_set(name, regenerated) == generate_test_set(name)


# Data written by hand for a lesson (not generated): described in data/README.md like the frozen sets.
WRITTEN_BY_HAND = {"analogy_pairs.tsv"}


def test_every_data_file_is_documented():
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    stored = sorted(p.name for p in DATA_DIR.glob("*.tsv"))
    generated = sorted(spec.file_name for spec in TEST_SETS.values())
    assert sorted(set(stored) - WRITTEN_BY_HAND) == generated, "data/ holds a TSV file with no generator"
    for name in stored:
        assert f"`{name}`" in readme, f"data/README.md does not describe {name}"


def test_test_sets_are_what_the_lessons_hold_out():
    # padding kept: the lesson compares these strings with its own
    questions, answers = load_test_set("addition")
    assert {len(q) for q in questions} == {7} and {len(a) for a in answers} == {4}
    assert all(int(a) == sum(map(int, q.split("+"))) for q, a in zip(questions, answers))
    all_questions, _ = data.addition_questions(50_000, digits=3, seed=0)
    small = lambda qs: sum(min(int(x) for x in q.split("+")) < 10 for q in qs) / len(qs)  # noqa: E731
    test_set = set(questions)
    train = [q for q in all_questions if q not in test_set]
    # shuffled before the split: small operands are as common in the test set as in training (they were not at the
    # generator's end, where the small pairs had run out)
    assert abs(small(questions) - small(train)) < 0.02
    assert small(all_questions[-5_000:]) < small(all_questions[:-5_000]) - 0.1
    phrases, digits = load_test_set("french_numbers")
    assert [data.parse_french_number(p) for p in phrases] == [int(d) for d in digits]
    train_numbers, _ = data.french_number_split()
    assert not set(int(d) for d in digits) & set(train_numbers.tolist())
    human, iso = load_test_set("dates")
    assert [data.parse_human_date(h).isoformat() for h in human] == iso
    train_dates, _ = data.date_split()
    assert not {d.isoformat() for d in train_dates} & set(iso)


# -------------------------------------------------------------------------------------------------
# bad input
# -------------------------------------------------------------------------------------------------


def _write(folder: Path, name: str, text: str) -> None:
    (folder / TEST_SETS[name].file_name).write_bytes(text.encode("utf-8"))


def _valid_text(name: str, rows: list[tuple[str, str]] | None = None) -> str:
    spec = TEST_SETS[name]
    if rows is None:
        rows = list(zip(*generate_test_set(name)))
    return "\n".join(["\t".join(spec.columns)] + [f"{s}\t{t}" for s, t in rows]) + "\n"


def test_unknown_name_and_wrong_type():
    with pytest.raises(ValueError, match="unknown test set 'adition'"):
        load_test_set("adition")
    with pytest.raises(TypeError, match="name must be a str"):
        load_test_set(3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown test set"):
        generate_test_set("numbers")


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="make data"):
        load_test_set("dates", tmp_path)


def test_write_into_a_file_is_refused(tmp_path):
    file = tmp_path / "not_a_folder"
    file.write_text("x", encoding="utf-8")
    with pytest.raises(ValueError, match="is a file"):
        write_test_sets(file)


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "empty file"),
        ("source\ttarget\n2+2    \t4   \n", "header 'question\\\\tanswer'"),
        ("\ufeffquestion\tanswer\n", "header"),
        ("question\tanswer\n2+2    4   \n", "line 2: expected"),
        ("question\tanswer\n2+2    \t4   \textra\n", "line 2: expected"),
        ("question\tanswer\n\t4   \n", "line 2: expected"),
        ("question\tanswer\n2+2    \t4   \n\n", "line 3: expected"),
    ],
)
def test_malformed_file(tmp_path, text, message):
    _write(tmp_path, "addition", text)
    with pytest.raises(ValueError, match=message):
        load_test_set("addition", tmp_path)


def test_truncated_file_is_caught(tmp_path):
    rows = list(zip(*generate_test_set("dates")))
    _write(tmp_path, "dates", _valid_text("dates", rows[:-1]))
    with pytest.raises(ValueError, match="2499 rows, expected 2500"):
        load_test_set("dates", tmp_path)


def test_windows_line_ends_read_the_same(tmp_path):
    _write(tmp_path, "dates", _valid_text("dates").replace("\n", "\r\n"))
    assert load_test_set("dates", tmp_path) == generate_test_set("dates")


def test_padding_spaces_are_kept(tmp_path):
    # an editor that strips trailing spaces changes the answers: the loader must not hide it
    text = _valid_text("addition")
    _write(tmp_path, "addition", text)
    questions, answers = load_test_set("addition", tmp_path)
    assert answers == generate_test_set("addition")[1]
    stripped = "\n".join(line.rstrip(" ") for line in text.split("\n"))
    _write(tmp_path, "addition", stripped)
    assert load_test_set("addition", tmp_path)[1] != answers
