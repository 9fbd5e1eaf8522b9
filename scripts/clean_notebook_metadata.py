"""Remove what changes from run to run in stored notebooks (timestamps, split streams), keeping their outputs.

`jupyter nbconvert --execute` records in every code cell when it was queued, started and finished
(`metadata.execution`); the JupyterLab extension jupyterlab-execute-time stores the same under
`metadata.ExecuteTime`. Both change on every run, so a notebook re-executed without any real change,
or saved once in JupyterLab (which drops them), shows a diff in every code cell. This script deletes
them. It also joins consecutive pieces of the same output stream (stdout or stderr) of a cell into
one: how the kernel happens to batch a cell's prints into messages differs from run to run, while the
text is the same (nbval joins them too before comparing). The plain-text fallback of a displayed
widget, a repr such as `VBox(children=(Text(value='14 juillet 1989', ...`, becomes a sentence that
viewers which do not render widgets (a code host, a plain HTML export, an untrusted notebook) show
instead: WIDGET_FALLBACK. Everything else stays as it was: sources, output text and images, execution
counts, cell ids, and the notebook's metadata. Widget state (`metadata.widgets`) is kept: it draws
stored widget outputs.

Usage:
    python scripts/clean_notebook_metadata.py notebooks/*.ipynb          # clean in place
    python scripts/clean_notebook_metadata.py --check notebooks/*.ipynb  # exit 1 if any needs cleaning

Only the standard library is needed. The file is written the way Jupyter writes notebooks
(JSON, indent 1, sorted keys, non-ASCII kept, final newline), so nothing else in it moves.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

#: Cell metadata keys that hold per-run timings.
PER_RUN_CELL_KEYS: tuple[str, ...] = ("execution", "ExecuteTime")
#: The output of a displayed widget, drawn from the widget state by viewers that render widgets.
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: What the other viewers show in its place (its `text/plain`).
WIDGET_FALLBACK = "Live demo: run the cells above in JupyterLab to use this widget."


def _text(value: str | list[str]) -> str:
    return value if isinstance(value, str) else "".join(value)


def join_streams(outputs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Join each run of consecutive stream outputs with the same name into one output."""
    joined: list[dict[str, Any]] = []
    for output in outputs:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and output.get("output_type") == "stream"
            and previous.get("output_type") == "stream"
            and output.get("name") == previous.get("name")
        ):
            previous["text"] = (_text(previous["text"]) + _text(output["text"])).splitlines(keepends=True)
        else:
            joined.append(output)
    return joined


def rewrite_widget_fallbacks(outputs: list[dict[str, Any]]) -> int:
    """Set the ``text/plain`` of every widget-view output to WIDGET_FALLBACK (in place); return how many changed.

    Only that entry changes: the widget-view data, any other representation and the output's metadata stay.
    """
    changed = 0
    for output in outputs:
        data = output.get("data", {})
        if WIDGET_VIEW in data and _text(data.get("text/plain", "")) != WIDGET_FALLBACK:
            data["text/plain"] = [WIDGET_FALLBACK] if isinstance(data.get("text/plain", []), list) else WIDGET_FALLBACK
            changed += 1
    return changed


def clean_notebook(nb: dict[str, Any]) -> int:
    """Delete per-run timing metadata, join split streams and rewrite widget fallbacks in ``nb`` (in place);
    return how many cells changed."""
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise ValueError("not a notebook: no 'cells' list at the top level")
    changed = 0
    for cell in nb["cells"]:
        metadata = cell.get("metadata", {})
        found = [key for key in PER_RUN_CELL_KEYS if key in metadata]
        for key in found:
            del metadata[key]
        outputs = cell.get("outputs")
        split = rewritten = False
        if outputs:
            joined = join_streams(outputs)
            split = len(joined) < len(outputs)
            cell["outputs"] = joined
            rewritten = rewrite_widget_fallbacks(joined) > 0
        changed += bool(found) or split or rewritten
    return changed


def dumps_notebook(nb: dict[str, Any]) -> str:
    """Serialise ``nb`` as nbformat and JupyterLab do."""
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False, separators=(",", ": ")) + "\n"


def clean_file(path: Path, *, check: bool = False) -> int:
    """Clean one notebook file (unless ``check``); return how many cells needed cleaning."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    changed = clean_notebook(nb)
    if changed and not check:
        with path.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(dumps_notebook(nb))
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path, help="notebook files to clean")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a notebook needs cleaning")
    args = parser.parse_args(argv)
    dirty = 0
    for path in args.notebooks:
        changed = clean_file(path, check=args.check)
        if changed:
            dirty += 1
            verb = "needs cleaning in" if args.check else "cleaned"
            print(f"{path}: {verb} {changed} cells (execution timestamps, split output streams, widget fallbacks)")
    return 1 if args.check and dirty else 0


if __name__ == "__main__":
    sys.exit(main())
