"""Hostile input: fuzzed fields, hostile query strings, pathological but valid numbers.

Hypothesis drives the fields through one page per calculator page, created in the
test body (pytest-playwright's function-scoped fixtures do not mix with @given).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from conftest import CALCULATOR_PAGES, LINK, NewContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from playwright.sync_api import Dialog, Page, expect
from test_live import ready, settle, type_into

from calculators import CALCULATORS, run

# Words that must never reach the reader in a result or status line.
LEAKS = re.compile(r"NaN|undefined|\binf\b|\binfinity\b|Traceback|\[object|null", re.IGNORECASE)

READ_CALC = """(id) => {
  const root = document.querySelector(`[data-calculator="${id}"]`);
  const outputs = {};
  for (const cell of root.querySelectorAll('[data-output]')) {
    outputs[cell.dataset.output] = [cell.dataset.text, cell.dataset.value];
  }
  const errors = {};
  for (const slot of root.querySelectorAll('[data-error-for]')) {
    errors[slot.dataset.errorFor] = slot.textContent;
  }
  const quotes = [...document.querySelectorAll(`[data-quote^="${id}."]:not([data-input])`)]
    .map((q) => q.dataset.text);
  return {
    state: root.dataset.state,
    stale: root.querySelector('[data-results]').hasAttribute('data-stale'),
    status: root.querySelector('[data-status]').textContent,
    outputs, errors, quotes,
    invalid: [...root.querySelectorAll('input[aria-invalid="true"]')].map((i) => i.name),
    restarts: window.calcRuntime.stats().restarts,
    timeouts: window.calcRuntime.stats().timeouts,
  };
}"""


def read(page: Page, calc_id: str) -> dict[str, Any]:
    return page.evaluate(READ_CALC, calc_id)  # type: ignore[no-any-return]


def leaks(snapshot: dict[str, Any]) -> list[str]:
    """Forbidden words in results, quoted numbers or the status line."""
    texts = [t for t, _ in snapshot["outputs"].values()] + snapshot["quotes"]
    texts.append(snapshot["status"])
    return [t for t in texts if LEAKS.search(t)]


def open_pages(new_context: NewContext, site: str) -> tuple[Any, dict[str, Page], list[str]]:
    """One tab per calculator page, each ready; page errors collected."""
    context = new_context(service_workers="block")
    errors: list[str] = []
    pages: dict[str, Page] = {}
    for path in sorted(set(CALCULATOR_PAGES.values())):
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
        page.on(
            "console",
            lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None,
        )
        page.goto(site + path)
        for calc_id, p in CALCULATOR_PAGES.items():
            if p == path:
                pages[calc_id] = page
    for calc_id, page in pages.items():
        ready(page, calc_id)
    return context, pages, errors


# ---------------------------------------------------------------------------
# Fuzzing the fields
# ---------------------------------------------------------------------------

HOSTILE = [
    "2^9999999999", "2^-9999999999", "2^(10^9)", "10^^10", "1e309", "-1e309", "1e-400",
    "-0", "0", "-1", "0 to 1e400", "1e400 to 0", "5 to 5", "3 to 1", "NaN", "nan",
    "Infinity", "-inf", "inf to inf", "", " ", "\t\n", "\u00a0", "１２３", "٣", "1_000",
    "0x10", "1,000", "1.2.3", "--1", "+-1", "1 to", "to 1", "1 to 2 to 3", "1e", "e1",
    "2^", "^2", "2^^2", "(", "2^(", "%", "50%", "1/0", "0/0", "1/3", "__import__('os')",
    "<img src=x onerror=window.__pwned=1>", "\"><script>window.__pwned=1</script>",
    "javascript:alert(1)", "${7*7}", "{{7*7}}", "\u202e1", "1\u200b", "\ud83d\ude00",
    "1" * 10_000, "9" * 400, "x" * 10_000, "2^" + "9" * 400, "0." + "0" * 5000 + "1",
]

numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(allow_nan=False, allow_infinity=False).map(lambda x: f"{x:g}"),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.integers(min_value=-(10**12), max_value=10**12).map(lambda n: f"2^{n}"),
    st.integers(min_value=-(10**6), max_value=10**6).map(lambda n: f"1e{n}"),
)
hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    numbers,
    st.tuples(numbers, numbers).map(lambda ab: f"{ab[0]} to {ab[1]}"),
    st.text(max_size=40),
    st.text(alphabet="0123456789.eE^+-() to", max_size=20),
)
fields = st.sampled_from(
    [(calc_id, f.name) for calc_id, calc in sorted(CALCULATORS.items()) for f in calc.fields]
)


def test_fuzzed_fields_never_leak_or_hang(new_context: NewContext, site: str) -> None:
    context, pages, errors = open_pages(new_context, site)
    last_good = {c: read(p, c)["outputs"] for c, p in pages.items()}
    seen: list[tuple[str, str, str]] = []

    @settings(
        max_examples=60,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(target=fields, text=hostile_text)
    def one(target: tuple[str, str], text: str) -> None:
        calc_id, name = target
        page = pages[calc_id]
        seen.append((calc_id, name, text[:40]))
        type_into(page, calc_id, name, text)
        settle(page, calc_id)
        snap = read(page, calc_id)
        assert not leaks(snap), (calc_id, name, text, leaks(snap))
        assert not any("Traceback" in e or "undefined" in e for e in snap["errors"].values())
        expected = run(calc_id, {name: text})
        if expected["ok"]:
            assert not snap["stale"], (calc_id, name, text)
            assert snap["invalid"] == [], (calc_id, name, text, snap["errors"])
            assert {k: v[0] for k, v in snap["outputs"].items()} == {
                k: v["text"] for k, v in expected["outputs"].items()
            }, (calc_id, name, text)
            last_good[calc_id] = snap["outputs"]
        else:
            assert snap["stale"], (calc_id, name, text)
            assert snap["outputs"] == last_good[calc_id], (calc_id, name, text)
            for field, message in expected["errors"].items():
                if field:
                    assert snap["errors"][field] == message, (calc_id, name, text)
                    assert field in snap["invalid"]
        assert (snap["restarts"], snap["timeouts"]) == (0, 0), (calc_id, name, text)
        assert errors == [], (calc_id, name, text, errors)
        # Back to the default, so each example starts from a valid form.
        default = next(f.default for f in CALCULATORS[calc_id].fields if f.name == name)
        type_into(page, calc_id, name, default)
        settle(page, calc_id)
        assert not read(page, calc_id)["stale"]
        last_good[calc_id] = read(page, calc_id)["outputs"]

    one()
    for page in set(pages.values()):
        assert page.evaluate("window.__pwned") is None
    context.close()
    assert len(seen) >= 40


def test_rapid_typing_settles_on_the_last_value(new_context: NewContext, site: str) -> None:
    """A burst of input events (some junk, some huge) ends computed for the last one."""
    context, pages, errors = open_pages(new_context, site)
    page = pages["breakeven"]
    field = page.locator('[data-calculator="breakeven"] input[name="prior_ratio"]')
    field.focus()
    for text in ["2^9999999999", "junk", "1e309", "1 to 1e300", "", "2^1000000000", "2^200"]:
        field.fill(text)  # an input event each, no pause for the worker
    field.dispatch_event("change")
    settle(page, "breakeven")
    snap = read(page, "breakeven")
    assert snap["outputs"]["breakeven_steps"][1] == "200.0"
    assert not snap["stale"] and not leaks(snap)
    assert errors == []
    context.close()


# ---------------------------------------------------------------------------
# Hostile URLs
# ---------------------------------------------------------------------------

SCRIPTY = [
    "<img src=x onerror=window.__pwned=1>",
    "javascript:alert(1)",
    '"><script>window.__pwned=1</script>',
    "<svg onload=window.__pwned=1>",
    "'; window.__pwned=1; '",
]
JUNK = ["banana", "x" * 10_000, "%%%", "\u0001", "\ud7ff\ue000", "1 to <b>2</b>"]

COUNT_ELEMENTS = """() => ({
  img: document.querySelectorAll('img').length,
  script: document.querySelectorAll('script').length,
  iframe: document.querySelectorAll('iframe').length,
  svg: document.querySelectorAll('[data-calculator] form svg').length,
})"""


NAVIGATE = """(u) => {
  history.pushState(null, '', u);
  dispatchEvent(new PopStateEvent('popstate'));
}"""


def test_hostile_query_values_are_text_never_markup(new_context: NewContext, site: str) -> None:
    """The first link is a real page load; the rest arrive through history (popstate),
    the same path a shared link's query takes into the form, without a new boot."""
    context = new_context(service_workers="block")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    def on_dialog(dialog: Dialog) -> None:
        errors.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    path = CALCULATOR_PAGES["breakeven"]
    root = page.locator('[data-calculator="breakeven"]')
    names = ("prior_ratio", "target_p_schemer")
    baseline: dict[str, int] | None = None
    for i, value in enumerate(SCRIPTY + JUNK):
        query = "&".join(f"{n}={quote(value)}" for n in names)
        url = f"{site}{path}?{LINK}&{query}&{quote(value)}={quote(value)}"
        if i == 0:
            page.goto(url)
            ready(page, "breakeven")
        else:
            page.evaluate(NAVIGATE, url)
            settle(page, "breakeven")
        for name in names:
            field = root.locator(f'input[name="{name}"]')
            expect(field).to_have_value(value)
            expect(field).to_have_attribute("aria-invalid", "true")
            message = root.locator(f'[data-error-for="{name}"]')
            expect(message).not_to_be_empty()
            assert message.evaluate("(e) => e.children.length") == 0  # text, not markup
        expect(root.locator("[data-results]")).to_have_attribute("data-stale", "")
        assert page.evaluate("window.__pwned") is None, value
        counts = page.evaluate(COUNT_ELEMENTS)
        baseline = baseline or counts
        assert counts == baseline, value
        assert not leaks(read(page, "breakeven")), value
    assert errors == []
    # The page stays usable: a valid edit computes.
    for name in names:
        default = next(f.default for f in CALCULATORS["breakeven"].fields if f.name == name)
        type_into(page, "breakeven", name, default)
    type_into(page, "breakeven", "prior_ratio", "2^300")
    settle(page, "breakeven")
    expect(root.locator('[data-output="breakeven_steps"]')).to_have_attribute(
        "data-value", "300.0"
    )
    expect(root.locator("[data-results]")).not_to_have_attribute("data-stale", "")
    context.close()


