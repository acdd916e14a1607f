"""Pure PDF functions: print HTML in, tagged PDF bytes out. Tested without a worker."""

import hashlib
from functools import cache
from pathlib import Path

from django.conf import settings

from yjplan.memory import collect_once_after

PRINT_CSS = Path(settings.BASE_DIR) / "static" / "print" / "print.css"


@cache
def _font_config():
    """One font configuration for the life of the worker process.

    WeasyPrint makes a new one per render unless given one: each loads fontconfig's list of the system's
    fonts and starts Pango's font map, and so its caches of fonts and shaped glyphs, from empty. The print
    stylesheet has no @font-face rules, so nothing a render adds to it can leak into the next.
    """
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def _render(html: str) -> tuple[bytes, int]:
    import weasyprint

    document = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).render(font_config=_font_config())
    return document.write_pdf(pdf_variant="pdf/ua-1"), len(document.pages)


def render_pdf(html: str) -> tuple[bytes, int]:
    """Render print HTML with WeasyPrint as a tagged PDF (PDF/UA-1); return it and its page count."""
    with collect_once_after():
        return _render(html)  # the document is garbage once this returns, so the collection frees it


def pdf_from_html(html: str) -> bytes:
    return render_pdf(html)[0]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def print_stylesheet() -> str:
    return PRINT_CSS.read_text(encoding="utf-8")
