"""The emulator serves compat's v2 table (compat._v2): routes, auth, the fault endpoints.

The rate limits come from the plans table instead: tests/emulator/test_plans.py."""

from __future__ import annotations

import re

import requests

from compat import _v2
from compat.emulator import Emulator
from compat.emulator.faults import ENDPOINTS, Faults
from compat.emulator.gateway import GATEWAY_PREFIX, GATEWAY_ROUTES
from compat.emulator.server import ROUTES, v2_routes

SEGMENT = "123"
#: User context only in X's spec v2.167 (no BearerToken security; x-docs-2026/README.md)
LIKES_LOOKUPS = ("liked_tweets", "liking_users")


def _sample_path(spec: _v2.Route) -> str:
    names = re.findall(r"\{(\w+)\}", spec.path)
    return spec.url_path(**dict.fromkeys(names, SEGMENT))


def test_every_v2_route_is_served_as_the_table_says() -> None:
    served = {route.endpoint: route for route in ROUTES}
    assert set(served) == set(_v2.ROUTES)
    for endpoint, spec in _v2.ROUTES.items():
        route = served[endpoint]
        auth = "user" if endpoint in LIKES_LOOKUPS else spec.auth
        assert (route.method, route.auth) == (spec.method, auth), endpoint
        assert route.pattern.fullmatch(_sample_path(spec)), endpoint


def test_public_likes_serves_the_likes_lookups_to_app_only_bearers_too() -> None:
    served = {route.endpoint: route.auth for route in v2_routes(public_likes=True)}
    assert {e: served[e] for e in LIKES_LOOKUPS} == dict.fromkeys(LIKES_LOOKUPS, "any")
    assert {e: a for e, a in served.items() if e not in LIKES_LOOKUPS} == {
        e: spec.auth for e, spec in _v2.ROUTES.items() if e not in LIKES_LOOKUPS
    }


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


def test_faults_name_the_table_endpoints() -> None:
    assert set(ENDPOINTS) == set(_v2.ROUTES)
    emu = Emulator()  # never started: the fault table is built with it
    assert emu.faults.endpoints == {*_v2.ROUTES, *_v2.GATEWAY_ROUTES, "*"}
    assert Faults().endpoints == {*_v2.ROUTES, "*"}
