"""The page transforms (the ``page_transforms`` Markdown extension) and the hooks: markers
expand per the DOM contract and every mistake fails the build; the build manifest lists
the pages; page text and shipped files are finished as promised."""

from __future__ import annotations

import dataclasses
import html
import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import markdown
import pytest

from calculators import CALCULATORS, run
from hooks import manifest_hook as hook
from hooks import shipping_hook
from hooks.bundle import bundle
from hooks.bundle import sources as bundle_sources
from hooks.manifest import PATH as MANIFEST_PATH
from hooks.shipping import NOT_SHIPPED
from page_transforms import KatexError, MarkerError, PageTransforms
from page_transforms.markers import expand_markers

DOCS = Path(__file__).resolve().parents[2] / "docs"


def page(src: str = "strict-counting.md", url: str = "strict-counting/") -> Any:
    return SimpleNamespace(file=SimpleNamespace(src_path=src), url=url, meta={}, title="T")


def expand(text: str, where: Any = None) -> str:
    """``text`` converted as the page ``where`` by the extension, then seen by the hook."""
    p = where or page()
    md = markdown.Markdown(extensions=[PageTransforms(path=p.file.src_path, url=p.url)])
    return hook.on_page_content(md.convert(text), p, None, None)  # type: ignore[arg-type]