def test_empty_repeated_and_unknown_query_values(new_context: NewContext, site: str) -> None:
    context = new_context(service_workers="block")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    path = CALCULATOR_PAGES["breakeven"]
    root = page.locator('[data-calculator="breakeven"]')

    # Empty: a required field says so; an optional one is simply unset.
    page.goto(f"{site}{path}?{LINK}&prior_ratio=&training_tokens=")
    ready(page, "breakeven")
    expect(root.locator('input[name="prior_ratio"]')).to_have_attribute("aria-invalid", "true")
    expect(root.locator('[data-error-for="prior_ratio"]')).to_have_text(
        run("breakeven", {"prior_ratio": ""})["errors"]["prior_ratio"]
    )
    expect(root.locator('input[name="training_tokens"]')).not_to_have_attribute(
        "aria-invalid", "true"
    )

    # Repeated: the first value wins, as URLSearchParams.get has it.
    page.goto(f"{site}{path}?{LINK}&prior_ratio=2^10&prior_ratio=2^20&v=9&v=")
    ready(page, "breakeven")
    expect(root.locator('input[name="prior_ratio"]')).to_have_value("2^10")
    expect(root.locator('[data-output="breakeven_steps"]')).to_have_attribute(
        "data-value", "10.0"
    )

    # Unknown and malformed parameters are ignored; percent-junk does not break the page.
    page.goto(f"{site}{path}?{LINK}&evil=%3Cscript%3E&%E0%A4%A=1&bits_per_step=2&=&&")
    ready(page, "breakeven")
    expect(root.locator('[data-output="breakeven_steps"]')).to_have_attribute(
        "data-value", "50.0"
    )

    # A huge valid-looking value: 10,000 digits is a count of about 2^33219.
    page.goto(f"{site}{path}?{LINK}&prior_ratio={'9' * 10_000}")
    ready(page, "breakeven")
    snap = read(page, "breakeven")
    assert not leaks(snap)
    expected = run("breakeven", {"prior_ratio": "9" * 10_000})
    if expected["ok"]:
        steps = expected["outputs"]["breakeven_steps"]["text"]
        assert snap["outputs"]["breakeven_steps"][0] == steps
    else:
        assert snap["errors"]["prior_ratio"] == expected["errors"]["prior_ratio"]

    # Still usable afterwards.
    type_into(page, "breakeven", "prior_ratio", "2^64")
    settle(page, "breakeven")
    expect(root.locator('[data-output="breakeven_steps"]')).to_have_attribute(
        "data-value", "64.0"
    )
    assert errors == []
    context.close()


