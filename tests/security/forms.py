"""Find the forms in a page and fill them: every free-text field with a payload, the rest with what the
form already holds (or a plausible value), so each form can be posted without knowing its fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

NUMERIC_MODES = {"decimal", "numeric"}
DATE_PARTS = {"day": "1", "month": "4", "year": "2025"}


@dataclass
class Field:
    tag: str
    name: str
    type: str = "text"
    value: str = ""
    checked: bool = False
    inputmode: str = ""
    options: list = field(default_factory=list)  # (value, selected) for a select

    @property
    def free_text(self) -> bool:
        if self.tag == "textarea":
            return True
        if self.tag != "input" or self.type not in ("text", "search", "email", "url", "tel"):
            return False
        return self.inputmode not in NUMERIC_MODES and self._date_part() is None

    def _date_part(self):
        tail = self.name.replace("_", "-").rsplit("-", 1)[-1]
        return tail if tail in DATE_PARTS and tail != self.name else None


@dataclass
class Form:
    action: str
    method: str
    fields: list[Field] = field(default_factory=list)

    @property
    def signature(self) -> tuple:
        return (urlsplit(self.action).path, self.method, tuple(sorted(f.name for f in self.fields)))

    def text_fields(self) -> list[Field]:
        return [f for f in self.fields if f.free_text]

    def data(self, payloads: dict[str, str]) -> dict[str, list[str]]:
        """The form's data with ``payloads`` (field name -> text) in its free-text fields."""
        data: dict[str, list[str]] = {}
        submitted = False
        for f in self.fields:
            value = None
            if f.name in payloads:
                value = payloads[f.name]
            elif f.tag == "select":
                chosen = [v for v, selected in f.options if selected] or [v for v, _ in f.options if v]
                value = chosen[0] if chosen else ""
            elif f.tag == "button" or f.type in ("submit", "image"):
                if not submitted and f.name:
                    value, submitted = f.value, True
            elif f.type in ("checkbox", "radio"):
                if f.checked or (f.type == "radio" and f.name not in data):
                    value = f.value or "on"
            elif f.type in ("file", "password", "reset"):
                continue
            elif f.type == "number" or f.inputmode in NUMERIC_MODES:
                value = f.value or "1"
            elif f.type == "date":
                value = f.value or "2025-04-01"
            elif f._date_part():
                value = f.value or DATE_PARTS[f._date_part()]
            else:
                value = f.value
            if value is None:
                continue
            if f.type == "radio" and f.name in data and not f.checked:
                continue
            if f.type == "radio":
                data[f.name] = [value]
            else:
                data.setdefault(f.name, []).append(value)
        return data


class _FormParser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: Field | None = None
        self._select: Field | None = None
        self._option: list | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            action = urljoin(self.page_url, a.get("action") or self.page_url)
            self._form = Form(action=action, method=(a.get("method") or "get").lower())
            self.forms.append(self._form)
            return
        if self._form is None or not a.get("name") and tag != "option":
            return
        if tag in ("input", "button"):
            default = "submit" if tag == "button" else "text"
            self._form.fields.append(
                Field(
                    tag=tag,
                    name=a["name"],
                    type=(a.get("type") or default).lower(),
                    value=a.get("value", ""),
                    checked="checked" in a,
                    inputmode=a.get("inputmode", ""),
                )
            )
        elif tag == "textarea":
            self._textarea = Field(tag="textarea", name=a["name"])
            self._form.fields.append(self._textarea)
        elif tag == "select":
            self._select = Field(tag="select", name=a["name"])
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = [a.get("value"), "selected" in a, ""]
            self._select.options.append(self._option)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data
        if self._option is not None:
            self._option[2] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            if self._select is not None:
                self._select.options = [(v if v is not None else t.strip(), s) for v, s, t in self._select.options]
            self._select = None
        elif tag == "option":
            self._option = None


def forms_in(html: str, page_url: str) -> list[Form]:
    parser = _FormParser(page_url)
    parser.feed(html)
    parser.close()
    return parser.forms
