"""Display text for numbers: plain, powers of two and ten, percentages, tails near 1.

Text uses the real minus sign "−" for negative numbers and "×" for products; exponents
keep ASCII "-" (``10^-30``) so the text can be pasted back into a field.  A finite
nonzero quantity is never shown as ``0``, ``inf`` or ``nan``.
"""

from __future__ import annotations

import math
import re

from .logspace import log2_p, log2_q

__all__ = [
    "brief",
    "fmt_count_log2",
    "fmt_fraction_log2",
    "fmt_number",
    "fmt_probability",
    "fmt_sci_log10",
    "powers_html",
]

LOG10_2 = math.log10(2.0)
_TINY = math.log2(1e-4)


def _strip(s: str) -> str:
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def fmt_sci_log10(lg: float) -> str:
    """Return ``m × 10^e`` for the number whose log10 is ``lg`` (3 significant digits).

    >>> fmt_sci_log10(30.1038)
    '1.27 × 10^30'
    >>> fmt_sci_log10(-301029.9956639812)
    '1.01 × 10^-301030'
    """
    if abs(lg) >= 1e15:  # the exponent itself is astronomically large: nest the power
        return f"10^{'-' if lg < 0 else ''}({fmt_sci_log10(math.log10(abs(lg)))})"
    if abs(lg) >= 1e12:  # too few bits left for a meaningful mantissa
        return f"10^{math.floor(lg)}"
    e = math.floor(lg)
    m = 10.0 ** (lg - e)
    ms = _strip(f"{m:.3g}") if m < 9.995 else "1"
    if m >= 9.995:
        e += 1
    ms = _strip(f"{float(ms):.2f}")
    head = "" if ms == "1" else f"{ms} × "
    return f"{head}10^{e}"


def _exp_text(x: float) -> str:
    if abs(x) >= 1e15:
        return f"{'-' if x < 0 else ''}({fmt_sci_log10(math.log10(abs(x)))})"
    r = round(x)
    if abs(x - r) <= 1e-9 * max(1.0, abs(x)):
        return str(int(r))
    return _strip(f"{x:.6g}")


def fmt_number(x: float) -> str:
    """Return a plain number: ``100``, ``1,000,000``, ``1.5``, ``−2.5``, ``1.27 × 10^30``.

    >>> fmt_number(1e6), fmt_number(0.0123), fmt_number(-2.5), fmt_number(1.27e30)
    ('1,000,000', '0.0123', '−2.5', '1.27 × 10^30')
    """
    if math.isnan(x):
        return "undefined"
    if x == 0.0:
        return "0"
    if math.isinf(x):
        return "−∞" if x < 0 else "∞"
    ax = abs(x)
    sign = "−" if x < 0 else ""
    if ax >= 1e15 or ax < 1e-4:
        return sign + fmt_sci_log10(math.log10(ax))
    r = round(ax)
    if abs(ax - r) <= 1e-9 * ax:
        return f"{sign}{r:,}"
    d = max(0, 3 - math.floor(math.log10(ax)))
    return sign + _strip(f"{ax:,.{d}f}")


def fmt_count_log2(lg2: float) -> str:
    """Return a positive quantity given its log2: plain when moderate, else a power.

    >>> fmt_count_log2(100.0)
    '2^100 (≈ 1.27 × 10^30)'
    >>> fmt_count_log2(-1000000.0)
    '2^-1000000 (≈ 1.01 × 10^-301030)'
    >>> fmt_count_log2(math.log2(1e6))
    '1,000,000'
    >>> fmt_count_log2(30 * math.log2(10))
    '10^30 (≈ 2^99.6578)'
    """
    if math.isnan(lg2):
        return "undefined"
    if lg2 == -math.inf:
        return "0"
    if _TINY <= lg2 < 49.8:
        return fmt_number(2.0**lg2)
    sci = fmt_sci_log10(lg2 * LOG10_2)
    ex = _exp_text(lg2)
    if "." not in ex and "e" not in ex and "(" not in ex:
        return f"2^{ex} (≈ {sci})"
    if "(" in ex:
        return f"2^{ex}"
    return f"{sci} (≈ 2^{ex})"


def _small(lg2: float) -> str:
    """A tiny positive quantity from its log2: a power of two if whole, else scientific."""
    ex = _exp_text(lg2)
    if "(" in ex:
        return f"2^{ex}"
    if "." not in ex and "e" not in ex and abs(lg2) >= 20:
        return f"2^{ex} (≈ {fmt_sci_log10(lg2 * LOG10_2)})"
    return fmt_sci_log10(lg2 * LOG10_2)


def _percent(x: float) -> str:
    d = max(0, 2 - math.floor(math.log10(x)))
    return _strip(f"{x:,.{d}f}") + "%"