# ---------------------------------------------------------------------------
# Pathological but valid
# ---------------------------------------------------------------------------

EXTREMES: list[tuple[str, dict[str, str]]] = [
    ("breakeven", {"prior_ratio": "2^1000000000"}),
    ("breakeven", {"prior_ratio": "1 to 1e300"}),
    ("breakeven", {"prior_ratio": "2^-1000000000"}),  # no steps needed: true zeros
    ("breakeven", {"prior_ratio": "2^1000000000", "bits_per_step": "1e-9"}),
    ("breakeven", {"training_steps": "1 to 1e300"}),
    ("breakeven", {"target_p_schemer": "1e-300"}),
    ("breakeven", {"target_p_schemer": "0.999999999999"}),
    ("counting-odds", {"schemer_count": "2^1000000000"}),
    ("counting-odds", {"saint_count": "2^1000000000", "schemer_bits": "-1000000"}),
    ("counting-odds", {"schemer_count": "1 to 1e300", "preference_spread": "0"}),
    ("counting-odds", {"preference_spread": "1e15"}),
    ("counting-odds", {"preference_spread": "0 to 1e6"}),
    ("counting-odds", {"saint_bits": "-1000 to 1000", "schemer_bits": "-1000 to 1000"}),
    ("frames", {"simplicity_weight": "0 to 1e9"}),
    ("restaurants", {"chinese_count": "2^1000000000"}),
    ("restaurants", {"chinese_count": "1 to 1e300"}),
    ("frames", {"simplicity_bits": "1e9"}),
    ("frames", {"beta": "1e15", "reward_gap": "1e15"}),
    ("frames", {"reward_gap": "1e-300 to 1e15"}),
]
# Outputs that are exactly zero by the arithmetic (not by underflow): with prior odds
# below 1, SGD needs no extra steps at all.
TRUE_ZEROS = {
    ("breakeven", "2^-1000000000"): {"breakeven_steps", "training_fraction", "steps_to_target"},
}
# Zero by the defaults themselves (no worth to SGD assumed, no reward edge), unless the
# case sets the input: output -> the input whose default makes it zero.
DEFAULT_ZEROS = {"breakeven": {"worth_bits": "worth_steps"},
                 "frames": {"reward_gap_bits": "reward_gap"}}
