"""`newsetl report`: one self-contained HTML page about the warehouse, readable with no network.

Everything is aggregated in SQL (`warehouse/report/*.sql`, each result bounded: top N, last 90 days, last
runs), read in one short read-only connection, and rendered here: Vega-Lite charts drawn in the browser by
the vega/vega-lite/vega-embed bundle of vl-convert-python, inlined once (built once per vl-convert version
and cached, since building it takes seconds), sparklines as inline SVG, and world outlines from a vendored
Natural Earth TopoJSON (`warehouse/report/world-110m.json`). The page requests nothing: no CDN, no fonts.

Sections degrade: a warehouse without the geo columns or the `analytics.places` view still gets a report
whose map section says so.
"""

from __future__ import annotations

import html
import importlib.metadata
import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from warehouse.backend import Warehouse, as_warehouse
from warehouse.db import HERE, read_sql, sql_string

REPORT_SQL_DIR = HERE / "report"
WORLD_TOPOJSON = REPORT_SQL_DIR / "world-110m.json"
DEFAULT_REPORT = Path("warehouse/reports/report.html")
RUNS_SHOWN = 15  # the last runs listed with their quality results
ENTITIES_SHOWN = 20
FAILED_RUNS_STAGED = 3  # kept staging files of failed runs read for their quarantine reasons
EVENT_CATEGORIES = ("killed", "wounded", "arrested", "kidnapped", "displaced", "evacuated", "affected", "protesters")
_CATALOG_ERRORS = (duckdb.CatalogException, duckdb.BinderException)


@dataclass
class ReportData:
    db: Path
    overview: dict[str, Any]
    ingest: list[dict[str, Any]]
    entities: list[dict[str, Any]]
    events: list[dict[str, Any]]
    categories: list[dict[str, Any]]
    places: list[dict[str, Any]] | None  # None: no analytics.places view in this warehouse
    countries: list[dict[str, Any]] | None
    sources: list[dict[str, Any]]
    runs: list[dict[str, Any]]
    quarantine: list[dict[str, Any]]
    staged: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # run_id -> staged quarantine reasons
    seconds: float = 0.0


def _sql(name: str) -> str:
    """A report query from warehouse/report/ (code-chosen name, read once; values are bound as parameters)."""
    return read_sql(name, "report")


