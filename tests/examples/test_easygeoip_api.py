"""EasyGeoIP's API and page, without a database: answers checked against the .mmdb read directly,
and every kind of bad input answered with a 4xx JSON error, never a 500."""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser

import maxminddb
import pytest

from conftest import EXAMPLES

sys.path.insert(0, str(EXAMPLES / "easygeoip"))
from easygeoip import create_app                       # noqa: E402
from easygeoip.geodb import packaged_database_path     # noqa: E402

KNOWN = ["81.2.69.160", "2001:4860:4860::8888", "8.8.8.8", "89.160.20.112", "175.16.199.0", "1.1.1.1"]


@pytest.fixture(scope="module")
def mmdb():
    reader = maxminddb.open_database(packaged_database_path())
    yield reader
    reader.close()


def stub_resolver(table: dict[str, list[str]]):
    def resolve(name: str) -> list[str]:
        if name not in table:
            raise LookupError(f"{name} does not resolve: stub has no entry")
        return table[name]
    return resolve


@pytest.fixture
def client():
    # No DATABASE_URL: the API must answer from the City data alone.
    return create_app({"DATABASE_URL": None}).test_client()


@pytest.mark.parametrize("address", KNOWN)
def test_known_address_matches_the_mmdb_record(client, mmdb, address):
    response = client.get(f"/api/{address}")
    assert response.status_code == 200 and response.is_json
    body = response.get_json()
    assert body["kind"] == "address" and body["skipped"] == []
    [result] = body["results"]
    record = mmdb.get(address)
    location = record["location"]
    assert result["address"] == address
    assert result["latitude"] == location["latitude"] and result["longitude"] == location["longitude"]
    assert result["accuracy_radius_km"] == location["accuracy_radius"]
    assert result["country"] == {"code": record["country"]["iso_code"], "name": record["country"]["names"]["en"]}
    assert result["continent"]["code"] == record["continent"]["code"]
    assert result["city"] == record.get("city", {}).get("names", {}).get("en")
    assert result["postal_code"] == record.get("postal", {}).get("code")
    if record.get("subdivisions"):
        assert result["region"]["code"] == record["subdivisions"][0]["iso_code"]
    if "time_zone" in location:
        assert (result["time_zone"], result["time_zone_source"]) == (location["time_zone"], "city")
        assert re.fullmatch(r"[+-]\d{4}", result["local_time"]["utc_offset"])
    else:
        # Not in the City record and no database configured: said plainly, not guessed.
        assert result["time_zone"] is None and result["time_zone_source"] == "unavailable"
        assert "DATABASE_URL is not set" in result["time_zone_error"]


def test_willesden_in_full(client):
    [result] = client.get("/api/81.2.69.160").get_json()["results"]
    assert result["city"] == "Willesden" and result["postal_code"] == "NW10"
    assert result["region"] == {"code": "ENG", "name": "England"}
    assert result["country"] == {"code": "GB", "name": "United Kingdom"}
    assert result["continent"] == {"code": "EU", "name": "Europe"}
    assert result["time_zone"] == "Europe/London"


def test_ipv4_mapped_ipv6_is_looked_up_as_ipv4(client):
    [result] = client.get("/api/::ffff:81.2.69.160").get_json()["results"]
    assert result["address"] == "81.2.69.160" and result["city"] == "Willesden"


def test_a_domain_answers_every_public_address_it_resolves_to(mmdb):
    resolver = stub_resolver({"geo.example.org": ["81.2.69.160", "2001:4860:4860::8888", "10.1.2.3"]})
    client = create_app({"DATABASE_URL": None, "RESOLVER": resolver}).test_client()
    response = client.get("/api/Geo.Example.org.")
    assert response.status_code == 200
    body = response.get_json()
    assert body["kind"] == "name"
    assert [r["address"] for r in body["results"]] == ["81.2.69.160", "2001:4860:4860::8888"]
    assert [r["city"] for r in body["results"]] == ["Willesden", "Mountain View"]
    assert body["skipped"] == [{"address": "10.1.2.3", "reason": "private address"}]


