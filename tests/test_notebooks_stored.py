"""Stored notebooks must show a clean top-to-bottom run, and follow the course layout."""

import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_outputs_come_from_a_clean_run(path):
    nb = json.loads(path.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]
    counts = [c.get("execution_count") for c in code]
    assert counts == list(range(1, len(code) + 1)), f"execution counts {counts}: run `make execute NB={path.as_posix()}`"
    errors = [o for c in code for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, f"stored error outputs: {[e.get('ename') for e in errors]}"
    stderr = [o for c in code for o in c.get("outputs", []) if o.get("name") == "stderr"]
    assert not stderr, f"stored stderr output: {''.join(stderr[0]['text'])[:300]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_layout(path):
    nb = json.loads(path.read_text())
    cells = nb["cells"]
    first_md = "".join(cells[0]["source"])
    assert first_md.startswith("# "), "the first cell is the title"
    assert "What you will learn" in first_md and "Time to run" in first_md
    first_code = next(c for c in cells if c["cell_type"] == "code")
    assert "setup_course(" in "".join(first_code["source"]), "the first code cell calls setup_course"
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert "## Recap" in text and "## Exercises" in text
    sources = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert "verbose=1" not in sources and 'verbose="auto"' not in sources
    assert "from tensorflow import keras" not in sources and "tf.keras" not in sources
    assert "CHECK_OUTPUT" in sources, "mark deterministic cells with # NBVAL_CHECK_OUTPUT"