def _rows(con: duckdb.DuckDBPyConnection, name: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    cur = con.execute(_sql(name), params or [])
    cols = [d[0] for d in cur.description or []]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def _optional_rows(con: duckdb.DuckDBPyConnection, name: str) -> list[dict[str, Any]] | None:
    """Rows of a query over views another part adds later (places): None when they are not there."""
    try:
        return _rows(con, name)
    except _CATALOG_ERRORS:
        return None


def _staged_quarantine(con: duckdb.DuckDBPyConnection, db: Path, runs: list[dict[str, Any]]
                       ) -> dict[str, list[dict[str, Any]]]:
    """A failed run publishes nothing, but keeps its staging file: its quarantine reasons are read there."""
    from warehouse.store import staging_dir

    out: dict[str, list[dict[str, Any]]] = {}
    failed = [r["run_id"] for r in runs if r["status"] != "published"][:FAILED_RUNS_STAGED]
    for run_id in failed:
        path = staging_dir(db) / f"{run_id}.duckdb"
        if not path.is_file():
            continue
        try:
            # ATTACH takes no parameters; the path is the warehouse's own staging file, quoted.
            con.execute(f"ATTACH {sql_string(str(path))} AS stg (READ_ONLY)")
        except duckdb.Error:
            continue  # still being written or damaged: the runs row says enough
        try:
            out[run_id] = _rows(con, "quarantine_staged")
        except duckdb.Error:
            pass
        finally:
            con.execute("DETACH stg")
    return out


def read_report_data(db: Path | Warehouse, timeout_s: float = 30.0) -> ReportData:
    """Every aggregate the report shows, from one short read-only connection (a file or a DuckLake)."""
    started = time.perf_counter()
    warehouse = as_warehouse(db)
    db = warehouse.local_path  # the name shown, and where failed runs' staging files are
    con = warehouse.reader(timeout_s)
    try:
        overview = _rows(con, "overview")[0]
        runs = _rows(con, "runs", [RUNS_SHOWN])
        data = ReportData(
            db=db, overview=overview,
            ingest=_rows(con, "ingest_by_day"),
            entities=_rows(con, "top_entities", [ENTITIES_SHOWN]),
            events=_rows(con, "figures_by_day"),
            categories=_rows(con, "figure_categories"),
            places=_optional_rows(con, "places"),
            countries=_optional_rows(con, "country_mentions"),
            sources=_rows(con, "sources"),
            runs=runs,
            quarantine=_rows(con, "quarantine_by_run", [[r["run_id"] for r in runs]]),
            staged=_staged_quarantine(con, db, runs),
        )
    finally:
        con.close()
    data.seconds = time.perf_counter() - started
    return data


def top_entities_and_places(db: Path | Warehouse, limit: int = 20) -> list[dict[str, Any]]:
    """The entities in most published articles (places among them), for a Prefect table artifact:
    `name, type, articles, mentions, country_code` (country_code None where unresolved or before geo)."""
    con = as_warehouse(db).reader(30.0)
    try:
        rows = _rows(con, "top_entities", [int(limit)])
    finally:
        con.close()
    return [{"name": r["name"], "type": r["type"], "articles": int(r["articles"]), "mentions": int(r["mentions"]),
             "country_code": r["country_code"]} for r in rows]


def write_report(db: Path | Warehouse, out: Path, *, cache_dir: Path) -> Path:
    """Write the report for `db` to `out` (atomically: a reader never sees half a page); returns `out`.
    `cache_dir` is the caller's Settings.resolved_cache_dir (the charting library is cached there)."""
    data = read_report_data(db)
    page = render(data, vega_bundle(cache_dir))
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(page)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a report is for reading
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out


# --- the inlined charting library ---------------------------------------------------------------------------

def vega_bundle(cache_dir: Path) -> str:
    """vega + vega-lite + vega-embed as one classic script (vl-convert-python's bundle, which defines
    `window.vegaEmbed`). Building it takes ~6 s, so it is cached per vl-convert version."""
    version = importlib.metadata.version("vl-convert-python")
    name = f"vega-embed-bundle-{version}.js"
    folders = (cache_dir, Path(tempfile.gettempdir()) / "newsetl-cache")
    for folder in folders:
        cached = folder / name
        if cached.is_file() and cached.stat().st_size > 0:
            return cached.read_text(encoding="utf-8")
    import vl_convert

    bundle: str = vl_convert.javascript_bundle()  # type: ignore[call-arg]  # the stub omits the default snippet
    for folder in folders:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=folder)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(bundle)
            os.replace(tmp, folder / name)
            break
        except OSError:
            continue
    return bundle


# --- rendering ----------------------------------------------------------------------------------------------

def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _num(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, int):
        return f"{value:,}"
    return _e(value)


def _table(headers: list[str], rows: list[list[str]], css: str = "") -> str:
    """An HTML table from already-escaped cells."""
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def sparkline(values: list[int], width: int = 140, height: int = 28) -> str:
    """An inline SVG line of daily counts (the last day marked)."""
    values = [int(v or 0) for v in values] or [0]
    top = max(values) or 1
    step = width / max(len(values) - 1, 1)
    pts = [(i * step, height - 3 - (v / top) * (height - 6)) for i, v in enumerate(values)]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
    x, y = pts[-1]
    title = f"articles per day, last {len(values)} days: " + ", ".join(str(v) for v in values)
    return (f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img">'
            f"<title>{_e(title)}</title>"
            f'<polyline fill="none" stroke="#2c6fbb" stroke-width="1.5" points="{line}"/>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="#c0392b"/></svg>')


def _bar_by_day(values: list[dict[str, Any]], y: str, color: str, title_y: str, extra: list[str]) -> dict[str, Any]:
    days = len({v["day"] for v in values})
    tooltip = [{"field": "day", "type": "ordinal", "title": "day"},
               {"field": color, "type": "nominal"}, {"field": y, "type": "quantitative"}]
    tooltip += [{"field": f, "type": "quantitative"} for f in extra]
    # A month or less reads best as one labelled bar per day; longer spans as a time axis.
    x: dict[str, Any] = ({"field": "day", "type": "ordinal", "title": None, "axis": {"labelAngle": -40}}
                         if days <= 31 else
                         {"field": "day", "type": "temporal", "timeUnit": "utcyearmonthdate", "title": None})
    return {
        "width": 720 if days > 31 else max(160, min(720, 48 * days)), "height": 220,
        "data": {"values": values},
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "x": x,
            "y": {"field": y, "type": "quantitative", "aggregate": "sum", "title": title_y},
            "color": {"field": color, "type": "nominal", "title": color},
            "tooltip": tooltip,
        },
    }


