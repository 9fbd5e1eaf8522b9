"""Lesson 10: beam search."""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure

from .common import FLOW, FONT, MUTED, NOTEBOOKS, ROLES, SMALL, arrow, box, canvas, label, legend, title


def _toy_model() -> tuple[np.ndarray, dict[str, int], list[str]]:
    """The toy next-token table of lesson 10, read from the notebook's own code (so the figure follows it)."""
    paths = sorted(NOTEBOOKS.glob("*beam_search*.ipynb"))
    if len(paths) != 1:
        raise RuntimeError(f"expected one beam-search notebook in {NOTEBOOKS}, found {[p.name for p in paths]}")
    wanted = {"next_token", "names", "END", "A", "B", "START"}
    for cell in json.loads(paths[0].read_text())["cells"]:
        if cell["cell_type"] != "code" or "next_token" not in "".join(cell["source"]):
            continue
        tree = ast.parse("".join(cell["source"]))
        assigns = [node for node in tree.body if isinstance(node, ast.Assign)
                   and {n.id for t in node.targets for n in ast.walk(t) if isinstance(n, ast.Name)} & wanted]
        namespace: dict = {"np": np}
        exec(compile(ast.Module(body=assigns, type_ignores=[]), paths[0].name, "exec"), namespace)  # noqa: S102
        if wanted <= namespace.keys():
            ids = {name: int(namespace[name]) for name in ("END", "A", "B", "START")}
            return np.asarray(namespace["next_token"], dtype=float), ids, list(namespace["names"])
    raise RuntimeError(f"{paths[0].name}: no code cell defines {sorted(wanted)}; update _toy_model")


@dataclass
class Node:
    tokens: tuple[int, ...]
    log_prob: float
    status: str  # "kept" (stays in the beam), "finished" (ended with <end>), "pruned"
    parent: tuple[int, ...]


def beam_levels(log_probs: np.ndarray, start: int, end: int, width: int, max_length: int) -> list[list[Node]]:
    """Every candidate beam search looks at, step by step, with its fate (the rule of course_utils.decoding)."""
    live: list[tuple[tuple[int, ...], float]] = [((), 0.0)]
    levels = []
    for step in range(max_length):
        candidates = [(tokens + (tok,), lp + log_probs[tokens[-1] if tokens else start, tok], tokens)
                      for tokens, lp in live for tok in range(log_probs.shape[1])]
        best = set(np.argsort(-np.array([c[1] for c in candidates]), kind="stable")[:width].tolist())
        level, live = [], []
        for k, (tokens, lp, parent) in enumerate(candidates):
            if k not in best:
                status = "pruned"
            elif tokens[-1] == end or step == max_length - 1:
                status = "finished"
            else:
                status = "kept"
                live.append((tokens, lp))
            level.append(Node(tokens, lp, status, parent))
        levels.append(level)
        if not live:
            break
    return levels


