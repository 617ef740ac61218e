"""Link previews: what a chat or forum client shows when a page's address is shared.

Each page gets Open Graph and Twitter card tags (``overrides/main.html`` writes them from
``Preview``) and a 1200x630 PNG drawn here at build time, in the site's look: the site's
name on the theme's indigo, the page's title, its one-line takeaway and, on a page
holding a calculator, that calculator's headline number at its defaults, computed by
the same bridge call the page's prerender makes.

The takeaway is the page's ``description`` front matter (our own one line, which the
theme also puts in ``<meta name="description">``); a page without one gets its first
paragraph, shortened.

The images must be the same bytes build after build (a shared link's preview is cached
by its URL, and the service worker's version hashes every file): nothing in them
depends on time, and Pillow writes no timestamp into a PNG. Pillow is pinned, and the
font is DejaVu Sans from Debian's ``fonts-dejavu-core`` (``make setup`` installs it:
``scripts/ensure_fonts.py``): Pillow's built-in font has no minus sign, ≈, × or superscript digits.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urljoin

from PIL import Image, ImageDraw, ImageFont

from calculators import bridge
from calculators.registry import CALCULATORS

__all__ = [
    "FOLDER",
    "FONTS",
    "FONT_DIRS",
    "HEIGHT",
    "HOME_BAND",
    "WIDTH",
    "FontMissing",
    "Preview",
    "calculator_on",
    "headline",
    "image_path",
    "preview",
    "render",
    "takeaway",
]

WIDTH, HEIGHT = 1200, 630
#: Where the images go in the site.
FOLDER = "assets/previews"
#: Where DejaVu Sans may be: Debian/Ubuntu, Fedora, Homebrew's cask on macOS.
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu-sans-fonts"),
    Path.home() / "Library" / "Fonts",
)
#: The home page's band (elsewhere it holds the site's name, which is the home page's title).
HOME_BAND = "Sections 4.1 and 4.2 of Carlsmith’s “Scheming AIs”, retold"
#: The fonts the images use (regular, bold), from Debian's fonts-dejavu-core.
FONTS = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
INDIGO = (64, 81, 181)  # the theme's indigo primary, #4051b5
INK = (33, 33, 33)
MUTED = (84, 84, 84)
PAPER = (255, 255, 255)
MARGIN = 72
CALCULATOR = re.compile(r'data-calculator="([a-z0-9-]+)"')
PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.DOTALL)
POWER = re.compile(r"(\d+(?:\.\d+)?)\^(-?\d+)")


class FontMissing(RuntimeError):
    """DejaVu Sans is not installed."""


@dataclass(frozen=True)
class Preview:
    """What a page's preview says, and where its image is (absolute URLs)."""

    title: str
    description: str
    url: str
    image: str
    #: The calculator's headline at its defaults: its label and its display text.
    number: tuple[str, str] | None = None

    @property
    def alt(self) -> str:
        """The image's text, for a reader who cannot see it."""
        said = f"{self.title}. {self.description}"
        if self.number is None:
            return said
        return f"{said} At its defaults, {self.number[0]}: {self.number[1]}."


def takeaway(description: object, content: str, limit: int = 160) -> str:
    """The page's one line: its ``description`` front matter, else its first paragraph
    (tags dropped, cut at a word before ``limit`` characters).

    >>> takeaway("Counting, in one line.", "<p>Ignored.</p>")
    'Counting, in one line.'
    >>> takeaway(None, '<h1>T</h1><p>A <em>first</em> &amp; only\\nparagraph.</p><p>No.</p>')
    'A first & only paragraph.'
    >>> takeaway(None, "<p>" + "word " * 60 + "</p>", limit=30)
    'word word word word word word…'
    >>> takeaway(None, "<div>no paragraph</div>")
    ''
    """
    if isinstance(description, str) and description.strip():
        if any(c in description for c in '"<>&'):  # the theme writes it into an attribute raw
            raise ValueError(f"description: no \" < > & please, in {description!r}")
        return " ".join(description.split())
    first = PARAGRAPH.search(content)
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", first.group(1))).split()) if first else ""
    if len(text) <= limit:
        return text
    return text[: text.rfind(" ", 0, limit)].rstrip(",;:") + "…"


def calculator_on(content: str) -> str | None:
    """The first calculator a page's HTML holds (its ``data-calculator`` root), if any.

    >>> calculator_on('<div data-calculator="breakeven" data-state="static">')
    'breakeven'
    >>> calculator_on("<p>none</p>") is None
    True
    """
    m = CALCULATOR.search(content)
    return m.group(1) if m else None


def headline(calc_id: str) -> tuple[str, str]:
    """A calculator's headline at its defaults, as the page prerenders it: the output's
    label and display text.

    >>> headline("breakeven")
    ('Breakeven worth n* = k / b', '100')
    """
    reply = bridge.run(calc_id, {}, charts=False)
    if not reply.get("ok"):
        raise ValueError(f"{calc_id}: its defaults do not compute: {reply.get('errors')}")
    key = reply["headline"]["key"]
    label = next(o.label for o in CALCULATORS[calc_id].outputs if o.key == key)
    return label, str(reply["outputs"][key]["text"])


