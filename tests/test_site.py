"""The course website (`make site`) builds from the stored notebooks and works offline.

The site is built once into a temporary folder. Every page is then checked for what would break it for a
reader without a network, or opening it from disk: a stylesheet, script, image or font from the network, a
local link or image that leads nowhere, a lesson without its page, and math that MathJax will not typeset.
The checks are plain functions, each also tried on a small page that breaks it.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup, NavigableString

ROOT = Path(__file__).parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

_spec = importlib.util.spec_from_file_location("build_site", ROOT / "scripts" / "build_site.py")
build_site = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = build_site  # its dataclass looks its module up there
_spec.loader.exec_module(build_site)

NETWORK = re.compile(r"^\s*(?:https?:)?//", re.IGNORECASE)  # http://, https:// and protocol-relative //host
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)|@import\s+['"]([^'"]+)""", re.IGNORECASE)
#: Elements whose text MathJax (tex2jax) leaves alone: `$` inside them is not math.
NOT_TYPESET = {"script", "style", "pre", "code", "textarea", "noscript"}
#: One unescaped dollar sign (a `$$` pair is one display-math delimiter).
DOLLAR = re.compile(r"(?<!\\)(\$\$|\$)")


def parse(page: str) -> BeautifulSoup:
    return BeautifulSoup(page, "html.parser")


def network_references(soup: BeautifulSoup) -> list[str]:
    """Resources the page would fetch from the network: src of any element, href of a <link>, CSS url()/@import,
    an address inside an inline script."""
    found = [f"<{tag.name} src={tag['src']}>" for tag in soup.find_all(src=True) if NETWORK.match(str(tag["src"]))]
    found += [f"<link href={tag['href']}>" for tag in soup.find_all("link", href=True) if NETWORK.match(str(tag["href"]))]
    css = [tag.get_text() for tag in soup.find_all("style")] + [str(tag["style"]) for tag in soup.find_all(style=True)]
    found += css_network_references("\n".join(css))
    for script in soup.find_all("script", src=False):
        found += [f"<script> loads {m}" for m in re.findall(r"https?://[^\s'\"]+", script.get_text())]
    return found


def css_network_references(css: str) -> list[str]:
    """``url(...)`` and ``@import`` targets of a stylesheet that are on the network."""
    return [f"css {a or b}" for a, b in CSS_URL.findall(css) if NETWORK.match(a or b)]


def anchors(soup: BeautifulSoup) -> set[str]:
    """The ids (and <a name>s) a link can point into."""
    return {str(tag["id"]) for tag in soup.find_all(id=True)} | {str(a["name"]) for a in soup.find_all("a", attrs={"name": True})}


def broken_local_references(page: Path, soup: BeautifulSoup, site: Path, ids: dict[Path, set[str]]) -> list[str]:
    """Links, images, stylesheets and scripts of ``page`` (parsed: ``soup``) that point to a file missing from ``site``,
    outside it, or to an anchor that the target page does not have (``ids``: the anchors of each page, read from the
    file when missing). Addresses on the web in <a href> (plain links) are not resources."""
    references = [str(tag["href"]) for tag in soup.find_all(["a", "link", "area"], href=True)]
    references += [str(tag["src"]) for tag in soup.find_all(src=True)]
    broken = []
    for ref in references:
        parts = urlsplit(ref)
        if parts.scheme in {"http", "https", "mailto", "data"} or ref.startswith("//"):
            continue  # network sources are reported by network_references; data: URIs are inside the page
        if parts.scheme:
            broken.append(f"{ref} (a {parts.scheme}: address)")
            continue
        target = (page.parent / unquote(parts.path)).resolve() if parts.path else page.resolve()
        if not target.is_relative_to(site.resolve()):
            broken.append(f"{ref} (outside the site)")
        elif not target.is_file():
            broken.append(f"{ref} (no such file)")
        elif parts.fragment and target.suffix == ".html":
            if target not in ids:
                ids[target] = anchors(parse(target.read_text(encoding="utf-8")))
            if parts.fragment not in ids[target] and unquote(parts.fragment) not in ids[target]:
                broken.append(f"{ref} (no such anchor)")
    return broken


