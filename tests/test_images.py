"""The diagrams in images/ are exactly what scripts/make_images.py draws (with the package scripts/diagrams/), and
every image a notebook shows exists."""

import importlib.util
import json
import re
import sys
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pytest

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "images"
PACKAGE = ROOT / "scripts" / "diagrams"  # what scripts/make_images.py runs
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# markdown images ![alt](path "title") and HTML <img ... src="path">
MARKDOWN_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<path>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
HTML_IMAGE = re.compile(r"<img\b[^>]*\bsrc=[\"'](?P<path>[^\"']+)[\"'][^>]*>", re.IGNORECASE)


def load_diagrams():
    """The scripts/diagrams package (scripts/ is not on sys.path here, so it is loaded from its folder)."""
    if "diagrams" in sys.modules:
        return sys.modules["diagrams"]
    spec = importlib.util.spec_from_file_location("diagrams", PACKAGE / "__init__.py",
                                                  submodule_search_locations=[str(PACKAGE)])
    module = importlib.util.module_from_spec(spec)
    sys.modules["diagrams"] = module  # its lesson modules import .common through it; dataclasses look it up too
    spec.loader.exec_module(module)
    return module


def pinned_version(package: str) -> str:
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if line.strip().startswith(f"{package}=="):
            return line.split("==", 1)[1].split("#")[0].strip()
    raise AssertionError(f"{package} is not pinned in requirements.txt")


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    diagrams = load_diagrams()
    out = tmp_path_factory.mktemp("images")
    problems = diagrams.build(out)
    return out, problems


def test_committed_images_are_the_drawn_ones(regenerated):
    if matplotlib.__version__ != pinned_version("matplotlib"):
        pytest.skip(f"the SVG bytes depend on matplotlib: {matplotlib.__version__} here, "
                    f"{pinned_version('matplotlib')} pinned")
    out, _ = regenerated
    drawn = {p.name for p in out.glob("*.svg")}
    committed = {p.name for p in IMAGES.glob("*.svg")}
    assert not drawn - committed, f"missing from images/: {sorted(drawn - committed)}; run `make images`"
    assert not committed - drawn, f"no figure function draws {sorted(committed - drawn)}: delete them or add one"
    stale = [name for name in sorted(drawn) if (out / name).read_bytes() != (IMAGES / name).read_bytes()]
    assert not stale, f"out of date (differ from what the script draws): {stale}; run `make images`"


def test_figures_have_no_layout_problems(regenerated):
    _, problems = regenerated
    found = [f"{name}: {p}" for name, found in problems.items() for p in found]
    assert not found, "\n".join(found)


def test_layout_check_finds_overlaps_and_overflowing_labels():
    common = load_diagrams().common
    with matplotlib.rc_context(common.RC):
        fig, ax = common.canvas(4, 2)
        common.label(ax, 1.0, 1.0, "one label")
        common.label(ax, 1.1, 1.0, "another label")
        common.box(ax, 3.0, 1.0, 0.3, 0.3, "far too long for this box")
        common.label(ax, 3.9, 0.2, "off the edge", ha="left")
        problems = common.layout_problems(fig)
        plt.close(fig)
    assert any("overlap" in p and "one label" in p for p in problems), problems
    assert any("does not fit inside its box" in p for p in problems), problems
    assert any("sticks out of the figure" in p for p in problems), problems


def image_references(path: Path) -> list[tuple[str, str]]:
    """(alt text, path) of every image a notebook's markdown cells show; alt is None for HTML <img>."""
    refs = []
    for cell in json.loads(path.read_text())["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"])
        refs += [(m["alt"], m["path"]) for m in MARKDOWN_IMAGE.finditer(text)]
        refs += [(None, m["path"]) for m in HTML_IMAGE.finditer(text)]
    return refs


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_images_exist(path):
    for alt, target in image_references(path):
        if "images/" not in target or target.startswith(("http:", "https:", "data:", "attachment:")):
            continue
        resolved = (path.parent / target).resolve()
        assert resolved.is_file(), f"{path.name} shows {target}, which does not exist ({resolved})"
        assert resolved.parent == IMAGES, f"{path.name}: {target} is not in the top-level images/ folder"
        assert alt is None or alt.strip(), f"{path.name}: {target} has no alt text"


def test_image_reference_pattern_finds_links():
    text = 'See ![an unrolled RNN](../images/rnn_unrolled.svg) and <img src="../images/x.svg" alt="x">.'
    assert [m["path"] for m in MARKDOWN_IMAGE.finditer(text)] == ["../images/rnn_unrolled.svg"]
    assert [m["path"] for m in HTML_IMAGE.finditer(text)] == ["../images/x.svg"]
