"""Rich text people write (plan sections, minutes) kept as sanitised HTML: nh3 with a short allow-list.

No script, style, iframes, event handlers or ``javascript:`` links survive; links get
``rel="noopener noreferrer"``.
"""

import nh3

TAGS = {
    "h2", "h3", "h4", "p", "br", "ul", "ol", "li", "strong", "b", "em", "i", "a", "blockquote",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope", "colspan", "rowspan"}, "td": {"colspan", "rowspan"}}
URL_SCHEMES = {"http", "https", "mailto"}


BLOCK_ATTRIBUTES = {**ATTRIBUTES, "div": {"data-block", "data-options"}}


def sanitise(html: str, *, allow_blocks: bool = False) -> str:
    """Safe HTML. ``allow_blocks`` keeps plan block markers: ``<div data-block="key" data-options="{…}">``."""
    return nh3.clean(
        html or "",
        tags=TAGS | {"div"} if allow_blocks else TAGS,
        attributes=BLOCK_ATTRIBUTES if allow_blocks else ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def plain_text(html: str) -> str:
    """Text without markup; block boundaries become spaces so words do not run together."""
    return " ".join(nh3.clean((html or "").replace("<", " <"), tags=set()).split())


def word_count(html: str) -> int:
    return len(plain_text(html).split())