def test_a_domain_resolving_to_an_address_the_database_does_not_know_lists_it():
    resolver = stub_resolver({"mixed.example.org": ["2c0f:ffff::1", "81.2.69.160"]})
    client = create_app({"DATABASE_URL": None, "RESOLVER": resolver}).test_client()
    body = client.get("/api/mixed.example.org").get_json()
    assert [r["address"] for r in body["results"]] == ["81.2.69.160"]
    assert body["skipped"] == [{"address": "2c0f:ffff::1", "reason": "not in the GeoLite2 City database"}]


def test_internationalised_names_are_sent_to_dns_in_punycode():
    asked = []
    def resolver(name):
        asked.append(name)
        return ["81.2.69.160"]
    client = create_app({"DATABASE_URL": None, "RESOLVER": resolver}).test_client()
    assert client.get("/api/bücher.example").status_code == 200
    assert asked == ["xn--bcher-kva.example"]


# -- real DNS: only names that resolve (or fail) without leaving the machine ------------------------

def test_localhost_really_resolves_and_is_refused_as_loopback(client):
    response = client.get("/api/localhost")
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "not_public" and "127.0.0.1" in error["message"]


def test_a_name_that_does_not_resolve_is_a_404(client):
    response = client.get("/api/nonexistent.invalid")
    assert response.status_code == 404
    error = response.get_json()["error"]
    assert error["code"] == "name_not_resolved" and "nonexistent.invalid does not resolve" in error["message"]


# -- bad input ------------------------------------------------------------------------------------

BAD = [
    ("999.1.1.1", 400, "malformed_address"),
    ("1.2.3", 400, "malformed_address"),
    ("2001:db8::g", 400, "malformed_address"),
    ("1.2.3.0/24", 400, "malformed_address"),
    ("bad_name!", 400, "malformed_name"),
    ("-leading.example", 400, "malformed_name"),
    ("a..b", 400, "malformed_name"),
    ("x" * 64 + ".example", 400, "malformed_name"),
    ("a" * 254, 400, "query_too_long"),
    ("b" * 5000, 400, "query_too_long"),
    ("%20", 400, "empty_query"),
    ("", 400, "empty_query"),
    ("10.0.0.1", 422, "not_public"),
    ("192.168.1.1", 422, "not_public"),
    ("127.0.0.1", 422, "not_public"),
    ("100.64.0.1", 422, "not_public"),
    ("169.254.169.254", 422, "not_public"),
    ("224.0.0.1", 422, "not_public"),
    ("240.0.0.1", 422, "not_public"),
    ("0.0.0.0", 422, "not_public"),
    ("203.0.113.5", 422, "not_public"),
    ("::1", 422, "not_public"),
    ("fe80::1", 422, "not_public"),
    ("fc00::1", 422, "not_public"),
    ("2001:db8::1", 422, "not_public"),
    ("2c0f:ffff::1", 404, "not_found"),
]


@pytest.mark.parametrize("query,status,code", BAD, ids=[b[0][:24] or "empty" for b in BAD])
def test_bad_input_gets_a_clear_json_error(client, query, status, code):
    response = client.get(f"/api/{query}")
    assert response.status_code == status
    assert response.is_json
    error = response.get_json()["error"]
    assert error["code"] == code
    assert len(error["message"]) > 10 and "Traceback" not in error["message"]


def test_private_range_message_names_the_kind_of_range(client):
    assert "private" in client.get("/api/10.0.0.1").get_json()["error"]["message"]
    assert "documentation" in client.get("/api/203.0.113.5").get_json()["error"]["message"]
    assert "loopback" in client.get("/api/::1").get_json()["error"]["message"]


