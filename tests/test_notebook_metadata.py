"""Stored notebooks carry no per-run timestamps, and the script that removes them keeps everything else."""

import copy
import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

_spec = importlib.util.spec_from_file_location("clean_notebook_metadata", ROOT / "scripts" / "clean_notebook_metadata.py")
clean = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(clean)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_cells_have_no_execution_timestamps(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    timed = [i for i, cell in enumerate(nb["cells"]) if set(cell.get("metadata", {})) & set(clean.PER_RUN_CELL_KEYS)]
    assert not timed, (
        f"cells {timed[:5]}... store execution timestamps: "
        f"run `python scripts/clean_notebook_metadata.py {path.relative_to(ROOT).as_posix()}`"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_outputs_have_no_split_streams(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    split = [i for i, cell in enumerate(nb["cells"]) if len(clean.join_streams(cell.get("outputs", []))) < len(cell.get("outputs", []))]
    assert not split, (
        f"cells {split[:5]}... store one printed output in several pieces: "
        f"run `python scripts/clean_notebook_metadata.py {path.relative_to(ROOT).as_posix()}`"
    )


def _executed_notebook():
    timing = {
        "iopub.execute_input": "2026-01-01T10:00:00.100000Z",
        "iopub.status.busy": "2026-01-01T10:00:00.000000Z",
        "iopub.status.idle": "2026-01-01T10:00:01.000000Z",
        "shell.execute_reply": "2026-01-01T10:00:00.900000Z",
    }
    return {
        "cells": [
            {"cell_type": "markdown", "id": "a1", "metadata": {}, "source": ["# Lesson — été"]},
            {
                "cell_type": "code",
                "execution_count": 1,
                "id": "b2",
                "metadata": {"execution": timing, "tags": ["keep-me"]},
                "outputs": [
                    {"name": "stdout", "output_type": "stream", "text": ["epoch 1\n", "epoch 2"]},
                    {"name": "stdout", "output_type": "stream", "text": [" done\n", "0.998\n"]},
                    {"name": "stderr", "output_type": "stream", "text": "a warning\n"},
                    {"output_type": "display_data", "data": {"text/plain": ["<Figure>"]}, "metadata": {}},
                    {"name": "stdout", "output_type": "stream", "text": ["after the figure\n"]},
                ],
                "source": ["print(0.998)"],
            },
            {
                "cell_type": "code",
                "execution_count": 2,
                "id": "c3",
                "metadata": {"ExecuteTime": {"end_time": "2026-01-01T10:00:02Z"}},
                "outputs": [],
                "source": ["x = 1"],
            },
        ],
        "metadata": {"language_info": {"name": "python", "version": "3.12.1"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def test_clean_removes_timings_and_keeps_the_rest():
    nb = _executed_notebook()
    expected = copy.deepcopy(nb)
    del expected["cells"][1]["metadata"]["execution"]
    del expected["cells"][2]["metadata"]["ExecuteTime"]
    # the two stdout pieces become one, the line cut between them made whole; stderr, the figure and
    # the print after the figure keep their places
    expected["cells"][1]["outputs"][0:2] = [
        {"name": "stdout", "output_type": "stream", "text": ["epoch 1\n", "epoch 2 done\n", "0.998\n"]}
    ]
    assert clean.clean_notebook(nb) == 2
    assert nb == expected
    assert clean.clean_notebook(nb) == 0


def test_clean_file_writes_jupyter_format_and_check_mode(tmp_path):
    path = tmp_path / "lesson.ipynb"
    path.write_text(clean.dumps_notebook(_executed_notebook()), encoding="utf-8")
    assert clean.main(["--check", str(path)]) == 1
    assert "execution" in path.read_text(encoding="utf-8"), "--check must not change the file"
    assert clean.main([str(path)]) == 0
    text = path.read_text(encoding="utf-8")
    assert "iopub" not in text and "ExecuteTime" not in text
    assert "été" in text and text.endswith("}\n") and '\n "cells": [' in text  # indent 1, UTF-8 kept
    assert clean.main(["--check", str(path)]) == 0
    before = path.stat().st_mtime_ns
    clean.main([str(path)])
    assert path.stat().st_mtime_ns == before, "a clean notebook is not rewritten"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_script_writes_stored_notebooks_in_their_own_format(path):
    text = path.read_text(encoding="utf-8")
    assert clean.dumps_notebook(json.loads(text)) == text, f"cleaning {path.name} would also reformat it"


def test_clean_rejects_what_is_not_a_notebook():
    with pytest.raises(ValueError, match="not a notebook"):
        clean.clean_notebook({"worksheets": []})


def _with_widget(nb):
    """Add what nbconvert stores for a displayed widget: a widget-view output and the widget state in metadata."""
    nb["cells"][1]["outputs"].append({
        "output_type": "display_data", "metadata": {},
        "data": {"application/vnd.jupyter.widget-view+json": {"model_id": "m1", "version_major": 2, "version_minor": 0},
                 "text/plain": "VBox(children=(Text(value='14 juillet 1989'), Output()))"},
    })  # fmt: skip
    nb["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {
        "state": {"m1": {"model_name": "VBoxModel", "state": {"children": []}}}, "version_major": 2, "version_minor": 0,
    }}  # fmt: skip
    return nb


def test_clean_keeps_widget_state_and_widget_outputs():
    nb = _with_widget(_executed_notebook())
    state, view = copy.deepcopy(nb["metadata"]["widgets"]), copy.deepcopy(nb["cells"][1]["outputs"][-1])
    clean.clean_notebook(nb)
    assert nb["metadata"]["widgets"] == state
    view["data"]["text/plain"] = clean.WIDGET_FALLBACK  # only the text fallback changes
    assert nb["cells"][1]["outputs"][-1] == view
    assert "execution" not in nb["cells"][1]["metadata"]


def test_widget_fallback_becomes_a_sentence_and_nothing_else_changes():
    nb = _with_widget(_executed_notebook())
    nb["cells"][2]["outputs"] = [{  # a widget stored by JupyterLab: text as a list of lines, and another representation
        "output_type": "display_data", "metadata": {"isolated": True},
        "data": {"application/vnd.jupyter.widget-view+json": {"model_id": "m2", "version_major": 2, "version_minor": 0},
                 "text/html": ["<b>box</b>"], "text/plain": ["VBox(children=(Text(value='my young sister'), Output()))"]},
    }]  # fmt: skip
    del nb["cells"][1]["metadata"]["execution"], nb["cells"][2]["metadata"]["ExecuteTime"]
    nb["cells"][1]["outputs"] = clean.join_streams(nb["cells"][1]["outputs"])
    expected = copy.deepcopy(nb)
    expected["cells"][1]["outputs"][-1]["data"]["text/plain"] = clean.WIDGET_FALLBACK
    expected["cells"][2]["outputs"][0]["data"]["text/plain"] = [clean.WIDGET_FALLBACK]
    assert clean.clean_notebook(nb) == 2, "two cells had a widget repr as their fallback"
    assert nb == expected  # the figure, the streams, the widget view, text/html and the output metadata are kept
    assert clean.clean_notebook(nb) == 0, "a rewritten fallback is left alone"
    assert clean.WIDGET_FALLBACK.startswith("Live demo") and clean.WIDGET_FALLBACK.endswith(".")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_widget_fallbacks_read_as_a_sentence(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    fallbacks = [clean._text(o["data"].get("text/plain", "")) for c in nb["cells"] for o in c.get("outputs", [])
                 if clean.WIDGET_VIEW in o.get("data", {})]  # fmt: skip
    assert all(text == clean.WIDGET_FALLBACK for text in fallbacks), (
        f"widget outputs show {fallbacks[:1]} to viewers without widgets: "
        f"run `python scripts/clean_notebook_metadata.py {path.relative_to(ROOT).as_posix()}`"
    )


def test_make_execute_stores_widget_state():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    rule = makefile.split("\nexecute:", 1)[1].split("\n\n", 1)[0]
    assert "nbconvert" in rule and "--ExecutePreprocessor.store_widget_state=True" in rule
    assert "clean_notebook_metadata.py" in rule


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if WIDGET_VIEW in p.read_text(encoding="utf-8")],
                         ids=lambda p: p.name)
def test_stored_widgets_have_their_state(path):
    """A stored widget view draws only if the notebook also stores the state of the widget it names."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    state = nb["metadata"].get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    views = [o["data"][WIDGET_VIEW]["model_id"] for c in nb["cells"] for o in c.get("outputs", []) if WIDGET_VIEW in o.get("data", {})]
    assert views and all(v in state for v in views), f"{path.name}: widget outputs without stored widget state"
    # an Output widget inside a displayed box holds what it drew when the notebook ran
    drawn = [m for m in state.values() if m.get("model_name") == "OutputModel" and m["state"].get("outputs")]
    assert len(drawn) >= len(views), f"{path.name}: an Output widget stored nothing: was it drawn when the cell ran?"
