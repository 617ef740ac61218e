"""Your reading: the crux solver against brute force, links old and new, the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from calculators import CALCULATORS, run
from calculators.bridge import _parse
from calculators.crux import LINES, crux, side_at
from calculators.reading import INPUT_OF, query, read_json, read_link, reading, reading_json

#: Readings the brute force checks: the essay's, and some that sit near their lines.
CASES = [
    ("counting-odds", {}),
    ("counting-odds", {"schemer_count": "2^5", "schemer_bits": "-3", "preference_spread": "4"}),
    ("counting-odds", {"schemer_bits": "-110 to -90"}),
    ("breakeven", {}),
    ("breakeven", {"worth_steps": "90", "target_p_schemer": "0.2"}),
    ("breakeven", {"prior_ratio": "2^80 to 2^120", "worth_steps": "95"}),
    ("restaurants", {}),
    ("restaurants", {"noise": "3", "chinese_count": "4"}),
    ("frames", {}),
    ("frames", {"freed_reward": "0.001", "reward_gap": "0 to 0.002"}),
]
#: Grid points across a span: fewer where inputs are ranges (each point is 50 samples).
FINE, FINE_RANGED = 801, 201


@pytest.mark.parametrize(("calc_id", "raw"), CASES)
def test_crux_matches_brute_force(calc_id: str, raw: dict[str, str]) -> None:
    """Every input's flip is where a fine grid over its span first changes side, and an
    input said not to flip within its span changes side nowhere on that grid."""
    calc = CALCULATORS[calc_id]
    parsed, used = _parse(calc, raw)
    assert set(parsed) == {f.name for f in calc.fields}
    reply = run(calc_id, raw, charts=False)
    fine = FINE_RANGED if reply["ranged"] else FINE
    for line in LINES[calc_id]:
        p = float(reply["outputs"][line.key]["value"])
        above = p > (parsed[line.target].value if line.target else 0.5)
        for flip in crux(calc, line, parsed, used, above):
            step = (flip.high - flip.low) / (fine - 1)
            xs = [flip.low + i * step for i in range(fine)]
            margins = side_at(calc_id, parsed, used, line, [(flip.name, x) for x in xs])
            other = [x for x, m in zip(xs, margins, strict=True) if (m > 0.0) != above]
            if not flip.within:
                assert not other, (flip, other[:3])
                if flip.at is not None:  # found beyond the span: really on the other side
                    m = side_at(calc_id, parsed, used, line, [(flip.name, flip.at)])[0]
                    assert (m > 0.0) != above, flip
                continue
            assert flip.at is not None
            nearest = min(other, key=lambda x: abs(x - flip.value))
            assert abs(flip.at - nearest) <= step * 1.0001, (flip, nearest)
            m = side_at(calc_id, parsed, used, line, [(flip.name, flip.at)])[0]
            assert (m > 0.0) != above, flip


def test_essay_cruxes() -> None:
    """The essay's own exchange rates: 100 bits of preference undo 2^100 schemers; a
    non-schemer worth n* = 100 steps covers the prior."""
    r = reading({})
    parts = {p["id"]: p for p in r["calculators"]}
    counting = {x["name"]: x for x in parts["counting-odds"]["crux"][0]["inputs"]}
    assert float(counting["schemer_bits"]["at"]["value"]) == pytest.approx(-100.0, abs=1e-6)
    assert not counting["schemer_bits"]["within"]
    breakeven = parts["breakeven"]["crux"][0]
    assert breakeven["now"] == "your worth falls short of n*"
    assert breakeven["inputs"][0]["name"] == "worth_steps"
    assert float(breakeven["inputs"][0]["at"]["value"]) == pytest.approx(100.0, rel=1e-9)


def test_headlines_are_the_pages() -> None:
    raw = {"worth_steps": "150", "noise": "2", "beta": "10", "preference_spread": "30"}
    given, _, _ = read_link("?v=2&" + "&".join(f"{k}={v}" for k, v in raw.items()))
    for part in reading(given)["calculators"]:
        mine = {k: v for k, v in raw.items() if INPUT_OF[k] == part["id"]}
        page = run(part["id"], mine, charts=False)["outputs"][CALCULATORS[part["id"]].headline]
        essay = run(part["id"], {}, charts=False)["outputs"][CALCULATORS[part["id"]].headline]
        assert part["headline"]["value"] == page["value"]
        assert part["essay"]["value"] == essay["value"]
        assert part["given"] == mine


def test_input_names_are_unique_across_the_site() -> None:
    assert len(INPUT_OF) == sum(len(c.fields) for c in CALCULATORS.values())


class TestLinks:
    def test_new_link_round_trips(self) -> None:
        given = {"breakeven": {"prior_ratio": "2^50 to 2^150"}, "frames": {"beta": "20"}}
        guesses = {"frames.frame-one": "Neither: close to a coin flip"}
        link = "https://example.org/reading/" + query(given, guesses) + "#top"
        assert read_link(link) == (given, guesses, [])

    def test_old_link_is_migrated(self) -> None:
        given, _, notices = read_link("?v=1&strict_weight=0.5&beta=20")
        assert given["frames"] == {"beta": "20", "reward_gap": "1", "freed_reward": "0",
                                   "simplicity_weight": "1"}
        assert "preference_spread" not in given.get("counting-odds", {})
        assert notices and "strict counting" in notices[0]

    def test_link_without_version_reads_as_today(self) -> None:
        assert read_link("worth_steps=7")[0] == {"breakeven": {"worth_steps": "7"}}

    def test_unknown_names_make_a_notice(self) -> None:
        given, _, notices = read_link("?v=2&nonsense=1&h=search&odds=frames")
        assert given == {} and len(notices) == 1 and "nonsense" in notices[0]

    def test_hostile_link_never_crashes(self) -> None:
        given, _, _ = read_link("?v=zz&bits_per_step=0&%ff%fe=%&guess=:&" + "a=1&" * 500)
        part = next(p for p in reading(given)["calculators"] if p["id"] == "breakeven")
        assert not part["ok"] and "bits_per_step" in part["errors"]

    def test_saved_reading_reads_back(self) -> None:
        r = reading({"restaurants": {"noise": "2"}}, {"breakeven.halving": "100"})
        assert read_json(json.loads(json.dumps(r)))[:2] == (r["given"], r["guesses"])

    def test_door_rejects_bad_json(self) -> None:
        assert json.loads(reading_json("{"))["ok"] is False
        assert json.loads(reading_json("[1]"))["ok"] is True  # no inputs: the essay's


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "calculators", "reading", *args],
                          capture_output=True, text=True, timeout=120, check=False)


class TestCli:
    def test_link_json_matches_the_function(self) -> None:
        link = "?v=2&worth_steps=150&noise=2&guess=breakeven.halving:100"
        p = cli("--from", link, "--json")
        assert p.returncode == 0, p.stderr
        assert json.loads(p.stdout) == json.loads(json.dumps(reading(*read_link(link))))

    def test_file(self, tmp_path: Path) -> None:
        f = tmp_path / "r.json"
        f.write_text(json.dumps({"frames": {"beta": "20"}}), encoding="utf-8")
        p = cli("--from", str(f), "--json")
        assert p.returncode == 0, p.stderr
        assert json.loads(p.stdout)["query"] == "?v=2&beta=20"
        text = cli("--from", str(f))
        assert "Two frames" in text.stdout and "link: ?v=2&beta=20" in text.stdout

    def test_missing_file_exits_2(self, tmp_path: Path) -> None:
        p = cli("--from", str(tmp_path / "none.json"))
        assert p.returncode == 2 and not p.stdout


class TestPage:
    """The page's markers (page_transforms/reading.py): prerendered at the essay's values."""

    def test_markers_expand_on_the_page(self) -> None:
        from page_transforms.reading import expand

        out = expand("<!-- reading: controls --><!-- reading: breakeven -->"
                     "<!-- reading: guesses -->", "reading.md")
        assert "<!--" not in out and "data-reading-status" in out
        essay = reading({})["calculators"][1]["headline"]["value"]
        assert f'data-reading="headline" data-value="{essay}"' in out

    def test_markers_elsewhere_or_unknown_fail(self) -> None:
        from page_transforms.markers import MarkerError
        from page_transforms.reading import expand

        with pytest.raises(MarkerError):
            expand("<!-- reading: breakeven -->", "index.md")
        with pytest.raises(MarkerError):
            expand("<!-- reading: nonsense -->", "reading.md")
        assert expand("<p>x</p>", "index.md") == "<p>x</p>"
