"""What the crawler and the passive checks need from an HTML page, parsed leniently.

``html.parser`` never raises on broken markup, which is exactly what invalid HTML from a live
app needs: whatever can be read is used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_LINK_ATTRS = {
    "a": "href",
    "area": "href",
    "iframe": "src",
    "frame": "src",
}
_RESOURCE_ATTRS = {"script": "src", "img": "src", "iframe": "src", "link": "href", "embed": "src"}
_REFRESH = re.compile(r"(?i)url\s*=\s*['\"]?([^'\";]+)")


@dataclass(slots=True)
class FormInput:
    """One named control of a form."""

    name: str
    type: str = "text"
    value: str = ""
    autocomplete: str | None = None


@dataclass(slots=True)
class Form:
    """A form: where it goes, how, and its controls."""

    action: str
    method: str
    inputs: list[FormInput] = field(default_factory=list)


@dataclass(slots=True)
class Page:
    """Links, resources, forms and scripts of one HTML document."""

    links: list[str] = field(default_factory=list)
    resources: list[str] = field(default_factory=list)
    forms: list[Form] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)  # inline script bodies
    script_sources: list[str] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._form: Form | None = None
        self._in_script = False
        self._script: list[str] = []
        self._textarea: FormInput | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        if tag in _LINK_ATTRS and values.get(_LINK_ATTRS[tag]):
            self.page.links.append(values[_LINK_ATTRS[tag]])
        if tag in _RESOURCE_ATTRS and values.get(_RESOURCE_ATTRS[tag]):
            self.page.resources.append(values[_RESOURCE_ATTRS[tag]])
        if tag == "script":
            self._in_script = True
            self._script = []
            if values.get("src"):
                self.page.script_sources.append(values["src"])
        elif tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            match = _REFRESH.search(values.get("content", ""))
            if match:
                self.page.links.append(match.group(1).strip())
        elif tag == "form":
            self._form = Form(values.get("action", ""), (values.get("method") or "get").upper())
            self.page.forms.append(self._form)
        else:
            self._control(tag, values)

    def _control(self, tag: str, values: dict[str, str]) -> None:
        if self._form is None or tag not in ("input", "textarea", "select", "button"):
            return
        name = values.get("name", "")
        kind = values.get("type", "text").lower() if tag == "input" else tag
        control = FormInput(name, kind, values.get("value", ""), values.get("autocomplete"))
        if name:
            self._form.inputs.append(control)
        if tag == "textarea":
            self._textarea = control

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_script:
            self._in_script = False
            body = "".join(self._script).strip()
            if body:
                self.page.scripts.append(body)
        elif tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self._script.append(data)
        elif self._textarea is not None:
            self._textarea.value += data


def parse_page(text: str) -> Page:
    """Parse an HTML document; never raises on malformed markup."""
    parser = _Parser()
    parser.feed(text)
    parser.close()
    return parser.page
