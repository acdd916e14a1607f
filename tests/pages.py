"""Comparing pages whose per-response parts differ: each response has its own CSRF mask and CSP nonce."""

import re

_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")')
_NONCE = re.compile(r'(nonce=")[^"]+(")')


def without_tokens(response) -> str:
    html = response.content.decode()
    return _NONCE.sub(r"\1…\2", _TOKEN.sub(r"\1…\2", html))
