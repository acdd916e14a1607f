"""A same-host crawler for the test client: follows links (GET only) from a start page and records each URL."""

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

# Signing out ends the crawl's session; static files are not partnership data.
NEVER_FOLLOW = ("/accounts/logout/", "/static/", "/media/")
QUERY_VARIANTS_PER_PATH = 6  # filters and page numbers: enough to reach each record, not every combination


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if attrs.get("hx-get"):
            self.links.append(attrs["hx-get"])
        if tag == "form" and (attrs.get("method") or "get").lower() == "get" and attrs.get("action"):
            self.links.append(attrs["action"])
        if tag in ("iframe", "embed") and attrs.get("src"):
            self.links.append(attrs["src"])
        if tag == "object" and attrs.get("data"):
            self.links.append(attrs["data"])


def links_in(html: str, base: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.links:
        url, _ = urldefrag(urljoin("http://testserver" + base, href))
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.netloc != "testserver":
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if not path.startswith(NEVER_FOLLOW):
            found.append(path)
    return found


def crawl(client, start: str = "/", limit: int = 3000, on_response=None) -> dict[str, int]:
    """Every URL reachable from ``start`` by GET, with the status it answered; ``on_response(url, response)``."""
    seen: dict[str, int] = {}
    variants: dict[str, int] = {}
    queue = deque([start])
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        path = url.split("?", 1)[0]
        if "?" in url:
            if variants.get(path, 0) >= QUERY_VARIANTS_PER_PATH:
                continue
            variants[path] = variants.get(path, 0) + 1
        response = client.get(url)
        seen[url] = response.status_code
        if on_response is not None:
            on_response(url, response)
        if response.status_code in (301, 302) and response.get("Location"):
            queue.extend(links_in(f'<a href="{response["Location"]}">', url))
            continue
        if response.get("Content-Type", "").startswith("text/html"):
            queue.extend(link for link in links_in(response.content.decode(), url) if link not in seen)
    return seen
