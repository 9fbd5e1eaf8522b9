"""Build the course website from the stored notebooks: one page per lesson and a home page, offline.

The pages are made with nbconvert's HTML exporter and its JupyterLab template (both already installed
for the notebooks), extended by a small template below: the notebooks are read as stored and never
executed. The folder it writes opens from disk (``file://``) or from any static host, and needs no
network:

- the diagrams of ``images/`` are copied next to the pages;
- math is typeset in the browser by the MathJax 2.7 files of the pinned package ``jupyter-server-mathjax``
  (the MathJax that Jupyter's own servers offer offline), copied into ``static/mathjax/`` with its fonts;
- the JupyterLab stylesheet is written once into ``static/`` instead of a copy in every page;
- no require.js, widget manager or mermaid script is loaded: a stored widget is drawn as a note that says
  it is a live demo, followed by what it showed when the notebook was stored (its input and its figure).

Each lesson page has a table of contents of its sections and links to the home page and to the previous
and next lessons. The home page shows the README's introduction and its syllabus table (or, when the
README has no table that links every lesson, a list of the notebooks' titles).

Usage:
    python scripts/build_site.py                 # writes _site/ (what `make site` runs)
    python scripts/build_site.py --out /tmp/site
Then open ``_site/index.html`` in a browser.
"""

from __future__ import annotations

import argparse
import base64
import copy
import html
import re
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
from bs4 import BeautifulSoup
from jinja2 import DictLoader
from nbconvert import HTMLExporter
from nbconvert.filters.markdown_mistune import markdown2html_mistune

ROOT = Path(__file__).resolve().parent.parent
SITE_TITLE = "Sequence Models with Keras"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
#: What the page needs of the MathJax 2.7 build inside the jupyter_server_mathjax package: the combined TeX
#: configuration, the HTML-CSS output and its STIX-Web web fonts (the only fonts the package ships).
#: Its translations and its incomplete SVG output are left out.
MATHJAX_PARTS: tuple[str, ...] = ("MathJax.js", "LICENSE", "config/TeX-AMS-MML_HTMLorMML-full.js", "extensions",
                                  "jax/input", "jax/element", "jax/output/HTML-CSS", "fonts/HTML-CSS/STIX-Web")  # fmt: skip
MATHJAX_SCRIPT = '<script src="static/mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full"></script>'

#: MathJax settings: TeX between $...$, $$...$$, \(...\) or \[...\], as in JupyterLab; HTML-CSS output with the
#: STIX-Web fonts copied next to it (never fonts of the reader's system, never a font from the network).
MATHJAX_CONFIG = r"""<script type="text/x-mathjax-config">
MathJax.Hub.Config({
  tex2jax: {inlineMath: [["$", "$"], ["\\(", "\\)"]], displayMath: [["$$", "$$"], ["\\[", "\\]"]],
            processEscapes: true, processEnvironments: true},
  "HTML-CSS": {availableFonts: [], preferredFont: null, webFont: "STIX-Web", imageFont: null,
               linebreaks: {automatic: true}},
  MMLorHTML: {prefer: "HTML"},
  displayAlign: "center",
  messageStyle: "none"
});
</script>"""