class Elements(HTMLParser):
    """Every start tag of a document, as (tag, attributes)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))

    def having(self, name: str) -> list[dict[str, str | None]]:
        return [attrs for _, attrs in self.found if name in attrs]


def test_calculator_marker_follows_the_dom_contract() -> None:
    p = page()
    out = expand("<p>x</p>\n<!-- calculator: breakeven -->\n", p)
    assert 'data-calculator="breakeven"' in out
    assert 'data-state="static"' in out
    names = set(re.findall(r'<input[^>]* name="([a-z_]+)"', out))
    assert names == {f.name for f in CALCULATORS["breakeven"].fields}
    expected = run("breakeven", {})["outputs"]
    for key, value in expected.items():
        assert f'data-output="{key}" data-value="{value["value"]}"' in out
    assert p.meta["calculators"] is True


@pytest.mark.parametrize("calc_id", sorted(CALCULATORS))
def test_every_calculator_renders_every_part_of_the_contract(calc_id: str) -> None:
    calc = CALCULATORS[calc_id]
    reply = run(calc_id, {})
    doc = Elements(expand(f"<!-- calculator: {calc_id} -->"))
    ids = {a["id"] for _, a in doc.found if a.get("id")}
    (root,) = doc.having("data-calculator")
    assert (root["data-calculator"], root["data-state"], root["id"]) == (
        calc_id, "static", f"calc-{calc_id}")
    assert "data-module" not in root  # written once, never read: gone
    inputs = {a["name"]: a for tag, a in doc.found if tag == "input" and "name" in a}
    assert list(inputs) == [f.name for f in calc.fields]
    for f in calc.fields:
        attrs = inputs[f.name]
        assert (attrs["value"], attrs["data-default"]) == (f.default, f.default)
        assert ("required" in attrs) is not f.optional
        described = (attrs["aria-describedby"] or "").split()
        assert described == [f"{calc_id}-{f.name}-help", f"{calc_id}-{f.name}-error"]
        assert set(described) <= ids
    assert [a["data-error-for"] for a in doc.having("data-error-for")] == [
        f.name for f in calc.fields]
    outputs = {a["data-output"]: a["data-value"] for a in doc.having("data-output")}
    assert outputs == {o.key: reply["outputs"][o.key]["value"] for o in calc.outputs}
    charts = {a["data-chart"]: "hidden" in a for a in doc.having("data-chart")}
    assert charts == {c.key: not reply["charts"][c.key]["svg"] for c in calc.charts}
    for name in ("data-status", "data-results", "data-actions", "data-chart-svg"):
        assert doc.having(name), name
    actions = [a["data-action"] for a in doc.having("data-action")]
    assert actions == ["copy-link", "reset", "scale", "compare", "download-json",
                       "download-csv", "keep-scenario", "retry", "show-python"]
    # The retry control shows only once Python has given up (controller.js).
    (retry,) = doc.having("data-retry")
    assert "hidden" in retry
    # Exactly one headline: the answer, as the bridge's sentence, on the headline output.
    (head,) = doc.having("data-headline")
    assert head["data-headline"] == calc.headline
    assert head["data-value"] == reply["outputs"][calc.headline]["value"]
    # Presets: one button each, carrying its inputs; the defaults' preset reads pressed.
    presets = doc.having("data-preset")
    assert [p["data-preset"] for p in presets] == [p.name for p in calc.presets]
    for attrs, preset in zip(presets, calc.presets, strict=True):
        assert json.loads(attrs["data-values"] or "") == dict(preset.values)
        assert attrs["aria-pressed"] == ("true" if not preset.values else "false")
    assert "hidden" in doc.having("data-presets")[0]  # shown once the script binds them


def test_headline_and_results_read_as_the_reply_says() -> None:
    out = expand("<!-- calculator: counting-odds -->")
    reply = run("counting-odds", {})
    head = re.search(r'<p class="calc__headline"[^>]*>(.*?)</p>', out)
    assert head is not None
    text = re.sub(r'<span class="pow"[^>]*data-text="([^"]+)">.*?</span>', r"\1",
                  head.group(1))
    assert html.unescape(text) == reply["headline"]["text"]
    # The folded parts: the inputs' explanations and every result, one click away.
    assert '<details class="calc__explain"><summary>What the inputs mean</summary>' in out
    assert '<details class="calc__more" data-search-exclude><summary>All results</summary>' in out
    # Powers are typeset in the static page too: 2^-100 as a raised exponent.
    assert "2<sup>−100</sup>" in out


def test_predict_marker_renders_the_question_with_its_answer() -> None:
    out = expand("<!-- predict: counting-odds.unknown -->\n<!-- calculator: counting-odds -->")
    (form,) = Elements(out).having("data-question")
    q = CALCULATORS["counting-odds"].questions[0]
    preset = dict(next(p for p in CALCULATORS["counting-odds"].presets
                       if p.name == q.preset).values)
    answer = run("counting-odds", preset)["outputs"][q.key]
    assert form["data-question"] == "counting-odds.unknown"
    assert form["data-answer-value"] == answer["value"]
    right = next(c for c in q.choices if c.low <= float(answer["value"]) < c.high)
    assert form["data-right"] == right.label
    radios = [a["value"] for t, a in Elements(out).found if a.get("type") == "radio"]
    assert radios == [c.label for c in q.choices]
    assert 'data-action="try-case" data-calc="counting-odds" data-case="preferences-unknown"' in out
    with pytest.raises(MarkerError, match="unknown question"):
        expand("<!-- predict: counting-odds.nope -->")


def test_an_input_quote_moves_only_beside_its_calculator() -> None:
    here = expand("<p><!-- value: breakeven.prior_ratio --></p>\n<!-- calculator: breakeven -->")
    (quote,) = Elements(here).having("data-quote")
    assert quote["role"] == "spinbutton" and quote["data-nudge"] == "add 1.0 pow2"
    assert quote["aria-label"] == "Prior odds schemer : non-schemer"
    assert quote["aria-valuenow"] == "100.0" and quote["aria-valuetext"] == "2^100"
    away = expand("<p><!-- value: breakeven.prior_ratio --></p>")
    (quote,) = Elements(away).having("data-quote")
    assert "role" not in quote and "data-nudge" not in quote


def test_calculator_text_is_escaped(monkeypatch: pytest.MonkeyPatch) -> None:
    frames = CALCULATORS["frames"]
    hostile = dataclasses.replace(frames, title='<script>alert("x")</script> & co')
    monkeypatch.setitem(CALCULATORS, "frames", hostile)
    out = expand("<!-- calculator: frames -->")
    assert "<script>" not in out and "&lt;script&gt;" in out and "&amp; co" in out


def test_value_marker_quotes_the_same_computation() -> None:
    out = expand("<p>about <!-- value: breakeven.breakeven_steps --> steps</p>")
    text = run("breakeven", {})["outputs"]["breakeven_steps"]["text"]
    assert 'data-quote="breakeven.breakeven_steps"' in out
    assert f">{text}</span> steps" in out


def test_page_without_calculator_does_not_start_python() -> None:
    p = page("index.md", "")
    expand("<p>no markers</p>", p)
    assert p.meta["calculators"] is False


BAD_MARKERS = [
    ("<!-- calculator: no-such -->", "unknown calculator marker"),
    ("<!-- calculator: frames -->\n<!-- calculator: frames -->",
     "calculator 'frames' appears twice"),
    ("<!-- value: no-such.key -->", "unknown calculator in value marker"),
    ("<!-- value: breakeven.no_such_key -->", "unknown key in value marker"),
    ("<!-- figure: no-such -->", "unknown figure marker"),
    ("<!-- calculator breakeven -->", "malformed marker"),
]


@pytest.mark.parametrize(("text", "message"), BAD_MARKERS)
def test_every_bad_marker_fails_the_build(text: str, message: str) -> None:
    with pytest.raises(MarkerError, match=f"^strict-counting.md: {message}"):
        expand(text)


@pytest.mark.parametrize(("text", "message"), BAD_MARKERS)
def test_bad_markers_fail_without_mkdocs_too(text: str, message: str) -> None:
    # The plain function, without Markdown, raises the same error.
    with pytest.raises(MarkerError, match=f"^page.md: {message}"):
        expand_markers(text, "page.md", "./")


def test_calculators_sharing_an_input_name_cannot_share_a_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The URL names inputs without their calculator: a shared name would be ambiguous.
    frames = CALCULATORS["frames"]
    clash = dataclasses.replace(
        frames, id="frames-copy", presets=(),
        fields=(dataclasses.replace(frames.fields[0], name="prior_ratio"), *frames.fields[1:]),
    )
    monkeypatch.setitem(CALCULATORS, "frames-copy", clash)
    with pytest.raises(MarkerError, match=r"shares input names \['prior_ratio'\]"):
        expand("<!-- calculator: breakeven -->\n<!-- calculator: frames-copy -->")


def test_no_two_calculators_share_an_input_name() -> None:
    # So any set of calculators can share a page, and a link, without ambiguity.
    seen: dict[str, str] = {}
    for cid, calc in CALCULATORS.items():
        for f in calc.fields:
            assert f.name not in seen, (f.name, seen.get(f.name), cid)
            seen[f.name] = cid


def test_manifest_lists_pages_in_nav_order_with_their_calculators(tmp_path: Path) -> None:
    config: Any = SimpleNamespace(site_dir=str(tmp_path))
    nav: Any = SimpleNamespace(pages=[SimpleNamespace(url=u) for u in ("", "b/", "a/")])
    hook.on_pre_build(config)
    hook.on_nav(nav, config, None)  # type: ignore[arg-type]
    for src, url, text in [
        ("a.md", "a/", "<!-- calculator: frames -->"),
        ("index.md", "", "<p>home</p>"),
        ("b.md", "b/", "<!-- calculator: restaurants -->\n<!-- calculator: breakeven -->"),
    ]:
        expand(text, page(src, url))
    hook.on_post_build(config)
    data = json.loads((tmp_path / MANIFEST_PATH).read_text())
    assert data["format"] == 1
    assert [(p["url"], p["calculators"]) for p in data["pages"]] == [
        ("", []), ("b/", ["restaurants", "breakeven"]), ("a/", ["frames"])]
    assert data["calculators"] == {"restaurants": ["b/"], "breakeven": ["b/"], "frames": ["a/"]}
    hook.on_pre_build(config)  # a rebuild (`mkdocs serve`) starts from no pages
    hook.on_post_build(config)
    assert json.loads((tmp_path / MANIFEST_PATH).read_text())["pages"] == []


def test_page_text_typesets_math_and_fails_the_build_on_bad_tex() -> None:
    out = expand(
        '<p><span class="arithmatex">\\(2^{100}\\)</span> and '
        '<abbr title="t">SGD</abbr>, <abbr title="t">SGD</abbr></p>\n\n'
        '<pre><span></span><code>x</code></pre>')
    assert 'class="katex"' in out and "arithmatex" not in out
    # Left out of the search index, which gets a plain copy instead.
    assert "<calc-math data-search-exclude><span class=\"katex\">" in out
    assert '<span class="calc-math-search" hidden>2¹⁰⁰</span>' in out
    assert out.count("<abbr") == 1 and '<code tabindex="0">' in out
    with pytest.raises(KatexError, match=r"^strict-counting.md: KaTeX failed"):
        expand('<p><span class="arithmatex">\\(\\frac{1}\\)</span></p>')


def test_browser_sources_are_read_by_the_build_and_the_code_shipped_bundled() -> None:
    from mkdocs.structure.files import File, Files

    config: Any = SimpleNamespace(site_dir="/tmp/site", use_directory_urls=True,
                                  docs_dir=str(DOCS),
                                  plugins=SimpleNamespace(_current_plugin="shipping"))
    sources = [p.relative_to(DOCS).as_posix() for p in bundle_sources(DOCS)]
    files = Files([File(p, str(DOCS), "/tmp/site", True) for p in
                   [*sorted(NOT_SHIPPED), *sources, "index.md"]])
    kept = shipping_hook.on_files(files, config)
    shipped = {f.src_uri: f for f in kept}
    # The sources are gone; the bundle's entries, chunks and stylesheets take their place.
    assert not set(NOT_SHIPPED) & set(shipped)
    assert {"assets/calc/app.js", "assets/calc/worker.js", "assets/calc/calc.css",
            "assets/site.css", "index.md"} <= set(shipped)
    assert not any(p.endswith(".mjs") or p.endswith("/controller.js") for p in shipped)
    app = shipped["assets/calc/app.js"]
    assert app.generated_by and "//" not in app.content_string.split("\n")[0][:2]
    env: Any = SimpleNamespace(globals={})
    shipping_hook.on_env(env, config, files)
    assert "new Worker(" in env.globals["calc_early_start"]


@pytest.fixture(scope="module")
def shipped() -> dict[str, bytes]:
    return bundle(DOCS).files


def test_bundled_code_parses_and_loads_its_chunks(shipped: dict[str, bytes],
                                                  tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"type": "module"}')
    chunks = {p.rsplit("/", 1)[1] for p in shipped if "/chunk-" in p}
    assert chunks  # the code a page may never need is split off
    wanted: set[str] = set()
    for path, content in shipped.items():
        if not path.endswith(".js"):
            continue
        module = tmp_path / path.rsplit("/", 1)[1]
        module.write_bytes(content)
        check = subprocess.run(["node", "--check", str(module)], capture_output=True,
                               text=True, check=False)
        assert check.returncode == 0, (path, check.stderr)
        wanted |= set(re.findall(r'"\./(chunk-[A-Z0-9]+\.js)"', content.decode()))
    assert wanted == chunks  # every chunk is imported by some file, and every import exists
    # Pyodide stays a file of its own, loaded by the worker.
    assert b'"../pyodide/pyodide.mjs"' in shipped["assets/calc/worker.js"]


def test_bundled_stylesheets_keep_every_class(shipped: dict[str, bytes]) -> None:
    for sheet in ("assets/calc/calc.css", "assets/site.css"):
        source = (DOCS / sheet).read_text()
        out = shipped[sheet].decode()
        assert "/*" not in out and len(out) < len(source)
        classes = set(re.findall(r"\.([a-z][a-z0-9_-]*)", re.sub(r"/\*.*?\*/", "", source,
                                                                 flags=re.DOTALL)))
        missing = {c for c in classes if f".{c}" not in out}
        assert missing == set(), (sheet, missing)




def _edge(path: str, kind: str) -> dict[str, str]:
    return {"path": f"out/{path}", "kind": kind}


def test_static_closure_follows_import_statements_only() -> None:
    from hooks.bundle import _static_closure

    edge = _edge
    meta: dict[str, dict[str, list[dict[str, str]]]] = {
        "out/app.js": {"imports": [edge("a.js", "import-statement"),
                                   edge("lazy.js", "dynamic-import")]},
        "out/a.js": {"imports": [edge("b.js", "import-statement"),
                                 edge("app.js", "import-statement")]},
        "out/b.js": {"imports": [edge("a.js", "import-statement")]},
        "out/lazy.js": {"imports": [edge("c.js", "import-statement")]},
        "out/c.js": {"imports": []},
    }
    assert _static_closure(meta, "out/app.js", "out") == ("app.js", "a.js", "b.js")


def test_bundle_names_the_entry_and_its_static_imports_to_preload() -> None:
    out = bundle(DOCS)
    assert out.preload[0] == "assets/calc/app.js"
    app = out.files["assets/calc/app.js"].decode()
    for path in out.preload[1:]:
        assert path.startswith("assets/calc/chunk-") and path in out.files
    # What app.js imports with import statements is preloaded; its lazy chunks are not.
    lazy = set(re.findall(r'import\("\./(chunk-[A-Z0-9]+\.js)"\)', app))
    assert lazy and not lazy & {p.rsplit("/", 1)[1] for p in out.preload}