def _hbar(values: list[dict[str, Any]], label: str, x: str, title_x: str) -> dict[str, Any]:
    return {
        "width": 560, "height": {"step": 18},
        "data": {"values": values},
        "mark": {"type": "bar", "tooltip": True, "color": "#2c6fbb"},
        "encoding": {
            "y": {"field": label, "type": "nominal", "sort": "-x", "title": None},
            "x": {"field": x, "type": "quantitative", "title": title_x},
            "tooltip": [{"field": label, "type": "nominal"}, {"field": x, "type": "quantitative"}],
        },
    }


def _runs_spec(runs: list[dict[str, Any]]) -> dict[str, Any]:
    values = [{"run": f"{r['started']} {r['status']}", "articles_loaded": r["articles_loaded"],
               "duplicates": r["duplicates"], "quarantined": r["quarantined"]} for r in reversed(runs)]
    return {
        "width": 720, "height": 200,
        "data": {"values": values},
        "transform": [{"fold": ["articles_loaded", "duplicates", "quarantined"], "as": ["outcome", "count"]}],
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "x": {"field": "run", "type": "ordinal", "sort": None, "title": None, "axis": {"labelAngle": -30}},
            "y": {"field": "count", "type": "quantitative", "title": "rows"},
            "color": {"field": "outcome", "type": "nominal",
                      "scale": {"domain": ["articles_loaded", "duplicates", "quarantined"],
                                "range": ["#2c6fbb", "#9bb7d4", "#c0392b"]}},
            "tooltip": [{"field": "run", "type": "ordinal"}, {"field": "outcome", "type": "nominal"},
                        {"field": "count", "type": "quantitative"}],
        },
    }