def beam_tree() -> Figure:
    """Lesson 10's toy example at beam width 2: kept, pruned and finished hypotheses, and greedy's path."""
    from course_utils.decoding import beam_search, greedy_decode

    WIDTH, MAX_LENGTH = 2, 3  # as in lesson 10, section 1
    log_probs, ids, names = _toy_model()
    levels = beam_levels(log_probs, ids["START"], ids["END"], WIDTH, MAX_LENGTH)

    def step_fn(tokens, state):
        return log_probs[tokens], state

    def words(tokens):
        return " ".join(names[t] for t in tokens)

    finished = sorted((n for level in levels for n in level if n.status == "finished"), key=lambda n: -n.log_prob)
    reference = beam_search(step_fn, np.zeros((1, 1)), ids["START"], ids["END"], WIDTH, MAX_LENGTH)
    if [list(n.tokens) for n in finished] != [h.tokens for h in reference]:
        raise RuntimeError("the drawn tree disagrees with course_utils.decoding.beam_search")
    greedy = tuple(int(t) for t in greedy_decode(step_fn, np.zeros((1, 1)), ids["START"], ids["END"], MAX_LENGTH)[0])
    log_prob = {n.tokens: n.log_prob for level in levels for n in level} | {(): 0.0}
    greedy_lp = sum(log_probs[a, b] for a, b in zip((ids["START"],) + greedy, greedy))

    fig, ax = canvas(11, 7.0)
    blue = ROLES["input"].edge
    level_x = [0.85, 2.55, 5.55]
    pos = {(): (level_x[0], 4.0)}
    first = np.linspace(6.0, 1.9, len(levels[0]))
    for node, y in zip(levels[0], first):
        pos[node.tokens] = (level_x[1], y)
    for depth, level in enumerate(levels[1:], start=2):
        kids: dict = {}
        for node in level:
            kids.setdefault(node.parent, []).append(node)
        for parent, group in kids.items():
            for k, node in enumerate(group):
                pos[node.tokens] = (level_x[depth], pos[parent][1] + ((len(group) - 1) / 2 - k) * 0.62)
    drawn = {(): box(ax, *pos[()], 1.0, 0.5, "<start>", "input", size=SMALL)}
    for level in levels:
        for node in level:
            x, y = pos[node.tokens]
            pruned = node.status == "pruned"
            role = {"kept": "state", "finished": "output", "pruned": "faded"}[node.status]
            b = box(ax, x + 0.9, y, 1.8, 0.46, f"{names[node.tokens[-1]]}   P = {np.exp(node.log_prob):.2f}", role,
                    size=SMALL, dashed=pruned, text_color="#777777" if pruned else "black",
                    lw=2.2 if node.status == "finished" else 1.4)
            drawn[node.tokens] = b
            parent = drawn[node.parent]
            arrow(ax, parent.right, b.left, color=ROLES["faded"].edge if pruned else FLOW, dashed=pruned, lw=1.3)
            if node.tokens == greedy[:len(node.tokens)]:
                ax.plot([parent.right[0], b.left[0]], [parent.right[1], b.left[1]], color=blue, lw=8, alpha=0.25,
                        zorder=1, solid_capstyle="round")
            step_p = np.exp(node.log_prob - log_prob[node.parent])
            mx, my = 0.35 * parent.right[0] + 0.65 * b.left[0], 0.35 * parent.right[1] + 0.65 * b.left[1]
            label(ax, mx, my, f"{step_p:.2f}", size=SMALL - 2, color=MUTED, zorder=7).set_bbox(
                dict(facecolor="white", edgecolor="none", pad=0.6))
    best = drawn[finished[0].tokens]
    label(ax, best.right[0] + 0.1, best.y, "★ best", size=SMALL, color=ROLES["output"].edge, ha="left")

    # what happened, written from the tree
    lines = []
    for depth, level in enumerate(levels, start=1):
        kept = sorted((n for n in level if n.status != "pruned"), key=lambda n: -n.log_prob)
        lines.append(f"step {depth}: {len(level)} candidates, keep {WIDTH}:\n" + "\n".join(
            f"   {words(n.tokens)}  ({np.exp(n.log_prob):.2f})" + ("  finished" if n.status == "finished" else "")
            for n in kept))
        for n in level:
            tie = [k for k in kept if n.status == "pruned" and abs(k.log_prob - n.log_prob) < 1e-12]
            if tie:
                lines.append(f"{words(n.tokens)} ties with {words(tie[0].tokens)}:\nthe candidate listed first stays")
    if not any(n.status == "kept" for n in levels[-1]):
        lines.append("no hypothesis left alive: stop")
    lines.append(f"best: {words(finished[0].tokens)}  (P = {np.exp(finished[0].log_prob):.2f})\n"
                 f"greedy: {words(greedy)}  (P = {np.exp(greedy_lp):.2f})")
    y = 6.1
    for text in lines:
        label(ax, 8.55, y, text, size=SMALL - 1, ha="left", va="top")
        y -= (text.count("\n") + 1) * 0.24 + 0.3
    title(ax, 0.25, 6.7, f"beam width {WIDTH} on lesson 10's toy model (P: probability of the whole sequence)",
          size=FONT)
    x = legend(ax, 0.25, 0.3, [("state", "kept in the beam"), ("output", "finished (<end>)"), ("faded", "pruned")])
    ax.plot([x, x + 0.42], [0.3, 0.3], color=blue, lw=8, alpha=0.25, solid_capstyle="round")
    label(ax, x + 0.55, 0.3, "greedy's path", size=SMALL, ha="left")
    return fig


FIGURES = {"beam_tree": beam_tree}
