"""Who a legacy request is served as: unsigned requests, redirects from other servers, and
every valid spelling of an OAuth 1.0a ``Authorization`` header (issue 16, findings 3 and 4)."""

from __future__ import annotations

import http.server
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
import tweepy  # type: ignore[import-untyped]
import twitter  # type: ignore[import-untyped]
import twython  # type: ignore[import-untyped]
from oauthlib.oauth1 import Client as OAuthClient
from requests_oauthlib import OAuth1Session

from compat import Credentials, LikesClient
from compat import patch as compat_patch
from compat.adapter import BAD_AUTHENTICATION, parse_oauth_params
from compat.credentials import AppBearer
from compat.emulator import Emulator
from compat.gateway import GatewayClient
from tests._support.adapter import CREATE, DESTROY, LIST, REAL_TWEET, no_sleep, signer

BAD_AUTH_BODY = {"errors": [{"code": 215, "message": "Bad Authentication data."}]}
NOT_AUTHENTICATED = {"errors": [{"code": 32, "message": "Could not authenticate you."}]}


def liked(emu: Emulator, creds: Credentials) -> bool:
    return REAL_TWEET in emu.state.liked(str(creds.token_user_id()))


@pytest.fixture
def unliked(emu: Emulator) -> Iterator[None]:
    """REAL_TWEET is liked by none of the test accounts during the test; restored after."""
    users = [emu.user_id] + [
        str(emu.credentials_for(name).token_user_id()) for name in ("tweepytest", "ruchowdh")
    ]
    before = {user: emu.state.is_liked(user, REAL_TWEET) for user in users}
    for user in users:
        emu.state.unlike(user, REAL_TWEET)
    yield
    for user, was in before.items():
        (emu.state.like if was else emu.state.unlike)(user, REAL_TWEET)


# -- finding 3: an unsigned request is v1.1's 400/215 ---------------------------------------


def test_the_215_body_is_the_one_v11_sent() -> None:
    # Recorded answers (see compat.adapter.BAD_AUTHENTICATION for the sources): HTTP 400,
    # {"errors":[{"code":215,"message":"Bad Authentication data."}]}, 62 bytes.
    status, code, message = BAD_AUTHENTICATION
    assert (status, code, message) == (400, 215, "Bad Authentication data.")
    body = '{"errors":[{"code":215,"message":"Bad Authentication data."}]}'
    assert len(body) == 62


@pytest.mark.parametrize(
    ("method", "url", "headers"),
    [
        ("POST", CREATE + "?id=" + REAL_TWEET, {}),
        ("POST", DESTROY + "?id=" + REAL_TWEET, {}),
        ("GET", LIST, {}),
        ("POST", f"https://api.twitter.com/1.1/favorites/create/{REAL_TWEET}.json", {}),
        ("GET", LIST, {"Authorization": "Basic dXNlcjpwYXNz"}),
        ("GET", LIST, {"Authorization": "Digest username=x"}),
        ("GET", LIST, {"Authorization": "OAuth"}),
        ("GET", LIST, {"Authorization": 'OAuth oauth_token="1-t"'}),  # no consumer key
        ("GET", LIST, {"Authorization": 'OAuth oauth_consumer_key="ck'}),  # unterminated
        ("GET", LIST, {"Authorization": 'OAuth oauth_consumer_key"ck"'}),
        ("GET", LIST, {"Authorization": 'OAuth a="1", a="2", oauth_consumer_key="ck"'}),
        ("GET", LIST, {"Authorization": "OAuth,oauth_consumer_key=ck"}),
    ],
)
def test_unsigned_or_unreadable_gets_400_code_215_and_no_request(
    emu: Emulator, shim: compat_patch.Installation, method: str, url: str, headers: Any
) -> None:
    response = requests.request(method, url, headers=headers)
    assert response.status_code == 400
    assert response.json() == BAD_AUTH_BODY
    assert emu.requests == []