SITE_CSS = """/* Course website: layout around nbconvert's JupyterLab page. */
a.anchor-link { display: none; }
.jp-InputArea-editor { overflow-x: auto; min-width: 0; }  /* long code lines scroll instead of being cut */
.cm-editor.cm-s-jupyter .highlight pre { padding: var(--jp-code-padding) 4px; margin: 0; font-family: inherit;
  font-size: inherit; line-height: inherit; color: inherit; }
.jp-OutputArea-output pre { line-height: inherit; font-family: inherit; }
.jp-RenderedText pre { color: var(--jp-content-font-color1); font-size: var(--jp-code-font-size); }
.jp-Collapser { display: none; }
body.site { margin: 0; padding: 0; background: var(--jp-layout-color0, #fff); }
.site-bar { display: flex; flex-wrap: wrap; gap: 0.5em 1.5em; align-items: baseline; padding: 0.6em 1.5em;
  background: #f3f5f7; border-bottom: 1px solid #d0d7de; font-family: var(--jp-ui-font-family, sans-serif);
  font-size: 14px; }
.site-bar.bottom { border-top: 1px solid #d0d7de; border-bottom: none; margin-top: 2em; }
.site-bar .home { font-weight: bold; margin-right: auto; }
.site-bar a { color: #0b57a4; text-decoration: none; }
.site-bar a:hover { text-decoration: underline; }
.site-layout { display: flex; align-items: flex-start; }
nav.site-toc { position: sticky; top: 0; flex: 0 0 250px; max-height: 100vh; overflow-y: auto; box-sizing: border-box;
  padding: 1em 1em 2em 1.5em; font-family: var(--jp-ui-font-family, sans-serif); font-size: 13px; line-height: 1.4;
  border-right: 1px solid #e1e4e8; }
nav.site-toc h2 { font-size: 13px; text-transform: uppercase; letter-spacing: 0.05em; color: #57606a; margin: 0 0 0.6em; }
nav.site-toc ol { list-style: none; margin: 0; padding: 0; }
nav.site-toc li { margin: 0.3em 0; }
nav.site-toc li.level-3 { padding-left: 1em; font-size: 12px; }
nav.site-toc a { color: #24292f; text-decoration: none; }
nav.site-toc a:hover { color: #0b57a4; text-decoration: underline; }
main.site-main { flex: 1 1 auto; min-width: 0; max-width: 1100px; padding: 1em 1.5em; }
main.site-home { max-width: 1200px; margin: 0 auto; padding: 1em 1.5em 3em; }
.site-home table { border-collapse: collapse; font-size: 14px; }
main.site-home th, main.site-home td { border: 1px solid #d0d7de; padding: 0.4em 0.6em; vertical-align: top; text-align: left; }
.site-home th { background: #f3f5f7; }
.site-note { background: #f6f8fa; border-left: 4px solid #0b57a4; padding: 0.6em 1em; }
.site-widget { border: 1px dashed #8c959f; padding: 0.5em 1em; margin: 0.3em 0; }
.site-widget p { margin: 0.3em 0; }
.jp-RenderedImage img, .jp-RenderedHTMLCommon img { max-width: 100%; height: auto; }
@media (max-width: 900px) { .site-layout { display: block; } nav.site-toc { position: static; max-height: none;
  border-right: none; border-bottom: 1px solid #e1e4e8; } }
@media print { nav.site-toc, .site-bar { display: none; } }
"""

#: The lesson page: nbconvert's JupyterLab page without its network scripts, with local styles and
#: MathJax, a navigation bar, and a table of contents (filled in after conversion).
LESSON_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block notebook_css -%}
<link rel="stylesheet" href="static/jupyterlab.css">
<link rel="stylesheet" href="static/site.css">
{%- endblock notebook_css -%}
{%- block html_head_js_mathjax -%}
{{ resources.site.mathjax_config }}
{{ resources.site.mathjax_script }}
{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block body_header -%}
<body class="jp-Notebook site" data-jp-theme-light="true" data-jp-theme-name="JupyterLab Light">
{{ resources.site.nav_top }}
<div class="site-layout">
<nav class="site-toc" aria-label="Sections of this lesson"><h2>On this page</h2><!-- site-toc --></nav>
<main class="site-main">
{%- endblock body_header -%}
{%- block body_footer -%}
</main>
</div>
{{ resources.site.nav_bottom }}
</body>
{%- endblock body_footer -%}
"""


@dataclass(frozen=True)
class Lesson:
    """One notebook of notebooks/ and the page made from it."""

    notebook: Path
    title: str  # the first heading of the notebook, e.g. "Lesson 08 — Attention: ..."

    @property
    def page(self) -> str:
        """File name of the lesson's page in the site."""
        return self.notebook.stem + ".html"


