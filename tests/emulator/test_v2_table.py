"""The emulator serves compat's v2 table (compat._v2): routes, per-user limits, the day cap."""

from __future__ import annotations

import re

import pytest
import requests

from compat import _v2
from compat.emulator import Emulator
from compat.emulator.clock import FakeClock
from compat.emulator.faults import ENDPOINTS, Faults
from compat.emulator.gateway import GATEWAY_PREFIX, GATEWAY_ROUTES
from compat.emulator.ratelimit import DAY_LIMIT, DAY_SHARED, LIMITS, RateLimiter, Window
from compat.emulator.server import ROUTES

SEGMENT = "123"


def _sample_path(spec: _v2.Route) -> str:
    names = re.findall(r"\{(\w+)\}", spec.path)
    return spec.url_path(**dict.fromkeys(names, SEGMENT))


def test_every_v2_route_is_served_as_the_table_says() -> None:
    served = {route.endpoint: route for route in ROUTES}
    assert set(served) == set(_v2.ROUTES)
    for endpoint, spec in _v2.ROUTES.items():
        route = served[endpoint]
        assert (route.method, route.auth) == (spec.method, spec.auth), endpoint
        assert route.pattern.fullmatch(_sample_path(spec)), endpoint


def test_the_emulator_sends_each_table_path_to_its_endpoint(emu: Emulator) -> None:
    # unsigned: every answer is a 401, but the request log names the route that matched
    with requests.Session() as session:
        for endpoint, spec in _v2.ROUTES.items():
            session.request(spec.method, emu.base_url + _sample_path(spec), timeout=10)
            assert emu.requests[-1].endpoint == endpoint
            assert emu.requests[-1].status == 401


def test_gateway_routes_are_the_tables_under_the_gateway_base_path() -> None:
    assert GATEWAY_PREFIX == "/apis/v1"
    assert _v2.DEFAULT_GATEWAY_URL.endswith(GATEWAY_PREFIX)
    served = {route.endpoint: route for route in GATEWAY_ROUTES}
    assert set(served) == set(_v2.GATEWAY_ROUTES)
    for endpoint, spec in _v2.GATEWAY_ROUTES.items():
        route = served[endpoint]
        assert route.method == spec.method
        assert route.auth == "none"  # the handler checks the gateway's API key
        assert route.pattern.fullmatch(GATEWAY_PREFIX + spec.path)


def test_rate_limits_are_the_tables() -> None:
    assert {
        endpoint: Window(spec.user_limit, _v2.WINDOW_15MIN)
        for endpoint, spec in _v2.ROUTES.items()
        if spec.user_limit is not None
    } == LIMITS
    assert Window(_v2.LIKES_DAY_LIMIT, _v2.WINDOW_24H) == DAY_LIMIT
    assert DAY_SHARED == _v2.LIKES_DAY_SHARED


@pytest.mark.parametrize("endpoint", sorted(_v2.ROUTES))
def test_each_endpoint_reports_its_table_limit(endpoint: str) -> None:
    spec = _v2.ROUTES[endpoint]
    allowed, headers = RateLimiter(FakeClock(start=0)).hit("user:1", endpoint)
    assert allowed
    if spec.user_limit is None:
        assert headers == {}
        return
    assert headers["x-rate-limit-limit"] == str(spec.user_limit)
    assert headers["x-rate-limit-reset"] == str(_v2.WINDOW_15MIN)
    if endpoint in _v2.LIKES_DAY_SHARED:
        assert headers["x-user-limit-24hour-limit"] == str(_v2.LIKES_DAY_LIMIT)
        assert headers["x-user-limit-24hour-reset"] == str(_v2.WINDOW_24H)
    else:
        assert "x-user-limit-24hour-limit" not in headers


def test_faults_name_the_table_endpoints() -> None:
    assert set(ENDPOINTS) == set(_v2.ROUTES)
    emu = Emulator()  # never started: the fault table is built with it
    assert emu.faults.endpoints == {*_v2.ROUTES, *_v2.GATEWAY_ROUTES, "*"}
    assert Faults().endpoints == {*_v2.ROUTES, "*"}
