"""Association kit: a printable A4 poster that sends people to the web chat already set to their
language and tagged with the association that handed it out (`?lang=ar&src=mdm`).

The poster shows a big QR code to that link, the link itself, the SMS number when the PASS has
one, and a few plain lines in the chosen language and in French. Arabic, Dari/Farsi and Bengali
need real text shaping (joined letters, right to left), so the poster is an HTML page printed by
Debian's headless Chromium, with the Noto fonts (`scripts/chromium.sh` installs both).
"""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import phonenumbers
import segno
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from bot import kit_texts
from bot.i18n import gettext

WEBCHAT_PATH = "/webhooks/webchat/"
# The association tag ends up in the link and in the person's record (people.source, 40 chars).
SOURCE_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
RTL_LANGUAGES = ("ar", "fa")
FORMATS = ("pdf", "png")
A4_CSS_PIXELS = (794, 1123)  # 210 x 297 mm at 96 CSS pixels per inch
PNG_SCALE = 3  # 2382 x 3369 pixels, about 290 dpi: sharp when printed
CHROMIUM_TIMEOUT_S = 60
INSTALL_HINT = "run scripts/chromium.sh (installs Debian's chromium and the Noto fonts)"

_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


class KitError(RuntimeError):
    """Something the person running the command can fix (a missing browser or font)."""


@dataclass(frozen=True)
class Block:
    """The poster's lines in one language."""

    language: str
    direction: str
    headline: str
    free: str
    scan: str
    sms: Markup | None


def preset_link(public_url: str, language: str, source: str) -> str:
    return f"{public_url.rstrip('/')}{WEBCHAT_PATH}?{urlencode({'lang': language, 'src': source})}"


def display_number(number: str) -> str:
    """A French number as people dial it in France ("07 57 59 12 34"); anything else (a short
    code) as configured."""
    try:
        parsed = phonenumbers.parse(number, "FR")
    except phonenumbers.NumberParseException:
        return number
    if not phonenumbers.is_valid_number(parsed):
        return number
    french = parsed.country_code == 33
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL if french else phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _block(language: str, sms_number: str | None) -> Block:
    sms = None
    if sms_number:
        # The number stays left to right inside Arabic or Dari text (<bdi dir="ltr">).
        number = Markup('<bdi dir="ltr" class="number">{}</bdi>').format(display_number(sms_number))
        sms = escape(gettext(kit_texts.SMS, language)).format(number=number)
    return Block(
        language=language,
        direction="rtl" if language in RTL_LANGUAGES else "ltr",
        headline=gettext(kit_texts.HEADLINE, language),
        free=gettext(kit_texts.FREE, language),
        scan=gettext(kit_texts.SCAN, language),
        sms=sms,
    )


def poster_html(language: str, source: str, public_url: str, sms_number: str | None) -> str:
    """The poster as a self-contained HTML page (no external resource: it is printed offline)."""
    link = preset_link(public_url, language, source)
    qr = segno.make(link, error="q")
    languages = [language] if language == "fr" else [language, "fr"]
    return _templates.get_template("kit_poster.html").render(
        blocks=[_block(code, sms_number) for code in languages],
        link=link,
        qr_svg=Markup(qr.svg_inline(omitsize=True, svgclass="qr")),
    )


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise KitError(f"Chromium is needed to print the poster: {INSTALL_HINT}")
    return path


def check_fonts(language: str) -> None:
    """Without a font for the script Chromium prints empty boxes: refuse rather than print them."""
    fc_list = shutil.which("fc-list")
    if fc_list and not subprocess.run([fc_list, f":lang={language}", "family"], capture_output=True, text=True).stdout.strip():
        raise KitError(f"no font for {language!r} is installed: {INSTALL_HINT}")


def print_page(html: str, output: Path, fmt: str) -> Path:
    """Print an HTML page to an A4 PDF or PNG with headless Chromium."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="pass-kit-") as work:
        page = Path(work) / "poster.html"
        page.write_text(html, encoding="utf-8")
        # A profile of its own, so it never collides with another Chromium running on the machine.
        command = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={work}/profile"]
        if fmt == "pdf":
            command += ["--no-pdf-header-footer", f"--print-to-pdf={output}"]
        else:
            width, height = A4_CSS_PIXELS
            command += ["--hide-scrollbars", f"--window-size={width},{height}", f"--force-device-scale-factor={PNG_SCALE}", f"--screenshot={output}"]
        try:
            result = subprocess.run(command + [page.as_uri()], capture_output=True, text=True, timeout=CHROMIUM_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            raise KitError(f"Chromium did not finish printing within {CHROMIUM_TIMEOUT_S} s") from None
    if not output.exists() or output.stat().st_size == 0:
        raise KitError(f"Chromium did not write {output} (exit {result.returncode}): {result.stderr.strip()[-500:]}")
    return output


def make_poster(language: str, source: str, fmt: str, output: Path, public_url: str, sms_number: str | None) -> Path:
    if not SOURCE_PATTERN.fullmatch(source):
        raise ValueError(f"invalid source {source!r}")
    for code in {language, "fr"}:
        check_fonts(code)
    return print_page(poster_html(language, source, public_url, sms_number), output, fmt)
