"""Compare the printed text of two executions of the same notebook, cell by cell.

Training is meant to be reproducible run to run on one machine: execute a notebook twice and
this script lists every code cell whose text output differs (stdout, and the ``text/plain`` of
results). Images are ignored; lines that report elapsed time are masked, since wall-clock time
varies from run to run by nature.

Usage::

    python scripts/compare_runs.py A.ipynb B.ipynb            # exit status 1 if any cell differs
    python scripts/compare_runs.py A.ipynb B.ipynb --keep-times  # compare timing figures too
    python scripts/compare_runs.py A.ipynb B.ipynb --ignore 'took [0-9.]+'  # mask more text (a regex)

Example (two executions of lesson 07 into a scratch folder)::

    jupyter nbconvert --to notebook --execute notebooks/07_translation.ipynb --output-dir /tmp/runs --output a
    jupyter nbconvert --to notebook --execute notebooks/07_translation.ipynb --output-dir /tmp/runs --output b
    python scripts/compare_runs.py /tmp/runs/a.ipynb /tmp/runs/b.ipynb
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from pathlib import Path

# Wall-clock figures: "13s", "55ms/step", "31 s", "1.28 s", "7.4s" (a number followed by a time unit), with the
# spaces before them, which shift when a right-aligned time gains a digit.
_TIME = re.compile(r" *\b\d+(?:\.\d+)?\s?(?:ms|s|min)\b(?:/step)?")


def cell_text(cell: dict, keep_times: bool = False, ignore: tuple[str, ...] = ()) -> str:
    """The text a code cell printed: stream outputs and the plain-text form of results, images left out.

    Elapsed times are replaced by ``<time>`` unless ``keep_times``; every match of a regex in ``ignore`` by ``<...>``.
    """
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append("".join(out["text"]))
        elif out.get("output_type") in ("execute_result", "display_data"):
            text = out.get("data", {}).get("text/plain")
            if text is not None:
                text = "".join(text)
                if not text.startswith("<Figure size"):  # a figure's repr says nothing about the numbers
                    parts.append(text)
        elif out.get("output_type") == "error":
            parts.append(f"ERROR {out.get('ename')}: {out.get('evalue')}")
    text = "".join(parts)
    for pattern in ignore:
        text = re.sub(pattern, "<...>", text)
    return text if keep_times else _TIME.sub(" <time>", text)


def differing_cells(
    a: dict, b: dict, keep_times: bool = False, ignore: tuple[str, ...] = ()
) -> list[tuple[int, str, str, str]]:
    """(code cell number from 1, first source line, text in A, text in B) for every code cell whose text differs."""
    code_a = [c for c in a["cells"] if c["cell_type"] == "code"]
    code_b = [c for c in b["cells"] if c["cell_type"] == "code"]
    if [c["source"] for c in code_a] != [c["source"] for c in code_b]:
        raise ValueError("the two notebooks do not have the same code cells: compare two runs of one notebook")
    out = []
    for i, (ca, cb) in enumerate(zip(code_a, code_b), start=1):
        ta, tb = cell_text(ca, keep_times, ignore), cell_text(cb, keep_times, ignore)
        if ta != tb:
            first = "".join(ca["source"]).strip().splitlines()[0] if "".join(ca["source"]).strip() else ""
            out.append((i, first, ta, tb))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", type=Path)
    parser.add_argument("b", type=Path)
    parser.add_argument("--keep-times", action="store_true", help="do not mask elapsed-time figures")
    parser.add_argument("--ignore", action="append", default=[], metavar="REGEX", help="also mask this text")
    args = parser.parse_args(argv)
    a, b = (json.loads(p.read_text()) for p in (args.a, args.b))
    try:
        diffs = differing_cells(a, b, args.keep_times, tuple(args.ignore))
    except ValueError as error:
        print(f"compare_runs: {error}", file=sys.stderr)
        return 2
    n_code = sum(c["cell_type"] == "code" for c in a["cells"])
    for i, first, ta, tb in diffs:
        print(f"--- code cell {i}: {first}")
        lines = difflib.unified_diff(ta.splitlines(), tb.splitlines(), str(args.a), str(args.b), lineterm="", n=0)
        for line in list(lines)[2:]:
            if not line.startswith("@@"):
                print("  " + line)
    print(f"{len(diffs)} of {n_code} code cells print different text" + ("" if args.keep_times else " (times masked)"))
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