def _country_numeric(codes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Mentions per ISO numeric id (the TopoJSON's feature ids) from alpha-2 codes."""
    try:
        import pycountry
    except ImportError:  # the fill is a bonus; the places are the map
        return []
    out = []
    for r in codes:
        country = pycountry.countries.get(alpha_2=str(r["country_code"]).upper())
        if country is not None:
            out.append({"id": country.numeric, "country": country.name, "mentions": int(r["mentions"] or 0),
                        "articles": int(r["articles"] or 0)})
    return out


def _map_spec(places: list[dict[str, Any]], countries: list[dict[str, Any]]) -> dict[str, Any]:
    world = json.loads(WORLD_TOPOJSON.read_text(encoding="utf-8"))
    outlines = {"values": world, "format": {"type": "topojson", "feature": "countries"}}
    land: dict[str, Any] = {
        "data": outlines,
        "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.5, "fill": "#e3e6ea"},
    }
    layers = [land]
    if countries:
        # A second pass over the outlines keeps only the countries with mentions and shades them (one layer with
        # a conditional colour drops the unmatched countries instead of greying them).
        layers.append({
            "data": outlines,
            "transform": [{"lookup": "id", "from": {"data": {"values": countries}, "key": "id",
                                                    "fields": ["country", "mentions", "articles"]}},
                          {"filter": "datum.mentions > 0"}],
            "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.5},
            "encoding": {
                "color": {"field": "mentions", "type": "quantitative", "scale": {"scheme": "blues", "type": "sqrt"},
                          "title": "country mentions"},
                "tooltip": [{"field": "country", "type": "nominal"}, {"field": "mentions", "type": "quantitative"},
                            {"field": "articles", "type": "quantitative"}],
            },
        })
    if places:
        values = [{"place": p["place"], "kind": p["place_kind"], "country": p["country_code"],
                   "latitude": float(p["latitude"]), "longitude": float(p["longitude"]),
                   "mentions": int(p["mentions"] or 0), "articles": int(p["articles"] or 0)} for p in places]
        layers.append({
            "data": {"values": values},
            "mark": {"type": "circle", "color": "#c0392b", "opacity": 0.65, "stroke": "#ffffff",
                     "strokeWidth": 0.5, "tooltip": True},
            "encoding": {
                "longitude": {"field": "longitude", "type": "quantitative"},
                "latitude": {"field": "latitude", "type": "quantitative"},
                "size": {"field": "mentions", "type": "quantitative", "scale": {"range": [15, 900]},
                         "title": "place mentions"},
                "tooltip": [{"field": "place", "type": "nominal"}, {"field": "kind", "type": "nominal"},
                            {"field": "country", "type": "nominal"},
                            {"field": "mentions", "type": "quantitative"},
                            {"field": "articles", "type": "quantitative"}],
            },
        })
    return {"width": 760, "height": 400, "projection": {"type": "equalEarth"}, "layer": layers}


def _json_default(v: Any) -> Any:
    if isinstance(v, datetime):
        return v.isoformat()
    return str(v)


CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2733;background:#f6f7f9}
header{background:#1d2733;color:#fff;padding:18px 28px}header h1{margin:0 0 4px;font-size:22px}
header p{margin:0;color:#c9d2dc}main{padding:8px 28px 40px;max-width:1100px}
section{background:#fff;border:1px solid #e1e5ea;border-radius:6px;padding:14px 18px;margin:16px 0}
h2{font-size:17px;margin:0 0 10px}h3{font-size:14px;margin:14px 0 6px}
.kpis{display:flex;flex-wrap:wrap;gap:10px}.kpi{background:#fff;border:1px solid #e1e5ea;border-radius:6px;
padding:10px 14px;min-width:110px}.kpi b{display:block;font-size:20px}.kpi span{color:#5b6775;font-size:12px}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:4px 8px;
border-bottom:1px solid #edf0f3;vertical-align:top}th{color:#5b6775;font-weight:600}td.n,th.n{text-align:right}
.ok{color:#1e7e34;font-weight:600}.bad{color:#c0392b;font-weight:600}.note{color:#5b6775}
.chart{min-height:60px}code{font-size:12px;background:#f1f3f5;padding:1px 4px;border-radius:3px}
"""

_SCRIPT = """
(function () {
  var charts = JSON.parse(document.getElementById("newsetl-charts").textContent);
  Object.keys(charts).forEach(function (id) {
    vegaEmbed("#" + id, charts[id], {actions: false, renderer: "svg"}).catch(function (err) {
      document.getElementById(id).textContent = "chart failed: " + err;
      console.error(err);
    });
  });
})();
"""


def _section(anchor: str, title: str, body: str) -> str:
    return f'<section id="{anchor}"><h2>{_e(title)}</h2>{body}</section>'


def _chart(anchor: str) -> str:
    return f'<div class="chart" id="{anchor}"></div>'


def _entities_section(data: ReportData) -> str:
    if not data.entities:
        return '<p class="note">No entities published yet.</p>'
    rows = [[_e(r["name"]), _e(r["type"]), _num(r["articles"]), _num(r["mentions"]),
             _e(r["country_code"] or ""), sparkline(list(r["trend"] or []))] for r in data.entities]
    return (_table(["entity", "type", "articles", "mentions", "country", "articles per day (30 days)"], rows,
                   "entities")
            + '<p class="note">Trend by publication date (ingest date when unknown), ending on the latest day.</p>')


def _runs_section(data: ReportData, charts: dict[str, Any]) -> str:
    if not data.runs:
        return '<p class="note">No runs recorded.</p>'
    charts["chart-runs"] = _runs_spec(data.runs)
    rows = []
    for r in data.runs:
        ok = r["validation_success"]
        verdict = '<span class="ok">passed</span>' if ok else ('<span class="bad">FAILED</span>' if ok is False
                                                               else '<span class="note">n/a</span>')
        failed = ", ".join(f"<code>{_e(x)}</code>" for x in r["failed_expectations"] or [])
        rows.append([_e(r["run_id"]), _e(r["started"]), _num(r["seconds"]),
                     _e(r["status"]) if r["status"] == "published" else f'<span class="bad">{_e(r["status"])}</span>',
                     verdict, _num(r["files_seen"]), _num(r["files_unchanged"]), _num(r["articles_loaded"]),
                     _num(r["duplicates"]), _num(r["quarantined"]), failed, _e(r["reason"] or "")])
    out = [_chart("chart-runs"),
           _table(["run", "started", "s", "status", "validation", "inputs", "unchanged", "loaded", "duplicates",
                   "quarantined", "failed expectations", "reason"], rows, "runs")]
    by_run: dict[str, list[dict[str, Any]]] = {}
    for q in data.quarantine:
        by_run.setdefault(q["run_id"], []).append(q)
    out.append("<h3>Quarantine reasons per run</h3>")
    if by_run:
        qrows = [[_e(run_id), f"<code>{_e(q['reason'])}</code>", _num(q["items"]), _num(q["files"]),
                  _e(q["example"]), _e((q["detail"] or "")[:200])]
                 for run_id, qs in by_run.items() for q in qs]
        out.append(_table(["run", "reason", "items", "files", "example", "detail"], qrows, "quarantine"))
    else:
        out.append('<p class="note">No quarantined inputs or rows in these runs.</p>')
    for run_id, qs in data.staged.items():
        staged = f".staging/{data.db.stem}/{run_id}.duckdb"
        out.append(f"<h3>Run {_e(run_id)} did not publish: staged quarantine (<code>{_e(staged)}</code>)</h3>")
        if qs:
            out.append(_table(["reason", "items", "files", "example", "detail"],
                              [[f"<code>{_e(q['reason'])}</code>", _num(q["items"]), _num(q["files"]),
                                _e(q["example"]), _e((q["detail"] or "")[:200])] for q in qs], "quarantine"))
        else:
            out.append('<p class="note">Nothing was quarantined in the staged batch: see the reason above.</p>')
    return "".join(out)


def render(data: ReportData, bundle: str) -> str:
    """The whole page as one string (data aggregated already; `bundle` is the inlined charting library)."""
    charts: dict[str, Any] = {}
    o = data.overview
    kpis = "".join(f'<div class="kpi"><b>{_num(o[k])}</b><span>{label}</span></div>' for k, label in (
        ("articles", "articles"), ("sources", "sources"), ("entities", "entities"), ("figures", "figures"),
        ("quarantined", "quarantined"), ("runs", "runs")))
    sections = [f'<div class="kpis">{kpis}</div>']

    if data.ingest:
        charts["chart-ingest"] = _bar_by_day(data.ingest, "articles", "source", "articles", [])
        body = _chart("chart-ingest")
    else:
        body = '<p class="note">No articles published yet.</p>'
    sections.append(_section("ingest", "Articles ingested per day, by source", body))

    sections.append(_section("entities", "Top entities", _entities_section(data)))

    parts = []
    if data.events:
        charts["chart-events"] = _bar_by_day(data.events, "figures", "category", "event figures", ["total"])
        parts.append("<h3>Event figures per day (killed, wounded, arrested, displaced, ...)</h3>"
                     + _chart("chart-events"))
    else:
        parts.append('<p class="note">No event figures (killed, arrested, displaced, ...) published yet.</p>')
    if data.categories:
        charts["chart-categories"] = _hbar(data.categories, "category", "figures", "figures")
        parts.append("<h3>All figures by category</h3>" + _chart("chart-categories"))
    sections.append(_section("figures", "Figures by category over time", "".join(parts)))

    if data.places is None:
        note = ('<p class="note">This warehouse has no resolved places yet (no <code>analytics.places</code> view): '
                "the map shows outlines only.</p>")
    elif not data.places:
        note = '<p class="note">No place with coordinates published yet.</p>'
    else:
        top = ", ".join(f"{_e(p['place'])} ({_num(p['mentions'])})" for p in data.places[:8])
        note = f'<p class="note">Circles sized by mentions; most mentioned: {top}.</p>'
    charts["chart-map"] = _map_spec(data.places or [], _country_numeric(data.countries or []))
    sections.append(_section("map", "Places mentioned", _chart("chart-map") + note))

    if data.sources:
        charts["chart-sources"] = _hbar(data.sources, "source", "articles", "articles")
        rows = [[_e(s["source"]), _num(s["articles"]), _num(s["words"])] for s in data.sources]
        body = _chart("chart-sources") + _table(["source", "articles", "words"], rows, "sources")
    else:
        body = '<p class="note">No sources yet.</p>'
    sections.append(_section("sources", "Source mix", body))

    sections.append(_section("runs", f"Last {RUNS_SHOWN} runs: validation and quarantine", _runs_section(data, charts)))

    charts_json = json.dumps(charts, default=_json_default, ensure_ascii=False, separators=(",", ":"))
    charts_json = charts_json.replace("</", "<\\/")  # never closes the script element early
    generated = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>newsetl report: {_e(data.db.name)}</title><style>{CSS}</style></head><body>"
        f"<header><h1>newsetl report</h1><p>{_e(data.db.name)} · generated {_e(generated)} · "
        f"{_num(o['articles'])} published articles</p></header><main>{''.join(sections)}</main>"
        f'<script type="application/json" id="newsetl-charts">{charts_json}</script>'
        f"<script>{bundle}</script><script>{_SCRIPT}</script></body></html>\n"
    )
