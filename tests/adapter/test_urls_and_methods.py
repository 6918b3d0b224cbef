"""Every spelling of a v1.1 favorites URL that requests would send to the real host is
intercepted, HEAD gets an answer, and server messages are cut (issue 16, finding 12)."""

from __future__ import annotations

import http.server
import itertools
import json
import logging
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import urllib3

from compat import patch as compat_patch
from compat.adapter import LEGACY_HOSTS, MESSAGE_LIMIT, legacy_route
from compat.emulator import Emulator
from tests._support.adapter import CREATE, DESTROY, LIST, REAL_TWEET, no_sleep, signer

SCHEMES = ("https", "http", "HTTPS", "Http")
HOSTS = (
    "api.twitter.com",
    "API.TWITTER.COM",
    "api.twitter.com.",  # the fully qualified name: DNS resolves it to the same host
    "api.twitter.com%2E",  # requests decodes it to the trailing-dot name
    "%61pi.twitter.com",
    "Api.X.Com",
    "api.x.com.",
)
PORTS = ("", ":443", ":80", ":", ":0443", ":8443")
USERINFO = ("", "user@", "user:pass@")
PATHS = (
    "/1.1/favorites/list.json",
    "/1.1/Favorites/list.json",
    "/1.1/FAVORITES/LIST.JSON",
    "/1.1//favorites/list.json",
    "//1.1/favorites/list.json",
    "/1.1/favorites//list.json",
    "/1.1/favorites/list.json/",
    "/1.1/%66avorites/list.json",
    "/1.1/favorites%2Flist.json",
    "/1.1/favorites%2flist.json",
    "/1.1/./favorites/list.json",
    "/1.1/x/../favorites/list.json",
    "/1.1/x/%2E%2E/favorites/list.json",
    "/1.1/favorites/list%2Ejson",
    "/1%2E1/favorites/list.json",
    "/1.1/%2e/favorites/%6C%69%73%74.json",
)


def variants() -> list[str]:
    return [
        f"{scheme}://{user}{host}{port}{path}?count=1"
        for scheme, host, port, user, path in itertools.product(
            SCHEMES, HOSTS, PORTS, USERINFO, PATHS
        )
    ]


def reaches_the_real_host(url: str) -> bool:
    """Where requests would send ``url`` once prepared: the scheme and host urllib3 connects
    to (a fully qualified name with its trailing dot is the same host)."""
    parsed = urllib3.util.parse_url(url)
    host = (parsed.host or "").lower().rstrip(".")
    return (parsed.scheme or "") in ("http", "https") and host in LEGACY_HOSTS


def test_every_variant_the_real_host_would_get_is_intercepted(
    shim: compat_patch.Installation, figures: list[str]
) -> None:
    tried = intercepted = 0
    missed: list[str] = []
    with requests.Session() as session:
        for url in variants():
            prepared = requests.Request("GET", url).prepare()  # as requests sends it
            assert prepared.url is not None
            if not reaches_the_real_host(prepared.url):
                continue
            tried += 1
            route = legacy_route(prepared.url)
            if route is None or route.action != "list":
                missed.append(url)
                continue
            if session.get_adapter(prepared.url) is shim.adapter:
                intercepted += 1
            else:
                missed.append(url)
    figures.append(
        f"v1.1 URL spellings: {tried} generated that requests sends to the real host "
        f"(scheme, host case, trailing dot, port, user info, path case, //, ./, ../, "
        f"percent-encoding), {intercepted} intercepted, {len(missed)} missed"
    )
    assert missed == []
    assert (
        tried == intercepted == len(SCHEMES) * len(HOSTS) * len(PORTS) * len(USERINFO) * len(PATHS)
    )


def test_mount_takes_the_variants_without_user_info(emu: Emulator) -> None:
    with requests.Session() as session:
        adapter = compat_patch.mount(session, emu.credentials, api_base=emu.base_url)
        for url in variants():
            if "@" in url:  # requests matches a session's mounts by prefix: see the README
                continue
            prepared = requests.Request("GET", url).prepare()
            assert session.get_adapter(str(prepared.url)) is adapter, url


@pytest.mark.parametrize("path", PATHS)
def test_each_path_spelling_is_served(
    emu: Emulator, shim: compat_patch.Installation, path: str
) -> None:
    response = requests.get(
        f"https://api.twitter.com.{path}", params={"count": 1}, auth=signer(emu.credentials)
    )
    assert response.status_code == 200, response.text
    assert len(response.json()) == 1
    assert [r.endpoint for r in emu.requests] in (["liked_tweets"], [])  # [] from the memo