def test_a_name_resolving_only_to_private_addresses_is_refused():
    resolver = stub_resolver({"intranet.example": ["10.0.0.5", "fd00::5"]})
    client = create_app({"DATABASE_URL": None, "RESOLVER": resolver}).test_client()
    response = client.get("/api/intranet.example")
    assert response.status_code == 422 and "10.0.0.5, fd00::5" in response.get_json()["error"]["message"]


def test_a_slow_resolver_is_cut_off():
    import time
    from easygeoip.query import system_resolver
    import socket
    original = socket.getaddrinfo
    socket.getaddrinfo = lambda *a, **k: time.sleep(3) or original(*a, **k)
    try:
        started = time.monotonic()
        with pytest.raises(LookupError, match="took longer than 0.3s"):
            system_resolver(0.3)("slow.example")
        assert time.monotonic() - started < 2
    finally:
        socket.getaddrinfo = original


def test_wrong_method_and_unknown_api_paths_are_json(client):
    response = client.post("/api/8.8.8.8")
    assert response.status_code == 405 and response.is_json


# -- the page -------------------------------------------------------------------------------------

class _Resources(HTMLParser):
    def __init__(self):
        super().__init__()
        self.loaded: list[str] = []     # URLs the browser fetches by itself
        self.links: list[str] = []      # URLs a person may choose to follow

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "img", "iframe") and a.get("src"):
            self.loaded.append(a["src"])
        if tag == "link" and a.get("href"):
            self.loaded.append(a["href"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])


def test_page_shows_the_result_and_loads_nothing_from_elsewhere(client):
    response = client.get("/?q=81.2.69.160")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for text in ("Willesden", "United Kingdom", "Europe/London", "NW10", "within 200 km", 'data-zone="Europe/London"'):
        assert text in html
    assert "\U0001F1EC\U0001F1E7" in html        # the flag of GB, as regional-indicator letters
    parser = _Resources()
    parser.feed(html)
    assert parser.loaded and all(url.startswith("/static/") for url in parser.loaded), parser.loaded
    osm = [u for u in parser.links if "openstreetmap.org" in u]
    assert osm == ["https://www.openstreetmap.org/?mlat=51.5333&mlon=-0.2333#map=8/51.5333/-0.2333"]
    for url in parser.loaded:
        static = client.get(url)
        body = static.data.replace(b'xmlns="http://www.w3.org/2000/svg"', b"")   # a namespace name, not a fetch
        assert static.status_code == 200 and b"http://" not in body and b"https://" not in body


def test_page_explains_a_bad_query_with_a_4xx(client):
    response = client.get("/?q=10.0.0.1")
    assert response.status_code == 422
    assert "private address" in response.get_data(as_text=True)


def test_page_without_a_query_is_the_form(client):
    response = client.get("/")
    assert response.status_code == 200 and 'name="q"' in response.get_data(as_text=True)


def test_creating_the_app_opens_nothing():
    # gunicorn --preload imports the app in the master: nothing may be opened there to be shared by forks.
    app = create_app({"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"})
    ext = app.extensions["easygeoip"]
    assert ext["geo"]._reader is None and ext["timezones"]._pid is None and ext["timezones"]._idle == []


def test_configuration_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db.internal:5432/geo")
    monkeypatch.setenv("DATABASE_TIMEOUT", "1.5")
    app = create_app()
    assert app.config["DATABASE_URL"] == "postgresql://u@db.internal:5432/geo"
    assert app.extensions["easygeoip"]["timezones"].timeout == 1.5


def test_no_secret_in_the_source():
    source = "\n".join(p.read_text() for p in (EXAMPLES / "easygeoip").rglob("*")
                       if p.is_file() and p.suffix in (".py", ".txt", ".toml", ".json", ".html", ".js"))
    # Only the documented placeholder `user:password` may appear in a connection URL.
    assert set(re.findall(r"postgres(?:ql)?://([^@\s/]+:[^@\s]+)@", source)) <= {"user:password"}
    assert "SECRET_KEY" not in source and "password=" not in source.lower()
