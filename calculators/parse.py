"""Read a field's raw text: numbers, powers, separators, percentages and ranges.

Counts are read straight into log2, so ``2^1000000000`` costs no more than ``2``:
no huge integer is ever built, and nothing is ever evaluated as code.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .fmt import fmt_count_log2, fmt_number
from .spec import Field

__all__ = ["MAX_CHARS", "InputError", "Parsed", "parse_field"]

MAX_CHARS = 100
LOG2_10 = math.log2(10.0)


class InputError(ValueError):
    """Bad text in one field: ``field`` is its name, ``message`` the reader's sentence."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Parsed:
    """A parsed field: ``value`` is the point (log2 for counts); ``low``/``high`` a range.

    For a range the point is its middle (geometric middle for counts).
    ``empty`` marks an optional field left blank (``value`` is then NaN).
    """

    value: float
    low: float | None = None
    high: float | None = None
    empty: bool = False

    @property
    def is_range(self) -> bool:
        """Whether the text was a range such as ``50 to 150``."""
        return self.low is not None


@dataclass(frozen=True)
class _Num:
    """A parsed number: its sign, log2 of its magnitude, and its float (may be inf)."""

    sign: int
    log2: float
    value: float


class _Bad(Exception):
    """Internal: the text is not a number (the caller words the message)."""


_TOKEN = re.compile(r"\s*(?:(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|(\S))")
_RANGE = re.compile(r"\s+to\s+|\s*[–—]\s*", re.IGNORECASE)
_GROUPS = re.compile(r"(?<=\d)[,_ ](?=\d{3}(?!\d))")


def _number(mant: str, exp: str | None) -> _Num:
    m = float(mant)
    e = float(exp[1:]) if exp else 0.0
    if m == 0.0:
        return _Num(0, -math.inf, 0.0)
    log2 = math.log2(m) + e * LOG2_10
    if not math.isfinite(log2):
        raise _Bad
    try:
        value = float(mant + (exp or ""))
    except OverflowError:  # pragma: no cover - float() returns inf instead
        value = math.inf
    if value == 0.0 or math.isinf(value):
        value = math.inf if log2 > 0 else 0.0
    return _Num(1, log2, value)


def _from_log2(sign: int, log2: float) -> _Num:
    if not math.isfinite(log2) and sign != 0:
        raise _Bad
    if sign == 0:
        return _Num(0, -math.inf, 0.0)
    value = sign * 2.0**log2 if log2 < 1023.5 else sign * math.inf
    return _Num(sign, log2, value)


class _Reader:
    """Recursive descent over tokens: expr := sign? product; product := power ([*/] power)*."""

    def __init__(self, text: str) -> None:
        self.tokens: list[tuple[str, str | None]] = []
        pos = 0
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if m is None:
                if text[pos:].strip() == "":
                    break
                raise _Bad
            if m.group(3) is not None:
                self.tokens.append((m.group(3), None))
            else:
                self.tokens.append((m.group(1), m.group(2)))
            pos = m.end()
        self.i = 0

    def peek(self) -> str | None:
        return self.tokens[self.i][0] if self.i < len(self.tokens) else None

    def take(self) -> tuple[str, str | None]:
        if self.i >= len(self.tokens):
            raise _Bad
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def expr(self, depth: int = 0) -> _Num:
        if depth > 6:
            raise _Bad
        sign = 1
        while self.peek() in ("-", "+"):
            if self.take()[0] == "-":
                sign = -sign
        n = self.product(depth)
        return _Num(sign * n.sign, n.log2, sign * n.value)

    def product(self, depth: int) -> _Num:
        n = self.power(depth)
        while self.peek() in ("*", "x", "/"):
            divide = self.take()[0] == "/"
            m = self.power(depth)
            if divide:
                if m.sign == 0:
                    raise _Bad
                q = n.value / m.value if m.value != 0.0 else math.inf
                n = _Num(n.sign * m.sign, n.log2 - m.log2, q if math.isfinite(q) else math.inf)
            else:
                n = _Num(n.sign * m.sign, n.log2 + m.log2, n.value * m.value
                         if math.isfinite(n.value * m.value) else math.inf)
            if n.sign == 0:
                n = _Num(0, -math.inf, 0.0)
            elif not math.isfinite(n.value) or n.value == 0.0:
                n = _from_log2(n.sign, n.log2)
        return n

    def power(self, depth: int) -> _Num:
        base = self.atom(depth)
        if self.peek() != "^":
            return base
        self.take()
        sign = 1
        while self.peek() in ("-", "+"):
            if self.take()[0] == "-":
                sign = -sign
        ex = self.power(depth + 1)
        if abs(ex.value) == math.inf or (ex.sign != 0 and ex.log2 > 1000):
            raise _Bad
        e = sign * ex.value
        if base.sign <= 0:
            # Negative or zero bases only with whole exponents: keep it simple.
            if base.sign == 0 and e > 0:
                return _Num(0, -math.inf, 0.0)
            raise _Bad
        log2 = base.log2 * e
        if not math.isfinite(log2):
            raise _Bad
        try:
            value = math.pow(base.value, e) if math.isfinite(base.value) else math.inf
        except OverflowError:
            value = math.inf
        if value == 0.0 or math.isinf(value):
            return _from_log2(1, log2)
        return _Num(1, log2, value)

    def atom(self, depth: int) -> _Num:
        tok, exp = self.take()
        if tok == "(":
            n = self.expr(depth + 1)
            if self.take()[0] != ")":
                raise _Bad
            return n
        if tok[0].isdigit() or tok[0] == ".":
            return _number(tok, exp)
        raise _Bad


