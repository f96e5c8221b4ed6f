"""Which host serve prints and nginx passes for a Django app, from the local names its ALLOWED_HOSTS accepts
(read with the app's interpreter: run/django_hosts.py; the integration test serves such apps)."""

from __future__ import annotations

from shipyard.run.django_hosts import AcceptedHosts, say_hosts


def test_an_app_accepting_127_0_0_1_keeps_the_clients_host():
    hosts = AcceptedHosts(("localhost", "127.0.0.1"), ("127.0.0.1", "localhost"))
    assert hosts.url_host == "127.0.0.1" and hosts.pass_host is None
    said = []
    say_hosts(hosts, 8000, True, said.append)
    assert said == []


def test_an_app_accepting_only_localhost_is_served_at_localhost():
    hosts = AcceptedHosts(("localhost",), ("localhost",), "localhost")
    assert hosts.url_host == "localhost" and hosts.pass_host == "localhost"
    said = []
    say_hosts(hosts, 8000, True, said.append)
    assert said == ["the app accepts localhost and not 127.0.0.1 (ALLOWED_HOSTS = ['localhost']): serve answers at "
                    "http://localhost:8000/; nginx passes Host localhost:8000 to the app for requests under another name"]


def test_an_app_accepting_only_its_domain_gets_that_host_from_nginx():
    hosts = AcceptedHosts((".example.com",), (), "example.com")
    assert hosts.url_host == "127.0.0.1" and hosts.pass_host == "example.com"
    # a name nginx could not write as it is is never passed: the app answers 400, and serve says what to set
    assert AcceptedHosts(("bad host;",), (), "bad host;").pass_host is None
    said = []
    say_hosts(AcceptedHosts((), ()), 8000, True, said.append)
    assert said and said[0].startswith("warning: the app's settings accept none of this machine's names")