def find_lessons(notebooks_dir: Path) -> list[Lesson]:
    """Every notebook of ``notebooks_dir`` in name order, with the title from its first markdown heading."""
    lessons = []
    for path in sorted(notebooks_dir.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        title = path.stem
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                match = re.search(r"^#\s+(.+)$", cell.source, flags=re.MULTILINE)
                if match:
                    title = match.group(1).strip()
                    break
        lessons.append(Lesson(path, title))
    return lessons


def _widget_models(nb: nbformat.NotebookNode) -> dict[str, Any]:
    return nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})


def _descendants(model_id: str, models: dict[str, Any]) -> list[dict[str, Any]]:
    """The widget ``model_id`` and every widget inside it, depth first."""
    model = models.get(model_id)
    if model is None:
        return []
    found = [model]
    for child in model.get("state", {}).get("children", []):
        if isinstance(child, str) and child.startswith("IPY_MODEL_"):
            found += _descendants(child.removeprefix("IPY_MODEL_"), models)
    return found


def _stored_output_html(output: dict[str, Any]) -> str:
    data = output.get("data", {})
    if "image/png" in data:
        png = "".join(data["image/png"]).replace("\n", "")
        base64.b64decode(png, validate=True)  # a stored image that does not decode is an error, not a blank
        return f'<img src="data:image/png;base64,{png}" alt="Figure drawn by the widget when the notebook was stored">'
    text = output.get("text") if output.get("output_type") == "stream" else data.get("text/plain")
    return f"<pre>{html.escape(''.join(text))}</pre>" if text else ""


def widget_note(model_id: str, models: dict[str, Any]) -> str:
    """HTML that stands for a stored widget: a note that it is a live demo, its input and what it drew."""
    parts = [
        '<div class="site-widget">',
        "<p><strong>Live demo.</strong> In JupyterLab this is an interactive widget: run the lesson's cells "
        "and type your own input. Below is what it showed when the notebook was stored.</p>",
    ]
    for model in _descendants(model_id, models):
        state = model.get("state", {})
        if model.get("model_name") in {"TextModel", "TextareaModel"}:
            label = html.escape(str(state.get("description", "input")))
            parts.append(f"<p>{label} <code>{html.escape(str(state.get('value', '')))}</code></p>")
        elif model.get("model_name") == "OutputModel":
            parts += [_stored_output_html(output) for output in state.get("outputs", [])]
    parts.append("</div>")
    return "\n".join(part for part in parts if part)