def _read(text: str, percent_ok: bool) -> tuple[_Num, bool]:
    """One number (not a range); returns it and whether it ended in ``%``."""
    s = text.strip().replace("−", "-").replace("**", "^").replace("×", "*")
    s = s.replace("·", "*")
    s = _GROUPS.sub("", s)
    percent = s.endswith("%")
    if percent:
        if not percent_ok:
            raise _Bad
        s = s[:-1]
    if not s:
        raise _Bad
    r = _Reader(s)
    n = r.expr()
    if r.peek() is not None:
        raise _Bad
    if percent:
        n = _Num(n.sign, n.log2 - math.log2(100.0), n.value / 100.0)
    return n, percent


def _limit_text(field: Field, x: float) -> str:
    return fmt_count_log2(x) if field.kind == "count" else fmt_number(x)


def _convert(field: Field, text: str) -> float:
    """One side of the field's text, in the field's own scale, checked against limits."""
    label = field.label
    hint = f"enter a number such as {field.example}."
    try:
        n, _ = _read(text, field.kind == "probability")
    except (_Bad, ValueError, OverflowError):
        raise InputError(field.name, f"{label}: {hint}") from None
    if field.kind == "count":
        if n.sign <= 0:
            raise InputError(field.name, f"{label}: must be more than 0; {hint}")
        x = n.log2
    else:
        x = n.value
        if not math.isfinite(x):
            raise InputError(field.name, f"{label}: too large; {hint}")
    lo, hi = field.minimum, field.maximum
    if lo is not None and (x < lo or (field.min_exclusive and x == lo)):
        word = "more than" if field.min_exclusive else "at least"
        raise InputError(field.name, f"{label}: must be {word} {_limit_text(field, lo)}; {hint}")
    if hi is not None and (x > hi or (field.max_exclusive and x == hi)):
        word = "less than" if field.max_exclusive else "at most"
        raise InputError(field.name, f"{label}: must be {word} {_limit_text(field, hi)}; {hint}")
    return x


def parse_field(field: Field, text: str) -> Parsed:
    """Parse a field's raw text; counts come back as log2.  Raises only ``InputError``.

    >>> from calculators.spec import Field
    >>> f = Field("n", "Prior odds", "2^100", "count", "", example="2^100")
    >>> parse_field(f, "2^1000000000").value
    1000000000.0
    >>> parse_field(f, "1,024").value
    10.0
    >>> parse_field(f, "2^100/3").value == 100 - math.log2(3)
    True
    >>> parse_field(f, "2^10 to 2^20")
    Parsed(value=15.0, low=10.0, high=20.0, empty=False)
    >>> parse_field(f, "2^")
    Traceback (most recent call last):
    ...
    calculators.parse.InputError: Prior odds: enter a number such as 2^100.
    """
    label = field.label
    if not isinstance(text, str):
        raise InputError(field.name, f"{label}: enter a number such as {field.example}.")
    if len(text) > MAX_CHARS:
        raise InputError(
            field.name,
            f"{label}: at most {MAX_CHARS} characters; enter a number such as {field.example}.",
        )
    if not text.strip():
        if field.optional:
            return Parsed(math.nan, empty=True)
        raise InputError(
            field.name, f"{label}: required; enter a number such as {field.example}."
        )
    parts = _RANGE.split(text.strip())
    if len(parts) == 1:
        return Parsed(_convert(field, parts[0]))
    if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
        raise InputError(
            field.name, f"{label}: a range needs two ends, such as {_range_example(field)}."
        )
    low, high = _convert(field, parts[0]), _convert(field, parts[1])
    if low > high:
        raise InputError(
            field.name,
            f"{label}: the low end of a range comes first, as in {_range_example(field)}.",
        )
    return Parsed((low + high) / 2.0, low, high)


def _range_example(field: Field) -> str:
    if field.kind == "count":
        return "2^90 to 2^110"
    if field.kind == "probability":
        return "0.1 to 0.9"
    return "5 to 15"