def image_path(page_url: str) -> str:
    """The image's path in the site for a page's URL (as MkDocs gives it).

    >>> image_path(""), image_path("counting-argument/"), image_path("a/b.html")
    ('assets/previews/index.png', 'assets/previews/counting-argument.png', \
'assets/previews/a-b.png')
    """
    slug = re.sub(r"[^a-z0-9]+", "-", page_url.removesuffix(".html").lower()).strip("-")
    return f"{FOLDER}/{slug or 'index'}.png"


def preview(title: str, description: str, page_url: str, site_url: str,
            calc_id: str | None) -> Preview:
    """A page's preview, its URLs made absolute from ``site_url``.

    >>> p = preview("T", "D", "two-frames/", "https://x.org/site/", None)
    >>> p.url, p.image
    ('https://x.org/site/two-frames/', 'https://x.org/site/assets/previews/two-frames.png')
    """
    if not site_url.startswith(("https://", "http://")):
        raise ValueError(f"site_url must be an absolute http(s) URL, not {site_url!r}")
    base = site_url if site_url.endswith("/") else site_url + "/"
    number = headline(calc_id) if calc_id else None
    return Preview(title, description, urljoin(base, page_url),
                   urljoin(base, image_path(page_url)), number)


@cache
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = FONTS[bold]
    for folder in FONT_DIRS:
        if (folder / name).is_file():
            return ImageFont.truetype(str(folder / name), size)
    raise FontMissing(f"{name} not found in {', '.join(map(str, FONT_DIRS))}: install Debian's "
                      "fonts-dejavu-core (make setup does, as root: scripts/ensure_fonts.py)")


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int, lines: int) -> list[str]:
    """Greedy word wrap into at most ``lines`` lines, the last one ending in … if cut."""
    out: list[str] = []
    words = text.split()
    while words and len(out) < lines:
        line = words.pop(0)
        while words and font.getlength(f"{line} {words[0]}") <= width:
            line += " " + words.pop(0)
        out.append(line)
    if words:
        last = out[-1]
        while last and font.getlength(last + "…") > width:
            last = last[: last.rfind(" ")] if " " in last else last[:-1]
        out[-1] = last.rstrip(",;:") + "…"
    return out


def _runs(text: str) -> Iterator[tuple[str, bool]]:
    """Split a display number into (text, is_exponent) runs: ``2^-100`` is 2, then −100
    raised, as the page typesets it."""
    at = 0
    for m in POWER.finditer(text):
        yield text[at : m.start()] + m.group(1), False
        yield m.group(2).replace("-", "\u2212"), True
        at = m.end()
    yield text[at:], False


def _draw_number(draw: ImageDraw.ImageDraw, text: str, y: int, size: int) -> None:
    """The headline number with its powers raised, shrunk until it fits the width."""
    while True:
        big, small = _font(size, True), _font(size * 3 // 5, True)
        runs = [(t, small if up else big, up) for t, up in _runs(text)]
        if sum(f.getlength(t) for t, f, _ in runs) <= WIDTH - 2 * MARGIN or size <= 24:
            break
        size -= 4
    x = float(MARGIN)
    for part, font, up in runs:  # on one baseline, the exponents raised from it
        draw.text((x, y - (size * 2 // 5 if up else 0)), part, font=font, fill=INDIGO,
                  anchor="ls")
        x += font.getlength(part)


def render(p: Preview, band: str) -> bytes:
    """The preview image: PNG, 1200x630, a 64-colour palette (well under 60 KB).

    ``band`` is the line on the indigo band at the top (the site's name). A takeaway too
    long to be shown whole is an error: it is the point of the image.
    """
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    width = WIDTH - 2 * MARGIN
    draw.rectangle((0, 0, WIDTH, 104), fill=INDIGO)
    size = 34
    while _font(size, True).getlength(band) > width and size > 20:
        size -= 2
    draw.text((MARGIN, 52), band, font=_font(size, True), fill=PAPER, anchor="lm")
    title_font, body = _font(54, True), _font(30)
    y = 140
    for line in _wrap(p.title, title_font, width, 2):
        draw.text((MARGIN, y), line, font=title_font, fill=INK)
        y += 66
    y += 14
    lines = _wrap(p.description, body, width, ((430 if p.number else HEIGHT - 40) - y) // 40)
    if lines and lines[-1].endswith("…") and not p.description.endswith("…"):
        raise ValueError(f"the takeaway is too long for the image ({len(lines)} lines at most "
                         f"under this title): {p.description!r}")
    for line in lines:
        draw.text((MARGIN, y), line, font=body, fill=MUTED)
        y += 40
    if p.number:
        label, number = p.number
        draw.line((MARGIN, 448, WIDTH - MARGIN, 448), fill=(200, 205, 235), width=2)
        label_font = _font(28)
        draw.text((MARGIN, 468), _wrap(f"At its defaults: {label}", label_font, width, 1)[0],
                  font=label_font, fill=MUTED)
        _draw_number(draw, number, 578, 60)
    draw.rectangle((0, HEIGHT - 12, WIDTH, HEIGHT), fill=INDIGO)
    out = io.BytesIO()
    # A fixed palette size and no metadata: the same input gives the same bytes.
    image.quantize(64, dither=Image.Dither.NONE).save(out, "PNG", optimize=True)
    return out.getvalue()
