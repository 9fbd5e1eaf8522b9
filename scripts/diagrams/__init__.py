"""Draw the course's diagrams into images/ as SVG: `make images` (or `python scripts/make_images.py`).

Every figure is drawn from code with matplotlib patches, arrows and text, so the whole set can be regenerated
byte for byte (tests/test_images.py does this and compares). The visual language (one colour per role, shapes
written with the lessons' numbers, arrows for data flow) is described in CONTRIBUTING.md, "Diagrams".

    python scripts/make_images.py                 # all figures into images/
    python scripts/make_images.py --png /tmp/png  # also a PNG copy of each, to look at
    python scripts/make_images.py --only lstm_cell beam_tree

The package: ``common`` holds the colours, fonts, drawing helpers and the layout check; ``lessonNN`` holds the
figures of lesson NN, each one function returning a Figure, listed in that module's ``FIGURES``; this module
gathers them (in lesson order) and writes the files.

Layout is checked as the figures are drawn: no two labels may overlap, a label must fit inside its box,
and nothing may stick out of the figure. The script exits with an error listing any such problem.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from . import (
    lesson01, lesson02, lesson03, lesson04, lesson05, lesson06, lesson07, lesson08, lesson09, lesson10, lesson11,
    lesson12,
)
from .common import IMAGES, RC, SVG_METADATA, layout_problems

LESSONS = (lesson01, lesson02, lesson03, lesson04, lesson05, lesson06, lesson07, lesson08, lesson09, lesson10, lesson11,
           lesson12)
FIGURES: dict[str, Callable[[], Figure]] = {name: draw for lesson in LESSONS for name, draw in lesson.FIGURES.items()}


def build(out_dir: Path, names: Sequence[str] | None = None, png_dir: Path | None = None) -> dict[str, list[str]]:
    """Draw the figures into ``out_dir`` as NAME.svg; return the layout problems found, per figure."""
    out_dir.mkdir(parents=True, exist_ok=True)
    problems = {}
    for name in names or FIGURES:
        if name not in FIGURES:
            raise ValueError(f"unknown figure {name!r}; known: {', '.join(FIGURES)}")
        with plt.style.context("default"), matplotlib.rc_context(RC):
            fig = FIGURES[name]()
            for artist in fig.axes[0].get_children():
                artist.set_clip_on(False)  # nothing needs clipping; the SVG is smaller without clip paths
            problems[name] = layout_problems(fig)
            fig.savefig(out_dir / f"{name}.svg", format="svg", metadata=SVG_METADATA)
            if png_dir is not None:
                png_dir.mkdir(parents=True, exist_ok=True)
                fig.savefig(png_dir / f"{name}.png", format="png", dpi=110)
            plt.close(fig)
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=IMAGES, help="folder for the SVG files (default: images/)")
    parser.add_argument("--png", type=Path, default=None, help="also write a PNG copy of each figure here")
    parser.add_argument("--only", nargs="+", default=None, metavar="NAME", help="draw only these figures")
    args = parser.parse_args(argv)
    problems = build(args.out, args.only, args.png)
    bad = {name: p for name, p in problems.items() if p}
    for name, found in bad.items():
        for p in found:
            print(f"{name}: {p}", file=sys.stderr)
    print(f"{len(problems)} figures written to {args.out}" + (f", {len(bad)} with layout problems" if bad else ""))
    return 1 if bad else 0
