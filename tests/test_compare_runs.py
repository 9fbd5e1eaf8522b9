"""scripts/compare_runs.py: lists the code cells whose printed text differs between two runs of a notebook."""

import importlib.util
import json
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location(
    "compare_runs", Path(__file__).parent.parent / "scripts" / "compare_runs.py"
)
compare_runs = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(compare_runs)


def _notebook(*outputs: str) -> dict:
    cells = [{"cell_type": "markdown", "source": ["# title"]}]
    for i, text in enumerate(outputs):
        cells.append({
            "cell_type": "code",
            "source": [f"print({i})"],
            "outputs": [{"output_type": "stream", "name": "stdout", "text": [text]}],
        })  # fmt: skip
    return {"cells": cells}


def test_identical_runs_have_no_differences():
    nb = _notebook("exact match 0.9980\n", "shape (5, 3)\n")
    assert compare_runs.differing_cells(nb, nb) == []


def test_a_changed_figure_is_reported_with_its_cell_number():
    a = _notebook("shape (5, 3)\n", "exact match 0.9980\n")
    b = _notebook("shape (5, 3)\n", "exact match 0.9976\n")
    [(number, first_line, text_a, text_b)] = compare_runs.differing_cells(a, b)
    assert number == 2 and first_line == "print(1)"
    assert "0.9980" in text_a and "0.9976" in text_b


def test_elapsed_times_are_masked_unless_kept():
    a = _notebook("235/235 - 13s - 55ms/step - loss: 0.5382\ntraining  9.8 s\n")
    b = _notebook("235/235 - 9s - 38ms/step - loss: 0.5382\ntraining 10.2 s\n")
    assert compare_runs.differing_cells(a, b) == []
    assert len(compare_runs.differing_cells(a, b, keep_times=True)) == 1
    c = _notebook("235/235 - 9s - 38ms/step - loss: 0.5383\ntraining 10.2 s\n")
    assert len(compare_runs.differing_cells(a, c)) == 1, "a loss that changed must still be reported"


def test_ignore_masks_extra_patterns():
    a, b = _notebook("took 0.25\n"), _notebook("took 0.31\n")
    assert len(compare_runs.differing_cells(a, b)) == 1
    assert compare_runs.differing_cells(a, b, ignore=(r"took [0-9.]+",)) == []


def test_figure_reprs_are_ignored_but_errors_are_not():
    figure = {"output_type": "display_data", "data": {"text/plain": ["<Figure size 700x400 with 1 Axes>"]}}
    error = {"output_type": "error", "ename": "AssertionError", "evalue": "below target", "traceback": []}
    a, b = _notebook("x\n"), _notebook("x\n")
    a["cells"][1]["outputs"].append(figure)
    b["cells"][1]["outputs"].append(dict(figure, data={"text/plain": ["<Figure size 900x400 with 2 Axes>"]}))
    assert compare_runs.differing_cells(a, b) == []
    b["cells"][1]["outputs"].append(error)
    assert len(compare_runs.differing_cells(a, b)) == 1


def test_different_notebooks_are_refused():
    a = _notebook("x\n")
    b = _notebook("x\n", "y\n")
    with pytest.raises(ValueError, match="same code cells"):
        compare_runs.differing_cells(a, b)


def test_main_exit_status(tmp_path, capsys):
    same, changed = tmp_path / "a.ipynb", tmp_path / "b.ipynb"
    same.write_text(json.dumps(_notebook("exact 0.998\n")))
    changed.write_text(json.dumps(_notebook("exact 0.994\n")))
    assert compare_runs.main([str(same), str(same)]) == 0
    assert compare_runs.main([str(same), str(changed)]) == 1
    out = capsys.readouterr().out
    assert "-exact 0.998" in out and "+exact 0.994" in out and "1 of 1 code cells" in out