def fmt_probability(t: float) -> str:
    """Return a probability given its log2 odds ``t``: ``1%``, ``2^-1000000 (≈ …)``, ``1 − …``.

    >>> fmt_probability(math.log2(0.0001 / 0.9999))
    '0.01%'
    >>> fmt_probability(-1000000.0)
    '2^-1000000 (≈ 1.01 × 10^-301030)'
    >>> fmt_probability(5000000.0)
    '1 − 2^-5000000 (≈ 1 − 1.05 × 10^-1505150)'
    >>> fmt_probability(math.log2(1 / 2.4e-30))
    '1 − 2.4 × 10^-30'
    """
    if math.isnan(t):
        return "undefined"
    if t == -math.inf:
        return "0"
    if t == math.inf:
        return "1"
    lp, lq = log2_p(t), log2_q(t)
    if lp < _TINY:
        return _small(lp)
    if lq < _TINY:
        small = _small(lq)
        if " (≈ " in small:  # "1 − 2^-100 (≈ 1 − 7.89 × 10^-31)", never "(≈ 7.89 × …)"
            head, approx = small.split(" (≈ ", 1)
            return f"1 − {head} (≈ 1 − {approx}"
        return "1 − " + small
    if t <= 0.0:
        return _percent(100.0 * 2.0**lp)
    q100 = 100.0 * 2.0**lq
    d = max(0, 1 - math.floor(math.log10(q100)), 2 - math.floor(math.log10(100.0 - q100)))
    s = _strip(f"{100.0 - q100:.{d}f}")
    return s + "%"


def fmt_fraction_log2(lg2: float) -> str:
    """Return a positive ratio given its log2, as a percentage.

    >>> fmt_fraction_log2(math.log2(1e-4))
    '0.01%'
    >>> fmt_fraction_log2(-1000.0)
    '9.33 × 10^-300%'
    """
    if math.isnan(lg2):
        return "undefined"
    if lg2 == -math.inf:
        return "0%"
    lg10 = lg2 * LOG10_2 + 2.0
    if -4.0 <= lg10 < 9.0:
        return _percent(10.0**lg10)
    return fmt_sci_log10(lg10) + "%"



def brief(text: str) -> str:
    """A display text without its "(≈ …)" gloss, for use inside a sentence.

    >>> brief("1 − 2^-100 (≈ 1 − 7.89 × 10^-31)"), brief("25%")
    ('1 − 2^-100', '25%')
    """
    return text.split(" (≈ ", 1)[0]


_POWER = re.compile(r"(\d+(?:\.\d+)?)\^(-?\((?:[^()]|\([^()]*\))*\)|-?[\d.,]+)")


def _spoken(text: str) -> str:
    """How a screen reader should say a number text with powers in it.

    >>> _spoken("2^-(1.2 × 10^15)")
    '2 to the power minus 1.2 times 10 to the power 15'
    >>> _spoken("2^((2)^3)")  # a "^" after a bracket stays as it is
    '2 to the power 2^3'
    """
    while (said := _POWER.sub(lambda m: f"{m.group(1)} to the power {m.group(2)}", text)) != text:
        text = said
    return (text.replace("-", "minus ").replace("−", "minus ").replace("×", "times")
            .replace("(", "").replace(")", "").replace("≈", "about"))


def _typeset(text: str) -> str:
    """Escaped HTML with every power as a superscript (nested ones too)."""
    out, last = [], 0
    for m in _POWER.finditer(text):
        out.append(_esc(text[last:m.start()]))
        exp = m.group(2)
        if exp.lstrip("-").startswith("("):
            sign = "−" if exp.startswith("-") else ""
            inner = f"{sign}({_typeset(exp.lstrip('-')[1:-1])})"
        else:
            inner = _esc(exp).replace("-", "−")
        out.append(f"{_esc(m.group(1))}<sup>{inner}</sup>")
        last = m.end()
    out.append(_esc(text[last:]))
    return "".join(out)


def powers_html(text: str) -> str:
    """Escaped HTML of a display text with its powers typeset: 2^-100 as 2<sup>−100</sup>.

    Each power is one element a screen reader hears as "2 to the power minus 100"
    (``role="img"`` with a spoken label), and ``data-text`` keeps the typed form, which
    the page puts on the clipboard when the reader copies it.  The caret form stays in
    the JSON, the CLI and the inputs.

    >>> html = powers_html("2^-100 (≈ 7.89 × 10^-31)")
    >>> html.count('class="pow"'), 'aria-label="2 to the power minus 100"' in html
    (2, True)
    >>> print(html.split('data-text="2^-100">')[1].split("</span>")[0])
    2<sup>−100</sup>
    >>> print(powers_html("1 − 2^-(1.2 × 10^15)").split(">", 1)[1])
    2<sup>−(1.2 × 10<sup>15</sup>)</sup></span>
    >>> powers_html("a < b")
    'a &lt; b'
    """
    out, last = [], 0
    for m in _POWER.finditer(text):
        out.append(_esc(text[last:m.start()]))
        whole = m.group(0)
        out.append(f'<span class="pow" role="img" aria-label="{_esc(_spoken(whole))}" '
                   f'data-text="{_esc(whole)}">{_typeset(whole)}</span>')
        last = m.end()
    out.append(_esc(text[last:]))
    return "".join(out)


def _esc(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))