def test_each_library_raises_its_own_error_for_215(
    emu: Emulator, shim: compat_patch.Installation
) -> None:
    class NoAuth:  # a tweepy auth handler that signs nothing
        def apply_auth(self) -> None:
            return None

    with pytest.raises(tweepy.BadRequest) as tweepy_error:
        tweepy.API(NoAuth()).create_favorite(REAL_TWEET)
    assert tweepy_error.value.api_codes == [215]
    api = twitter.Api()  # no keys: python-twitter sends it unsigned when not enforcing auth
    response = api._RequestUrl(CREATE, "POST", data={"id": REAL_TWEET}, enforce_auth=False)
    with pytest.raises(twitter.TwitterError) as twitter_error:
        api._ParseAndCheckTwitter(response.content.decode("utf-8"))
    assert twitter_error.value.message == BAD_AUTH_BODY["errors"]
    with pytest.raises(twython.TwythonError) as twython_error:  # an app key only: unsigned
        twython.Twython("ck").request("favorites/list", params={"count": 1})
    assert isinstance(twython_error.value, twython.TwythonAuthError)  # Twython: 400 or 401
    assert twython_error.value.error_code == 400
    assert emu.requests == []


def test_emulator_mode_serves_unsigned_as_its_default_user(emu: Emulator) -> None:
    emu.clear_requests()
    with compat_patch.patched(emu.credentials, api_base=emu.base_url, any_signer=True):
        response = requests.get(LIST, params={"count": 1})
        basic = requests.get(LIST, params={"count": 1}, headers={"Authorization": "Basic eA=="})
    assert response.status_code == basic.status_code == 200
    assert {r.user_id for r in emu.requests} == {emu.user_id}


def test_gateway_serves_any_signer_but_not_unsigned(emu: Emulator, unliked: None) -> None:
    backend = GatewayClient(
        emu.gateway_key(),
        base_url=emu.base_url + "/apis/v1",
        source=LikesClient(AppBearer(emu.app_only_bearer), api_base=emu.base_url),
        user_id=emu.user_id,
    )
    legacy = Credentials("legacy-ck", "legacy-cs", "1072250532645998596-legacy", "legacy-ts")
    emu.clear_requests()
    with compat_patch.patched(backend=backend):
        unsigned = requests.post(CREATE, params={"id": REAL_TWEET})
        assert emu.requests == []
        signed = requests.post(CREATE, params={"id": REAL_TWEET}, auth=signer(legacy))
        requests.post(DESTROY, params={"id": REAL_TWEET}, auth=signer(legacy))
    assert (unsigned.status_code, unsigned.json()) == (400, BAD_AUTH_BODY)
    assert signed.status_code == 200


# -- finding 3: a redirect from another server never likes -----------------------------------


