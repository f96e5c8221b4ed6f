"""HTTP: the JSON API, the page, and the health check."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request

from .lookup import look_up
from .query import QueryError, parse
from .timezones import DatabaseUnavailable

bp = Blueprint("easygeoip", __name__)


def _answer(query: str) -> dict:
    """The answer for one query; raises QueryError for anything the caller must fix."""
    ext = current_app.extensions["easygeoip"]
    target = parse(query, ext["resolve"])
    results, unknown = look_up(target.addresses, ext["geo"], ext["timezones"])
    if not results:
        which = ", ".join(u["address"] for u in unknown)
        raise QueryError(404, "not_found", f"no location is known for {which} in the GeoLite2 City database")
    return {"query": query, "kind": target.kind, "results": results,
            "skipped": target.skipped + unknown}


@bp.get("/api/")
@bp.get("/api/<path:query>")
def api(query: str = ""):
    try:
        return jsonify(_answer(query))
    except QueryError as exc:
        return jsonify({"error": {"code": exc.code, "message": exc.message, "query": query[:300]}}), exc.status


@bp.get("/")
def index():
    query = request.args.get("q", "").strip()
    answer = error = None
    status = 200
    if query:
        try:
            answer = _answer(query)
        except QueryError as exc:
            error, status = exc.message, exc.status
    return render_template("index.html", query=query, answer=answer, error=error), status


@bp.get("/health")
def health():
    ext = current_app.extensions["easygeoip"]
    checks, ok = {}, True
    try:
        checks["geoip"] = {"ok": True, **ext["geo"].describe()}
    except Exception as exc:  # an unreadable .mmdb file: report it, do not 500
        checks["geoip"] = {"ok": False, "error": str(exc)}
        ok = False
    try:
        zones = ext["timezones"].health()["zones"]
    except DatabaseUnavailable as exc:
        checks["database"] = {"ok": False, "error": str(exc)}
        ok = False
    else:
        if zones:
            checks["database"] = {"ok": True, "zones": zones}
        else:
            checks["database"] = {"ok": False, "error": "the time zone table is empty: "
                                  "run `flask --app easygeoip load-timezones`"}
            ok = False
    if not ok and "does not exist" in checks["database"].get("error", ""):
        checks["database"]["hint"] = "run `flask --app easygeoip load-timezones`"
    return jsonify({"status": "ok" if ok else "failing", "checks": checks}), 200 if ok else 503
