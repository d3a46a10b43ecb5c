"""The list's query parsing and the chart geometry."""

from __future__ import annotations

from shieldwall.hub.findings.service import SortKey
from shieldwall.hub.web.auth import safe_next
from shieldwall.hub.web.charts import bar_chart, trend_chart
from shieldwall.hub.web.filters import parse


def test_parse_ignores_bad_values_and_round_trips() -> None:
    query = parse(
        {"q": " sql ", "page": "3", "page_size": "9999", "sort": "sla", "min_age_days": "x"},
        {"severity": ["high", "nope"], "status": ["open", "gone"]},
    )
    assert query.flt.text == "sql" and query.flt.severity == ("high",)
    assert query.flt.status == ("open",) and query.flt.sort is SortKey.SLA
    assert query.page == 3 and query.page_size == 200 and query.flt.min_age_days is None
    assert query.url(page=4) == (
        "/findings?q=sql&severity=high&status=open&sort=sla&page_size=200&page=4"
    )
    assert parse({"page": "-1", "sort": "drop table"}, {}).page == 1
    assert parse({"q": "x" * 999}, {}).flt.text == "x" * 200


def test_safe_next() -> None:
    assert safe_next("/findings?x=1") == "/findings?x=1"
    for bad in ("//evil", "/\\evil", "http://evil", "", None, "/a\r\nSet-Cookie: x"):
        assert safe_next(bad) == "/"


def test_bar_chart_scales_to_the_largest_value() -> None:
    chart = bar_chart({"critical": 2, "high": 4, "low": 0}, width=460)
    widths = [bar.width for bar in chart.bars]
    assert widths == [135.0, 270.0, 0.0] and chart.height == 78
    assert bar_chart({}).bars == ()


def test_trend_chart_draws_only_severities_with_data() -> None:
    trend = [
        {"day": "2026-01-01", "critical": 0, "high": 2},
        {"day": "2026-01-02", "critical": 0, "high": 4},
    ]
    chart = trend_chart(trend, width=120, height=120)
    assert [s.name for s in chart.series] == ["high"]
    assert chart.series[0].points == "10.0,60.0 110.0,10.0" and chart.series[0].last == 4
    assert chart.first_day == "2026-01-01" and chart.maximum == 4
    assert trend_chart([]).series == ()
