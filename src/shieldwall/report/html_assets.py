"""The inline stylesheet and script of the HTML report (kept apart so html.py stays about markup).

The script only reads the DOM the report already contains: no data is injected into it, so no
scanned text ever reaches a JavaScript context.
"""

from __future__ import annotations

# Only inline style and script, no network at all: the report must open from a mail attachment or
# a CI artefact store, and a finding's text must not be able to load anything.
CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"

CSS = """
:root { --crit:#8b0000; --high:#d32f2f; --med:#ef8f00; --low:#1976d2; --info:#607d8b; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0;
       color: #1d232a; background: #f6f7f9; }
header, main, footer { max-width: 1200px; margin: 0 auto; padding: 12px 20px; }
header h1 { margin: 8px 0 0; font-size: 22px; }
.meta { color: #55606b; margin: 4px 0; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 12px 0; }
.card { background: #fff; border-radius: 6px; padding: 8px 14px; min-width: 100px;
        border-left: 5px solid #ccd; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
.card b { display: block; font-size: 22px; }
.card.critical { border-color: var(--crit); } .card.high { border-color: var(--high); }
.card.medium { border-color: var(--med); } .card.low { border-color: var(--low); }
.card.info { border-color: var(--info); }
.filters { display: flex; flex-wrap: wrap; gap: 14px; align-items: center; background: #fff;
           padding: 10px 14px; border-radius: 6px; margin-bottom: 10px; }
.filters input[type=search] { min-width: 260px; padding: 4px 8px; }
table { width: 100%; border-collapse: collapse; background: #fff; }
th, td { text-align: left; vertical-align: top; padding: 7px 9px;
         border-bottom: 1px solid #e3e6ea; }
th { background: #eef0f3; position: sticky; top: 0; }
td.loc, td.rule { word-break: break-all; }
tr.suppressed { opacity: .6; }
.sev { display: inline-block; color: #fff; border-radius: 3px; padding: 0 6px; font-size: 12px;
       font-weight: 600; text-transform: uppercase; }
.sev.critical { background: var(--crit); } .sev.high { background: var(--high); }
.sev.medium { background: var(--med); } .sev.low { background: var(--low); }
.sev.info { background: var(--info); }
.tag { display: inline-block; background: #e8eaed; border-radius: 3px; padding: 0 5px;
       font-size: 12px; margin-left: 4px; }
details { margin-top: 4px; } summary { cursor: pointer; color: #3559a8; }
pre { background: #f2f3f5; padding: 6px 8px; overflow-x: auto; white-space: pre-wrap; }
dl { margin: 4px 0; } dt { font-weight: 600; margin-top: 4px; } dd { margin-left: 14px; }
section.problems { background: #fff; border-radius: 6px; padding: 6px 14px; margin-top: 14px; }
footer { color: #55606b; font-size: 12px; }
"""

JS = """
(function () {
  "use strict";
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.finding"));
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[data-severity]"));
  var scanner = document.getElementById("scanner");
  var query = document.getElementById("query");
  var showSuppressed = document.getElementById("show-suppressed");
  var shown = document.getElementById("shown");
  var empty = document.getElementById("no-match");
  function apply() {
    var severities = {};
    boxes.forEach(function (box) { severities[box.getAttribute("data-severity")] = box.checked; });
    var wanted = scanner.value;
    var words = query.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var count = 0;
    rows.forEach(function (row) {
      var text = row.textContent.toLowerCase();
      var visible = severities[row.getAttribute("data-severity")] &&
        (!wanted || row.getAttribute("data-scanner") === wanted) &&
        (showSuppressed.checked || row.getAttribute("data-suppressed") === "false") &&
        words.every(function (w) { return text.indexOf(w) !== -1; });
      row.hidden = !visible;
      if (visible) { count += 1; }
    });
    shown.textContent = count + " of " + rows.length + " shown";
    empty.hidden = count !== 0;
  }
  boxes.concat([scanner, query, showSuppressed]).forEach(function (el) {
    el.addEventListener("input", apply);
    el.addEventListener("change", apply);
  });
  apply();
})();
"""
