"""The HTML report's filter script, run in Node against a minimal DOM built from the real page."""

from __future__ import annotations

import json
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

from shieldwall.core import ScanResult
from shieldwall.report import HtmlReporter
from shieldwall.report.html_assets import JS
from tests.report.sample import render

NODE = shutil.which("node")

# A fake DOM: just the elements and methods the script uses; then a sequence of user actions.
HARNESS = """
const rows = %(rows)s.map(r => ({
  hidden: false, textContent: r.text,
  getAttribute: k => ({"data-severity": r.severity, "data-scanner": r.scanner,
                       "data-suppressed": r.suppressed})[k],
}));
const listeners = [];
function control(extra) {
  return Object.assign({addEventListener: (ev, fn) => listeners.push(fn)}, extra);
}
const boxes = %(severities)s.map(s => control({checked: true, getAttribute: () => s}));
const els = {
  scanner: control({value: ""}), query: control({value: ""}),
  "show-suppressed": control({checked: false}),
  shown: {textContent: ""}, "no-match": {hidden: true},
};
global.document = {
  querySelectorAll: sel => sel === "tr.finding" ? rows : boxes,
  getElementById: id => els[id],
};
const out = [];
function snap() {
  listeners[0]();
  out.push({visible: rows.filter(r => !r.hidden).length, shown: els.shown.textContent,
            empty: !els["no-match"].hidden});
}
%(js)s
snap();                                           // initial: suppressed hidden
els["show-suppressed"].checked = true; snap();    // everything
boxes[0].checked = false; snap();                 // without critical
els.scanner.value = "sast"; snap();               // sast only (critical still off)
els.query.value = "VIEWS.py  execute"; snap();    // words, case-insensitive
els.query.value = "no such text"; snap();         // nothing matches
console.log(JSON.stringify(out));
"""


class _Rows(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, str]] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "tr" and "data-severity" in found:
            self.rows.append(
                {
                    "severity": found["data-severity"] or "",
                    "scanner": found["data-scanner"] or "",
                    "suppressed": found["data-suppressed"] or "",
                    "text": "",
                }
            )
            self._depth = 1
        elif tag == "tr":
            self._depth = 0

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self._depth = 0

    def handle_data(self, data: str) -> None:
        if self._depth and self.rows:
            self.rows[-1]["text"] += data


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_filters_by_severity_scanner_text_and_suppression(result: ScanResult) -> None:
    parser = _Rows()
    parser.feed(render(HtmlReporter(), result))
    script = HARNESS % {
        "rows": json.dumps(parser.rows),
        "severities": json.dumps(["critical", "high", "medium", "low", "info"]),
        "js": JS,
    }
    assert NODE is not None
    done = subprocess.run(
        [NODE, "-e", script], capture_output=True, text=True, timeout=30, check=True
    )
    snaps = json.loads(done.stdout)
    assert [s["visible"] for s in snaps] == [5, 9, 7, 3, 1, 0]
    assert snaps[0]["shown"] == "5 of 9 shown"
    assert [s["empty"] for s in snaps] == [False, False, False, False, False, True]
