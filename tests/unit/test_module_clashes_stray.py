"""Two distributions that both ship a stray top-level tests/ (django-filer and djangocms-alias both install
tests/test_admin.py) do not clash: nothing imports a dependency by that name, and removing one of them took away
the package the app imports. A real clash (one package module, two contents) is still found beside it."""

from __future__ import annotations

from shipyard import module_clashes


def _dist(site, name, version, files):
    info = site / f"{name}-{version}.dist-info"
    info.mkdir(parents=True)
    rows = [f"{path},sha256={digest},10" for path, digest in files.items()] + [f"{info.name}/RECORD,,"]
    (info / "RECORD").write_text("\n".join(rows) + "\n")


def test_stray_tests_folders_are_no_clash(tmp_path):
    site = tmp_path / "site"
    _dist(site, "django_filer", "3.2.3", {"filer/__init__.py": "a", "tests/test_admin.py": "filer",
                                           "tests/settings.py": "filer", "docs/conf.py": "filer"})
    _dist(site, "djangocms_alias", "2.0.1", {"djangocms_alias/__init__.py": "b", "tests/test_admin.py": "alias",
                                              "docs/conf.py": "alias"})
    assert module_clashes.clashes(site, ["django-filer", "djangocms-alias"]) == []


def test_a_package_module_still_clashes_beside_stray_files(tmp_path):
    site = tmp_path / "site"
    _dist(site, "jarudadb", "0.0.3", {"databases/__init__.py": "mine", "tests/t.py": "mine"})
    _dist(site, "databases", "0.9.0", {"databases/__init__.py": "theirs", "tests/t.py": "theirs"})
    assert module_clashes.clashes(site, ["jarudaDB", "databases"]) == [
        ("jarudadb", "0.0.3", "databases", "databases/__init__.py")]


def test_an_environment_the_older_rule_left_without_a_requested_distribution_is_stale(tmp_path):
    site = tmp_path / "site"
    _dist(site, "django_filer", "3.2.3", {"filer/__init__.py": "a"})
    requested = ["django-filer==3.2.3", "djangocms-alias==2.0.1"]
    # built before the rule: djangocms-alias was uninstalled for tests/test_admin.py
    assert module_clashes.stale_environment(site, requested, {"requirements": requested})
    # built by this rule: whatever it removed, it removed for a real clash
    assert not module_clashes.stale_environment(site, requested, {"requirements": requested,
                                                                  "clash_rule": module_clashes.RULE})
    _dist(site, "djangocms_alias", "2.0.1", {"djangocms_alias/__init__.py": "b"})
    assert not module_clashes.stale_environment(site, requested, {"requirements": requested})


def test_proof_environment_moves_a_stale_one_aside(tmp_path):
    from shipyard import environments
    final = tmp_path / "envs" / "py3.12.1-abc"
    site = final / "lib" / "python3.12" / "site-packages"
    _dist(site, "django_filer", "3.2.3", {"filer/__init__.py": "a"})
    (final / ".complete").write_text('{"requirements": []}\n')
    spec = environments.InstallSpec(("django-filer==3.2.3", "djangocms-alias==2.0.1"), ())
    assert environments._stale_proof(final, spec)
    assert not final.exists()
    assert list((tmp_path / "envs").iterdir()) == []