def prepare_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` ready for the site: paths to ``images/``, links to pages, widgets as static notes."""
    nb = copy.deepcopy(nb)
    models = _widget_models(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            # diagrams are embedded as ../images/NAME.svg (relative to notebooks/); the site has them in images/
            cell.source = re.sub(r"(\]\(|src=[\"'])\.\./images/", r"\1images/", cell.source)
            # links to another lesson's notebook go to its page
            cell.source = re.sub(r"\]\((?:\.\./notebooks/|\./)?(\d\d_\w+)\.ipynb(#[^)]*)?\)", r"](\1.html\2)", cell.source)
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data:
                note = widget_note(data[WIDGET_VIEW].get("model_id", ""), models)
                output["data"] = nbformat.from_dict({"text/html": note, "text/plain": "Live demo (widget)"})
    nb.metadata.pop("widgets", None)
    return nb


def table_of_contents(page: str) -> str:
    """An ordered list of links to the ``h2`` and ``h3`` sections of an nbconvert page (its ``h1`` is the title)."""
    items = []
    for level, anchor, inner in re.findall(r'<h([23]) id="([^"]+)"[^>]*>(.*?)</h\1>', page, flags=re.DOTALL):
        text = html.unescape(re.sub(r"<[^>]+>", "", inner)).removesuffix("¶").strip()
        items.append(f'<li class="level-{level}"><a href="#{anchor}">{html.escape(text)}</a></li>')
    return "<ol>\n" + "\n".join(items) + "\n</ol>"


def nav_bar(lessons: list[Lesson], index: int | None, position: str) -> str:
    """The bar at the top (``position="top"``) or bottom of a page: home, previous and next lesson."""
    parts = [f'<nav class="site-bar {position}" aria-label="Course"><a class="home" href="index.html">{SITE_TITLE}</a>']
    if index is not None:
        if index > 0:
            previous = lessons[index - 1]
            parts.append(f'<a class="prev" href="{previous.page}">← {html.escape(previous.title)}</a>')
        if index + 1 < len(lessons):
            following = lessons[index + 1]
            parts.append(f'<a class="next" href="{following.page}">{html.escape(following.title)} →</a>')
    parts.append("</nav>")
    return "".join(parts)


def make_exporter() -> HTMLExporter:
    """nbconvert's HTML exporter with the JupyterLab template extended for the site."""
    return HTMLExporter(
        template_name="lab",
        extra_loaders=[DictLoader({"course_site.html.j2": LESSON_TEMPLATE})],
        template_file="course_site.html.j2",
        theme="light",
    )


def build_lesson(exporter: HTMLExporter, lessons: list[Lesson], index: int) -> str:
    """The HTML page of ``lessons[index]``, from the notebook as stored."""
    lesson = lessons[index]
    nb = prepare_notebook(nbformat.read(lesson.notebook, as_version=4))
    resources = {
        "metadata": {"name": f"{lesson.title} · {SITE_TITLE}", "path": str(lesson.notebook.parent)},
        "site": {
            "mathjax_config": MATHJAX_CONFIG,
            "mathjax_script": MATHJAX_SCRIPT,
            "nav_top": nav_bar(lessons, index, "top"),
            "nav_bottom": nav_bar(lessons, index, "bottom"),
        },
    }
    page, _ = exporter.from_notebook_node(nb, resources=resources)
    return page.replace("<!-- site-toc -->", table_of_contents(page), 1)


def _markdown_section(markdown: str, heading: str) -> str | None:
    """The body of the ``## heading`` section of ``markdown`` (up to the next ``#``/``##`` heading), or None."""
    match = re.search(rf"^##\s+{re.escape(heading)}\s*$\n(.*?)(?=^#{{1,2}}\s|\Z)", markdown, flags=re.MULTILINE | re.DOTALL)
    return match.group(1).strip() if match else None


def _link_lessons(fragment: str, lessons: list[Lesson]) -> str:
    """Point links to lesson notebooks at their pages; drop links to anything else of the repository."""
    soup = BeautifulSoup(fragment, "html.parser")
    pages = {lesson.notebook.name: lesson.page for lesson in lessons}
    ids = {str(element["id"]) for element in soup.find_all(id=True)}
    for link in soup.find_all("a", href=True):
        href = str(link["href"])
        if "anchor-link" in (link.get("class") or []):
            link.decompose()  # the ¶ after a heading
            continue
        if re.match(r"^[a-z]+:", href) or (href.startswith("#") and href[1:] in ids):
            continue  # an address on the web (a plain link, not a resource of the page), or a section of this page
        name = href.split("#")[0].rsplit("/", 1)[-1]
        if name in pages:
            link["href"] = pages[name]
        else:
            link.unwrap()  # a file of the repository (LICENSE, data/README.md, ...) that the site does not have
    return str(soup)


def build_home(lessons: list[Lesson], readme: str) -> str:
    """The home page: the README's introduction and syllabus table, or the list of the notebooks' titles."""
    intro_match = re.search(r"^#\s+.+?$\n(.*?)(?=^##\s)", readme, flags=re.MULTILINE | re.DOTALL)
    intro = intro_match.group(1).strip() if intro_match else ""
    syllabus = _markdown_section(readme, "Syllabus") or ""
    linked = all(lesson.notebook.name in syllabus for lesson in lessons)
    if linked:
        body = markdown2html_mistune(intro + "\n\n## Syllabus\n\n" + syllabus)
    else:
        items = "\n".join(f'<li><a href="{lesson.page}">{html.escape(lesson.title)}</a></li>' for lesson in lessons)
        body = markdown2html_mistune(intro) + f"\n<h2>Lessons</h2>\n<ol>\n{items}\n</ol>"
    about = (
        '<p class="site-note">These pages show the lessons as stored in the repository, outputs and figures '
        "from a clean top-to-bottom run; they work without a network. To run the code, clone the course and "
        "run <code>make lab</code> (see the README).</p>"
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{SITE_TITLE}</title>
<link rel="stylesheet" href="static/jupyterlab.css">
<link rel="stylesheet" href="static/site.css">
{MATHJAX_CONFIG}
{MATHJAX_SCRIPT}
</head>
<body class="site">
{nav_bar(lessons, None, "top")}
<main class="site-home jp-RenderedHTMLCommon jp-RenderedMarkdown">
<h1>{SITE_TITLE}</h1>
{about}
{_link_lessons(body, lessons)}
</main>
</body>
</html>
"""


def _nbconvert_lab_css() -> str:
    """JupyterLab's stylesheet and light theme, as nbconvert's lab template would inline them in every page."""
    exporter = HTMLExporter(template_name="lab")
    for folder in exporter.template_paths:
        static = Path(folder) / "static"
        if (static / "index.css").is_file() and (static / "theme-light.css").is_file():
            return (static / "index.css").read_text(encoding="utf-8") + "\n" + (static / "theme-light.css").read_text(encoding="utf-8")
    raise FileNotFoundError("nbconvert's lab template (static/index.css) was not found")


def mathjax_dir() -> Path:
    """The MathJax 2.7 build of the installed ``jupyter_server_mathjax`` package."""
    import jupyter_server_mathjax  # noqa: PLC0415 (imported here so that --help works without it)

    static = Path(jupyter_server_mathjax.__file__).parent / "static"
    if not (static / "MathJax.js").is_file():
        raise FileNotFoundError(f"no MathJax.js in {static}")
    return static


def copy_assets(out: Path, images_dir: Path) -> None:
    """Styles, MathJax and the diagrams, into ``out/static`` and ``out/images``."""
    static = out / "static"
    static.mkdir(parents=True, exist_ok=True)
    (static / "jupyterlab.css").write_text(_nbconvert_lab_css(), encoding="utf-8")
    (static / "site.css").write_text(SITE_CSS, encoding="utf-8")
    source = mathjax_dir()
    for part in MATHJAX_PARTS:
        src, dst = source / part, static / "mathjax" / part
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    shutil.copytree(images_dir, out / "images", dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.md"))


def build_site(out: Path, root: Path = ROOT, *, quiet: bool = False) -> list[Path]:
    """Build the whole site into ``out`` (emptied first) from ``root``'s notebooks, images and README; return the pages."""
    lessons = find_lessons(root / "notebooks")
    if not lessons:
        raise FileNotFoundError(f"no notebooks in {root / 'notebooks'}")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    copy_assets(out, root / "images")
    exporter = make_exporter()
    pages = []
    for index, lesson in enumerate(lessons):
        started = time.perf_counter()
        page = out / lesson.page
        page.write_text(build_lesson(exporter, lessons, index), encoding="utf-8")
        pages.append(page)
        if not quiet:
            print(f"{lesson.notebook.name} -> {page} ({time.perf_counter() - started:.1f} s)")
    home = out / "index.html"
    home.write_text(build_home(lessons, (root / "README.md").read_text(encoding="utf-8")), encoding="utf-8")
    return [home, *pages]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "_site", help="folder to write the site into (default: _site)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    pages = build_site(args.out)
    size = sum(f.stat().st_size for f in args.out.rglob("*") if f.is_file())
    print(f"{len(pages)} pages in {args.out} ({size / 1e6:.1f} MB) in {time.perf_counter() - started:.0f} s: "
          f"open {(args.out / 'index.html').resolve().as_uri()}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