class _Redirector(http.server.BaseHTTPRequestHandler):
    """A third-party server: every request is answered ``<status>`` to ``Location``, both
    taken from the query (``/?status=307&to=<url>``); it counts what it received."""

    seen: list[str]

    def _redirect(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        self.seen.append(self.command)
        self.send_response(int(query["status"][0]))
        self.send_header("Location", query["to"][0])
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = do_PUT = _redirect

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def redirector() -> Iterator[tuple[str, list[str]]]:
    seen: list[str] = []
    handler = type("Redirector", (_Redirector,), {"seen": seen})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def to(base: str, status: int, url: str) -> str:
    return base + "?" + urllib.parse.urlencode({"status": status, "to": url})


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("target", [CREATE, DESTROY])
def test_redirect_to_a_write_never_likes(
    emu: Emulator,
    shim: compat_patch.Installation,
    redirector: tuple[str, list[str]],
    unliked: None,
    status: int,
    target: str,
) -> None:
    base, seen = redirector
    url = to(base, status, f"{target}?id={REAL_TWEET}")
    auth = signer(emu.credentials)  # signed for the third-party URL; requests strips it
    plain = requests.post(url, data={"id": REAL_TWEET}, auth=auth)
    resigned = OAuth1Session(  # requests-oauthlib re-signs every redirect with its own keys
        emu.credentials.consumer_key,
        emu.credentials.consumer_secret,
        emu.credentials.access_token,
        emu.credentials.access_token_secret,
    ).post(url, data={"id": REAL_TWEET})
    for response in (plain, resigned):
        assert response.history and response.history[0].status_code == status
        assert response.status_code in (400, 401, 404), response.text  # 303: a GET, 404/34
    assert not liked(emu, emu.credentials)
    assert [r.endpoint for r in emu.requests] == []
    assert seen[-2:] == ["POST", "POST"]


def test_redirect_through_python_twitter_and_twython_sessions(
    emu: Emulator, shim: compat_patch.Installation, redirector: tuple[str, list[str]], unliked: None
) -> None:
    base, _seen = redirector
    creds = emu.credentials
    url = to(base, 307, f"{CREATE}?id={REAL_TWEET}")
    api = twitter.Api(
        creds.consumer_key, creds.consumer_secret, creds.access_token, creds.access_token_secret
    )
    response = api._RequestUrl(url, "POST", data={"include_entities": "true"})
    with pytest.raises(twitter.TwitterError) as info:
        api._ParseAndCheckTwitter(response.content.decode("utf-8"))
    assert info.value.message == BAD_AUTH_BODY["errors"]
    client = twython.Twython(
        creds.consumer_key, creds.consumer_secret, creds.access_token, creds.access_token_secret
    ).client  # Twython's own requests session, its OAuth1 set on the session
    assert client.post(url).json() == BAD_AUTH_BODY
    assert not liked(emu, creds)
    assert emu.requests == []


def test_a_redirect_into_list_is_still_served_when_resigned(
    emu: Emulator, shim: compat_patch.Installation, redirector: tuple[str, list[str]]
) -> None:
    # A read returns the likes to the program itself, not to the server that redirected it.
    base, _seen = redirector
    creds = emu.credentials
    session = OAuth1Session(
        creds.consumer_key, creds.consumer_secret, creds.access_token, creds.access_token_secret
    )
    response = session.get(to(base, 302, LIST + "?count=2"))
    assert response.status_code == 200 and len(response.json()) == 2
    assert requests.get(to(base, 302, LIST + "?count=2")).json() == BAD_AUTH_BODY


# -- finding 4: every valid spelling of the OAuth header ------------------------------------


def canonical_header(creds: Credentials, method: str, url: str) -> str:
    client = OAuthClient(
        creds.consumer_key,
        client_secret=creds.consumer_secret,
        resource_owner_key=creds.access_token,
        resource_owner_secret=creds.access_token_secret,
    )
    _uri, headers, _body = client.sign(url, method)
    return str(headers["Authorization"])


def _pairs(header: str) -> list[tuple[str, str]]:
    params = parse_oauth_params(header.split(" ", 1)[1])
    assert params is not None
    return list(params.items())


Spelling = Callable[[list[tuple[str, str]]], str]

SPELLINGS: dict[str, Spelling] = {
    "canonical": lambda p: "OAuth " + ", ".join(f'{k}="{v}"' for k, v in p),
    "unquoted": lambda p: "OAuth " + ", ".join(f"{k}={v}" for k, v in p),
    "single-quoted": lambda p: "OAuth " + ", ".join(f"{k}='{v}'" for k, v in p),
    "tab after OAuth": lambda p: "OAuth\t" + ", ".join(f'{k}="{v}"' for k, v in p),
    "upper-case names": lambda p: "OAuth " + ", ".join(f'{k.upper()}="{v}"' for k, v in p),
    "spaces around =": lambda p: "OAuth " + " , ".join(f'{k} = "{v}"' for k, v in p),
    "no spaces": lambda p: "OAuth " + ",".join(f'{k}="{v}"' for k, v in p),
    "lower-case scheme": lambda p: "oauth " + ", ".join(f'{k}="{v}"' for k, v in p),
    "upper-case scheme": lambda p: "OAUTH " + ", ".join(f'{k}="{v}"' for k, v in p),
    "tabs around ,": lambda p: "OAuth " + "\t,\t".join(f'{k}="{v}"' for k, v in p),
    "realm and empty elements": lambda p: (
        'OAuth realm="https://api.twitter.com/", , ' + ", ".join(f'{k}="{v}"' for k, v in p)
    ),
    "all at once": lambda p: (
        "OAUTH\t"
        + " ,".join(
            f"{k.upper()} = {v}" if i % 2 else f"{k}\t=\t'{v}'" for i, (k, v) in enumerate(p)
        )
    ),
}


TALLY = {"spellings": 0, "served as signer": 0, "refused 401/32": 0}


@pytest.fixture(scope="module", autouse=True)
def _tally(figures: list[str]) -> Iterator[None]:
    yield
    if TALLY["spellings"]:
        figures.append(
            f"OAuth header spellings: {TALLY['spellings']} signed requests "
            f"({len(SPELLINGS)} spellings x registered A, registered B, unregistered, forged): "
            f"{TALLY['served as signer']} served as their own signer, "
            f"{TALLY['refused 401/32']} refused 401/32, none served as another account"
        )


@pytest.fixture(scope="module")
def people(emu: Emulator) -> dict[str, Credentials]:
    return {
        "A": emu.credentials,
        "B": emu.credentials_for("tweepytest"),
        "stranger": emu.credentials_for("ruchowdh"),  # a valid v2 account, never registered
    }


@pytest.mark.parametrize("spelling", sorted(SPELLINGS))
@pytest.mark.parametrize("who", ["A", "B", "stranger", "forged"])
def test_every_spelling_is_served_as_its_signer_or_refused(
    emu: Emulator, people: dict[str, Credentials], spelling: str, who: str
) -> None:
    a, b = people["A"], people["B"]
    if who == "forged":  # A's key and token, signed with the wrong secrets
        signing = Credentials(a.consumer_key, "not-the-secret", a.access_token, "nor-this")
    else:
        signing = people[who]
    url = LIST + "?count=1"
    header = SPELLINGS[spelling](_pairs(canonical_header(signing, "GET", url)))
    emu.clear_requests()
    with compat_patch.patched([a, b], api_base=emu.base_url, sleep=no_sleep):
        response = requests.get(url, headers={"Authorization": header})
    TALLY["spellings"] += 1
    if who in ("A", "B"):
        assert response.status_code == 200, (header, response.text)
        assert [r.user_id for r in emu.requests] == [people[who].token_user_id()]
        TALLY["served as signer"] += 1
    else:
        assert (response.status_code, response.json()) == (401, NOT_AUTHENTICATED)
        assert emu.requests == []
        TALLY["refused 401/32"] += 1


@pytest.mark.parametrize("spelling", sorted(SPELLINGS))
def test_every_spelling_of_a_form_post_verifies(
    emu: Emulator, people: dict[str, Credentials], spelling: str, unliked: None
) -> None:
    # python-twitter and Twython sign a form body: the body is part of the signature.
    b = people["B"]
    client = OAuthClient(
        b.consumer_key,
        client_secret=b.consumer_secret,
        resource_owner_key=b.access_token,
        resource_owner_secret=b.access_token_secret,
    )
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    _uri, headers, body = client.sign(CREATE, "POST", f"id={REAL_TWEET}", form)
    header = SPELLINGS[spelling](_pairs(str(headers["Authorization"])))
    with compat_patch.patched([people["A"], b], api_base=emu.base_url, sleep=no_sleep):
        response = requests.post(CREATE, data=body, headers={**form, "Authorization": header})
        assert response.status_code == 200, response.text
        assert liked(emu, b) and not liked(emu, people["A"])
        requests.post(DESTROY, params={"id": REAL_TWEET}, auth=signer(b))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('oauth_token="a%20b"', {"oauth_token": "a%20b"}),
        ("oauth_token=a%20b", {"oauth_token": "a%20b"}),
        ("oauth_token='a'", {"oauth_token": "a"}),
        ('oauth_token="a\\"b"', {"oauth_token": 'a"b'}),  # an RFC 7230 quoted-pair
        ('OAuth_Token = "x" ,, realm=""', {"oauth_token": "x", "realm": ""}),
        ("oauth_token=", {"oauth_token": ""}),
        ("", {}),
        (" ,\t, ", {}),
        ('oauth_token="a" oauth_nonce="b"', None),  # no comma between parameters
        ('oauth_token="a', None),
        ("oauth_token='a", None),
        ("oauth_token=a b", None),
        ('oauth_token="a", OAUTH_TOKEN="b"', None),  # the same name twice
        ('="a"', None),
    ],
)
def test_parse_oauth_params(text: str, expected: dict[str, str] | None) -> None:
    assert parse_oauth_params(text) == expected