def untypeset_math(soup: BeautifulSoup) -> list[str]:
    """Math in ``$`` that MathJax will not typeset: the page has `$` math but no local MathJax configured for `$`,
    or a `$...$` is cut by markup (MathJax only finds math whose delimiters share one piece of text)."""
    problems = []
    pieces = [  # text MathJax reads (not comments, not the inside of code or scripts)
        str(text) for text in soup.find_all(string=True)
        if type(text) is NavigableString and not any(parent.name in NOT_TYPESET for parent in text.parents)
    ]  # fmt: skip
    with_math = [piece for piece in pieces if DOLLAR.search(piece)]
    for piece in with_math:
        delimiters = DOLLAR.findall(piece)
        if delimiters.count("$") % 2 or delimiters.count("$$") % 2:
            problems.append(f"unpaired $ in {piece.strip()[:120]!r}")
    if with_math:
        loads = [str(s["src"]) for s in soup.find_all("script", src=True) if "MathJax.js" in str(s["src"])]
        config = " ".join(s.get_text() for s in soup.find_all("script", type="text/x-mathjax-config"))
        if not loads or any(NETWORK.match(src) for src in loads):
            problems.append("the page has $ math but loads no local MathJax")
        if not re.search(r"inlineMath:\s*\[\s*\[\s*['\"]\$['\"]\s*,\s*['\"]\$['\"]", config):
            problems.append("MathJax is not configured to typeset $...$ (tex2jax inlineMath)")
    return problems


# --- the built site ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "_site"
    build_site.build_site(out, ROOT, quiet=True)
    return out


@pytest.fixture(scope="module")
def pages(site: Path) -> dict[Path, BeautifulSoup]:
    """Every page of the site, parsed once."""
    return {page: parse(page.read_text(encoding="utf-8")) for page in sorted(site.glob("*.html"))}


def test_every_lesson_has_a_page_linked_from_home(site, pages):
    assert NOTEBOOKS
    home = pages[site / "index.html"]
    linked = {str(a["href"]).split("#")[0] for a in home.find_all("a", href=True)}
    for notebook in NOTEBOOKS:
        page = site / f"{notebook.stem}.html"
        assert page.is_file(), f"no page for {notebook.name}"
        assert page.name in linked, f"the home page does not link to {page.name}"
        soup = pages[page]
        assert soup.select("main h1"), f"{page.name}: no lesson title"
        assert len(soup.select("nav.site-toc li a")) >= 3, f"{page.name}: no table of contents"
        assert len(soup.select(".jp-CodeCell")) >= 5, f"{page.name}: the code cells are missing"
    assert {p.name for p in pages} == {"index.html"} | {f"{n.stem}.html" for n in NOTEBOOKS}


def test_lessons_link_to_each_other_in_order(site, pages):
    names = [f"{n.stem}.html" for n in NOTEBOOKS]
    for i, name in enumerate(names):
        bar = pages[site / name].select_one("nav.site-bar")
        assert bar.select_one("a.home")["href"] == "index.html"
        assert (bar.select_one("a.prev") or {}).get("href") == (names[i - 1] if i else None)
        assert (bar.select_one("a.next") or {}).get("href") == (names[i + 1] if i + 1 < len(names) else None)


def test_nothing_is_loaded_from_the_network(site, pages):
    found = {page.name: network_references(soup) for page, soup in pages.items()}
    found |= {css.name: css_network_references(css.read_text(encoding="utf-8")) for css in site.rglob("*.css")}
    found = {k: v for k, v in found.items() if v}
    assert not found, f"network resources in the site: {found}"


def test_local_links_and_images_resolve(site, pages):
    ids = {page.resolve(): anchors(soup) for page, soup in pages.items()}
    broken = {page.name: broken_local_references(page, soup, site, ids) for page, soup in pages.items()}
    broken = {k: v for k, v in broken.items() if v}
    assert not broken, f"broken local links or images: {broken}"
    diagrams = {p.name for p in (ROOT / "images").glob("*.svg")}
    shown = set()
    for soup in pages.values():
        shown |= {Path(str(img["src"])).name for img in soup.find_all("img", src=True) if str(img["src"]).startswith("images/")}
    used = {m for n in NOTEBOOKS for m in re.findall(r"\.\./images/([\w.-]+\.svg)", n.read_text(encoding="utf-8"))}
    assert used and used <= shown <= diagrams, f"diagrams the notebooks embed but the site does not show: {used - shown}"


def test_math_is_left_to_a_local_mathjax(site, pages):
    problems = {page.name: untypeset_math(soup) for page, soup in pages.items()}
    problems = {k: v for k, v in problems.items() if v}
    assert not problems, f"math MathJax would not typeset: {problems}"
    mathjax = site / "static" / "mathjax"
    # what MathJax loads at run time for the configuration and fonts the pages ask for
    for needed in ["config/TeX-AMS-MML_HTMLorMML-full.js", "jax/output/HTML-CSS/fonts/STIX-Web/fontdata.js",
                   "jax/output/HTML-CSS/autoload/mtable.js", "extensions/MathMenu.js", "extensions/TeX/AMSmath.js"]:  # fmt: skip
        assert (mathjax / needed).is_file(), f"MathJax file missing from the site: {needed}"
    assert list((mathjax / "fonts" / "HTML-CSS" / "STIX-Web" / "woff").glob("*.woff")), "MathJax's fonts are missing"
    with_math = [page for page, soup in pages.items() if soup.select("main .jp-RenderedMarkdown") and DOLLAR.search(soup.get_text())]
    assert with_math, "no page has math: the check above checked nothing"


