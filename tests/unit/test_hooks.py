"""The markdown hook: markers expand per the DOM contract, and every mistake fails the build."""

from __future__ import annotations

import dataclasses
import re
from types import SimpleNamespace
from typing import Any

import pytest
from mkdocs.exceptions import PluginError

from calculators import CALCULATORS
from hooks import calculators_hook as hook


def page(src: str = "strict-counting.md", url: str = "strict-counting/") -> Any:
    return SimpleNamespace(file=SimpleNamespace(src_path=src), url=url, meta={})


def expand(text: str, where: Any = None) -> str:
    return hook.on_page_content(text, where or page(), None, None)  # type: ignore[arg-type]


def test_calculator_marker_follows_the_dom_contract() -> None:
    p = page()
    out = expand("<p>x</p>\n<!-- calculator: breakeven -->\n", p)
    assert 'data-calculator="breakeven"' in out
    assert 'data-state="static"' in out
    names = set(re.findall(r'<input[^>]* name="([a-z_]+)"', out))
    assert names == {f.name for f in CALCULATORS["breakeven"].fields}
    expected = hook.run("breakeven", {})["outputs"]
    for key, value in expected.items():
        assert f'data-output="{key}" data-value="{value["value"]}"' in out
    assert p.meta["calculators"] is True


def test_value_marker_quotes_the_same_computation() -> None:
    out = expand("<p>about <!-- value: breakeven.breakeven_steps --> steps</p>")
    text = hook.run("breakeven", {})["outputs"]["breakeven_steps"]["text"]
    assert 'data-quote="breakeven.breakeven_steps"' in out
    assert f">{text}</span> steps" in out


def test_page_without_calculator_does_not_start_python() -> None:
    p = page("index.md", "")
    expand("<p>no markers</p>", p)
    assert p.meta["calculators"] is False


@pytest.mark.parametrize(("text", "message"), [
    ("<!-- calculator: no-such -->", "unknown calculator marker"),
    ("<!-- calculator: frames -->\n<!-- calculator: frames -->", "appears twice"),
    ("<!-- value: no-such.key -->", "unknown calculator in value marker"),
    ("<!-- value: breakeven.no_such_key -->", "unknown key in value marker"),
    ("<!-- figure: no-such -->", "unknown figure marker"),
    ("<!-- calculator breakeven -->", "malformed marker"),
])
def test_every_bad_marker_fails_the_build(text: str, message: str) -> None:
    with pytest.raises(PluginError, match=message):
        expand(text)


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
    with pytest.raises(PluginError, match=r"shares input names \['prior_ratio'\]"):
        expand("<!-- calculator: breakeven -->\n<!-- calculator: frames-copy -->")


def test_no_two_calculators_share_an_input_name() -> None:
    # So any set of calculators can share a page, and a link, without ambiguity.
    seen: dict[str, str] = {}
    for cid, calc in CALCULATORS.items():
        for f in calc.fields:
            assert f.name not in seen, (f.name, seen.get(f.name), cid)
            seen[f.name] = cid
