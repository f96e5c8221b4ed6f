"""cairocffi loads cairo at run time (dlopen): an image without libcairo2 stopped at import ('no library called
"cairo" was found', a 2020 falcon app on WeasyPrint 51, which draws with cairo); WeasyPrint before 53 also loads
pangocairo."""

from __future__ import annotations

from shipyard.detect.services import system_packages
from shipyard.plan import Dependency


def _dep(name: str, spec: str = "") -> Dependency:
    return Dependency(name=name, spec=spec, source="requirements.txt")


def test_cairocffi_brings_cairo_into_the_final_image():
    found = system_packages([_dep("cairocffi", "==1.1.0")])
    assert found.runtime == ("libcairo2",) and found.build == ()


def test_weasyprint_brings_pangocairo_beside_pango():
    found = system_packages([_dep("WeasyPrint", "==51")])
    assert {"libpango-1.0-0", "libpangoft2-1.0-0", "libpangocairo-1.0-0"} <= set(found.runtime)