def test_widgets_are_a_note_and_their_stored_drawing(site, pages):
    for notebook in NOTEBOOKS:
        if build_site.WIDGET_VIEW not in notebook.read_text(encoding="utf-8"):
            continue
        soup = pages[site / f"{notebook.stem}.html"]
        text = soup.get_text()
        assert "VBox(children=" not in text and "widget-view+json" not in str(soup)
        notes = soup.select(".site-widget")
        assert notes and all("Live demo" in n.get_text() and n.find("img") for n in notes), "widget without note or figure"


# --- each check fails on a page that breaks it ------------------------------------------------------------

MATHJAX_OK = (f"{build_site.MATHJAX_CONFIG}\n"
              '<script src="static/mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full"></script>')  # fmt: skip


@pytest.mark.parametrize(
    "page",
    [
        '<script src="https://cdn.example.org/mathjax/MathJax.js"></script>',
        '<link rel="stylesheet" href="http://example.org/style.css">',
        '<img src="//example.org/figure.png">',
        "<style>@font-face { src: url('https://example.org/font.woff') }</style>",
        '<style>@import "https://example.org/theme.css";</style>',
        '<div style="background: url(http://example.org/bg.png)"></div>',
        "<script>var s = document.createElement('script'); s.src = 'https://unpkg.com/x.js';</script>",
    ],
)
def test_network_check_fails_on_network_resources(page):
    assert network_references(parse(page))


def test_network_check_passes_local_pages_and_plain_links():
    page = ('<link rel="stylesheet" href="static/site.css"><img src="images/a.svg">'
            '<img src="data:image/png;base64,AA="><a href="https://arxiv.org/abs/1409.0473">Bahdanau et al.</a>'
            "<style>a { background: url(data:image/png;base64,AA=) }</style>")  # fmt: skip
    assert network_references(parse(page)) == []


def test_link_check_fails_on_missing_files_and_anchors(tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "ok.svg").write_text("<svg/>")
    (tmp_path / "02.html").write_text('<h2 id="Recap">Recap</h2>')
    page = tmp_path / "01.html"
    page.write_text('<img src="images/ok.svg"><a href="02.html#Recap">ok</a><a href="#top" id="top">ok</a>'
                    '<img src="../images/ok.svg"><img src="images/gone.svg"><a href="02.html#Nowhere">x</a>'
                    '<a href="03.html">x</a><a href="#missing">x</a>'
                    '<script src="static/mathjax/MathJax.js?config=X"></script>')  # fmt: skip
    broken = broken_local_references(page, parse(page.read_text()), tmp_path, {})
    assert [b.split(" (")[0] for b in broken] == ["02.html#Nowhere", "03.html", "#missing", "../images/ok.svg",
                                                  "images/gone.svg", "static/mathjax/MathJax.js?config=X"]  # fmt: skip


@pytest.mark.parametrize(
    "page",
    [
        "<p>the score $e_{ij}$ of input $j$</p>",  # math, and no MathJax at all
        f"{MATHJAX_OK}<p>the score $e_<em>{{ij}}$ and $s</em>_i$</p>",  # markdown cut the math with <em>
        f"{MATHJAX_OK}<p>a price of $5 and nothing else</p>",  # a lone $ (markdown would need \\$)
        '<script src="https://cdn.example.org/MathJax.js"></script><p>$x$</p>',  # MathJax from the network
        '<script src="static/mathjax/MathJax.js"></script><p>$x$</p>',  # MathJax's default skips $...$
    ],
)
def test_math_check_fails_on_math_mathjax_leaves_raw(page):
    assert untypeset_math(parse(page))


def test_math_check_passes_typeset_math_and_code():
    page = (f"{MATHJAX_OK}<p>the score $e_{{ij}}$ is $$\\sum_j \\alpha_{{ij}} h_j$$ and costs \\$5</p>"
            "<pre>price: $5</pre><code>echo $HOME</code>")  # fmt: skip
    assert untypeset_math(parse(page)) == []
    assert untypeset_math(parse("<p>no math here</p><pre>$5</pre>")) == []


def test_make_builds_the_site_and_trusts_the_notebooks():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    rule = lambda name: makefile.split(f"\n{name}:", 1)[1].split("\n\n", 1)[0]  # noqa: E731
    assert "scripts/build_site.py" in rule("site")
    assert "jupyter trust notebooks/*.ipynb" in rule("lab"), "make lab must trust the course's notebooks"
    assert "_site/" in (ROOT / ".gitignore").read_text(encoding="utf-8").split()