# At the edges of what a probability can be, a target that can never be reached is a
# field error with a message, not a number.
EDGE_ERRORS: list[tuple[str, dict[str, str]]] = [
    ("breakeven", {"target_p_schemer": "0"}),
    ("breakeven", {"target_p_schemer": "1"}),
]


def test_pathological_inputs_give_finite_readable_answers(
    new_context: NewContext, site: str,
) -> None:
    context, pages, errors = open_pages(new_context, site)
    for calc_id, inputs in EXTREMES + EDGE_ERRORS:
        page = pages[calc_id]
        expected = run(calc_id, inputs)
        for name, text in inputs.items():
            type_into(page, calc_id, name, text)
        settle(page, calc_id)
        snap = read(page, calc_id)
        where = (calc_id, inputs)
        assert not leaks(snap), (where, leaks(snap))
        assert (snap["restarts"], snap["timeouts"]) == (0, 0), where
        if (calc_id, inputs) in EDGE_ERRORS:
            assert not expected["ok"], where
            for name in inputs:
                assert snap["errors"][name] == expected["errors"][name], where
        else:
            assert expected["ok"], (where, expected.get("errors"))
            assert not snap["stale"], where
            for key, (text, value) in snap["outputs"].items():
                assert text == expected["outputs"][key]["text"], (where, key)
                zeros = TRUE_ZEROS.get((calc_id, next(iter(inputs.values()))), set()) | {
                    out for out, name in DEFAULT_ZEROS.get(calc_id, {}).items()
                    if name not in inputs}
                if key in zeros:
                    assert float(value) == 0.0, (where, key, value)
                else:
                    assert text.strip() not in {"", "0", "0%", "−0", "-0"}, (where, key, text)
                assert value not in {"nan", "inf", "-inf"}, (where, key, value)
        for name in inputs:  # back to the defaults
            default = next(f.default for f in CALCULATORS[calc_id].fields if f.name == name)
            type_into(page, calc_id, name, default)
        settle(page, calc_id)
    assert errors == []
    context.close()