@pytest.mark.parametrize(
    "url",
    [
        "https://api.twitter.com.evil.example/1.1/favorites/list.json",
        "https://api.twitter.com:443@evil.example/1.1/favorites/list.json",
        "https://evil.example/1.1/favorites/list.json?h=api.twitter.com",
        "https://xapi.x.com/1.1/favorites/list.json",
        "https://api.twitter.com/2/favorites/list.json",
        "https://api.twitter.com/1.1",
    ],
)
def test_lookalikes_are_not_taken(shim: compat_patch.Installation, url: str) -> None:
    prepared = requests.Request("GET", url).prepare()
    assert legacy_route(prepared.url) is None
    with requests.Session() as session:
        assert session.get_adapter(str(prepared.url)) is not shim.adapter


@pytest.mark.parametrize(
    ("url", "endpoint"),
    [
        ("https://api.twitter.com/1.1/favorites/list.json/extra", "favorites/list.json/extra"),
        ("https://api.twitter.com/1.1/favorites/lists.json", "favorites/lists"),
        ("https://api.twitter.com/1.1/favorites/create.json%00", "favorites/create.json?"),
        ("https://api.twitter.com/1.1/favorites/destroy/20.json", "favorites/destroy/:id"),
        ("https://upload.twitter.com/1.1/favorites/list.json", "favorites/list"),
    ],
)
def test_lookalike_v11_paths_are_unserved_routes(url: str, endpoint: str) -> None:
    """Other /1.1/ paths are v1.1 calls compat does not serve: the unserved setting's."""
    route = legacy_route(requests.Request("GET", url).prepare().url)
    assert route is not None and (route.endpoint, route.served) == (endpoint, False)


def test_an_encoded_slash_in_the_old_id_form_stays_one_bad_id(
    emu: Emulator, shim: compat_patch.Installation
) -> None:
    url = "https://api.twitter.com/1.1/favorites/create/1%2F2.json"
    route = legacy_route(url)
    assert route is not None and route.path_id == "1/2"
    response = requests.post(url, auth=signer(emu.credentials))
    assert response.status_code == 400 and response.json()["errors"][0]["code"] == 44
    assert emu.requests == []


# -- HEAD and other methods -------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [CREATE, DESTROY, LIST, f"https://api.twitter.com/1.1/favorites/create/{REAL_TWEET}.json"],
)
@pytest.mark.parametrize("signed", [True, False])
def test_head_gets_an_answer_without_a_body(
    emu: Emulator, shim: compat_patch.Installation, url: str, signed: bool
) -> None:
    auth = signer(emu.credentials) if signed else None
    head = requests.head(url, params={"id": REAL_TWEET}, auth=auth)
    assert head.status_code == 404
    assert head.content == b""
    assert head.headers["content-type"] == "application/json;charset=utf-8"
    other = requests.request("OPTIONS", url, params={"id": REAL_TWEET}, auth=auth)
    assert other.status_code == 404
    assert int(head.headers["content-length"]) == len(other.content)  # what GET-like would be
    assert other.json()["errors"][0]["code"] == 34
    assert emu.requests == []
    with requests.head(url, auth=auth, stream=True) as streamed:
        assert streamed.raw.read() == b""


# -- server messages are cut ------------------------------------------------------------------


class _Hostile(http.server.BaseHTTPRequestHandler):
    """A v2 server whose answers carry one huge message (``mode`` says which answer)."""

    mode = "error"
    size = 200_000

    def do_GET(self) -> None:
        huge = "x" * self.size
        if self.mode == "error":
            status, doc = 400, {"errors": [{"message": huge}], "title": "Invalid Request"}
        else:  # a 200 whose post id breaks the schema
            status, doc = 200, {"data": [{"id": huge, "text": "t", "edit_history_tweet_ids": []}]}
        body = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_DELETE = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def hostile() -> Iterator[tuple[str, type[_Hostile]]]:
    handler = type("Hostile", (_Hostile,), {})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.mark.parametrize("mode", ["error", "schema"])
def test_huge_server_messages_are_cut(
    emu: Emulator,
    hostile: tuple[str, type[_Hostile]],
    caplog: pytest.LogCaptureFixture,
    mode: str,
) -> None:
    base, handler = hostile
    handler.mode = mode
    with (
        caplog.at_level(logging.DEBUG, logger="compat.adapter"),
        compat_patch.patched(emu.credentials, api_base=base, sleep=no_sleep),
    ):
        response = requests.get(LIST, params={"count": 1}, auth=signer(emu.credentials))
    assert response.status_code in (400, 500)
    assert len(response.content) < MESSAGE_LIMIT + 200  # not 200 kB
    message = response.json()["errors"][0]["message"]
    assert len(message) <= MESSAGE_LIMIT + 40
    assert all(
        len(r.getMessage()) < MESSAGE_LIMIT + 200
        for r in caplog.records
        if r.name == "compat.adapter"
    )
