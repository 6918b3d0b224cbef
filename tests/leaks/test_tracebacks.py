"""No secret in what error reporters record: the locals of every frame of a CompatError's
traceback (and of the exceptions it chains), the requests attached to it, and the DEBUG
records requests-oauthlib and oauthlib make on compat's own requests (issue 16, finding 8)."""

from __future__ import annotations

import logging
import pathlib
import warnings
from collections.abc import Callable, Iterator
from types import TracebackType

import pytest
import requests
import tweepy  # type: ignore[import-untyped]

import compat
from compat import Credentials, Favorites, LikesClient
from compat import patch as compat_patch
from compat.client import SIGNING_LOGGERS
from compat.emulator import Emulator
from compat.warnings import LegacyFavoritesWarning
from tests._support.leaks import all_secrets, leaks

POST = "1626194750222094336"
UNREACHABLE = "http://127.0.0.1:9"
TESTS = pathlib.Path(__file__).resolve().parents[1]
# The legacy program's own keys (not compat's): what it signs its v1.1 requests with.
LEGACY = ("legacy-ck", "legacy-cs", "1072250532645998596-legacy", "legacy-ts")


def no_sleep(seconds: float) -> None:
    """Retries without waiting."""


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(likes=20) as emulator:
        emulator.rate_limits.lift()
        yield emulator


@pytest.fixture
def secrets(emu: Emulator) -> list[str]:
    return sorted({*all_secrets(emu), emu.gateway_key(), emu.gateway_key(write=False)})


@pytest.fixture(autouse=True)
def _clean(emu: Emulator) -> Iterator[None]:
    emu.faults.clear()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LegacyFavoritesWarning)
        yield
    emu.faults.clear()
    compat_patch.uninstall()


def reported_chain(error: BaseException) -> list[BaseException]:
    """The exceptions a reporter shows, as sentry_sdk walks them: the cause, else the context
    unless it was suppressed (``raise … from None``)."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and all(current is not e for e in chain):
        chain.append(current)
        current = current.__cause__ if current.__suppress_context__ else current.__context__
    return chain


def frames(tb: TracebackType | None) -> Iterator[tuple[str, str, dict[str, object]]]:
    while tb is not None:
        frame = tb.tb_frame
        yield frame.f_code.co_filename, frame.f_code.co_name, dict(frame.f_locals)
        tb = tb.tb_next


def what_a_reporter_records(error: BaseException) -> tuple[list[str], int, int]:
    """``file:function local=repr`` of every frame outside the tests themselves (which hold
    the secrets they pass in), plus the requests compat attached to its errors (a legacy
    library's own error carries the program's own request, signed with its own keys); and how
    many frames and locals were read."""
    seen: list[str] = []
    count = variables_read = 0
    for exc in reported_chain(error):
        seen.append(f"{type(exc).__name__}: {exc!s} {exc!r}")
        for filename, function, variables in frames(exc.__traceback__):
            if pathlib.Path(filename).resolve().is_relative_to(TESTS):
                continue
            count += 1
            for name, value in variables.items():
                seen.append(f"{filename}:{function} {name}={value!r}")
                variables_read += 1
        if not isinstance(exc, compat.CompatError):
            continue
        for holder in (exc, exc.response):
            request = getattr(holder, "request", None)
            if isinstance(request, requests.PreparedRequest):
                seen.append(f"request.headers={dict(request.headers)!r} body={request.body!r}")
    return seen, count, variables_read


def caught(attempt: Callable[[], object], kind: type[BaseException]) -> BaseException:
    with pytest.raises(kind) as info:
        attempt()
    return info.value


def oauth2(emu: Emulator) -> Credentials:
    return emu.oauth2_credentials()


def gateway_options(
    emu: Emulator, *, url: str | None = None, write: bool = True
) -> dict[str, object]:
    return {
        "backend": "gateway",
        "gateway_api_key": emu.gateway_key(write=write),
        "gateway_url": url or emu.base_url + "/apis/v1",
        "gateway_user_id": emu.user_id,
        "gateway_source": LikesClient(oauth2(emu), api_base=emu.base_url),
    }


def legacy_tweepy() -> tweepy.API:
    return tweepy.API(tweepy.OAuth1UserHandler(*LEGACY))


def legacy_auth() -> requests.auth.AuthBase:
    from requests_oauthlib import OAuth1

    return OAuth1(*LEGACY)


# -- the drop-in functions ------------------------------------------------------------------


def drop_in_v2_forbidden(emu: Emulator) -> BaseException:
    emu.faults.inject("like", "client-forbidden")
    favorites = Favorites(oauth2(emu), api_base=emu.base_url)
    return caught(lambda: favorites.create(POST), compat.ApiError)


def drop_in_v2_unreachable(emu: Emulator) -> BaseException:
    favorites = Favorites(oauth2(emu), api_base=UNREACHABLE, sleep=no_sleep)
    return caught(lambda: favorites.list(count=5), compat.TransportError)


def drop_in_gateway_forbidden(emu: Emulator) -> BaseException:
    favorites = Favorites(**gateway_options(emu, write=False))
    return caught(lambda: favorites.create(POST), compat.ApiError)


def drop_in_gateway_unreachable(emu: Emulator) -> BaseException:
    favorites = Favorites(**gateway_options(emu, url=UNREACHABLE + "/apis/v1"), sleep=no_sleep)
    return caught(lambda: favorites.create(POST), compat.TransportError)


# -- install()'d legacy code ------------------------------------------------------------------


def installed_requests_v2_unreachable(emu: Emulator) -> BaseException:
    # any_signer: the legacy program signs with its own keys, compat holds the OAuth 2.0 token
    compat_patch.install(oauth2(emu), api_base=UNREACHABLE, any_signer=True, sleep=no_sleep)
    return caught(
        lambda: requests.get(
            "https://api.twitter.com/1.1/favorites/list.json", auth=legacy_auth(), timeout=2
        ),
        requests.ConnectionError,
    )


def installed_tweepy_v2_unreachable(emu: Emulator) -> BaseException:
    compat_patch.install(oauth2(emu), api_base=UNREACHABLE, any_signer=True, sleep=no_sleep)
    return caught(lambda: legacy_tweepy().create_favorite(POST), tweepy.TweepyException)


def installed_tweepy_gateway_forbidden(emu: Emulator) -> BaseException:
    compat_patch.install(**gateway_options(emu, write=False))
    return caught(lambda: legacy_tweepy().create_favorite(POST), tweepy.Forbidden)


def installed_tweepy_gateway_unreachable(emu: Emulator) -> BaseException:
    compat_patch.install(**gateway_options(emu, url=UNREACHABLE + "/apis/v1"), sleep=no_sleep)
    return caught(lambda: legacy_tweepy().create_favorite(POST), tweepy.TweepyException)


SCENARIOS: dict[str, Callable[[Emulator], BaseException]] = {
    f.__name__: f
    for f in (
        drop_in_v2_forbidden,
        drop_in_v2_unreachable,
        drop_in_gateway_forbidden,
        drop_in_gateway_unreachable,
        installed_requests_v2_unreachable,
        installed_tweepy_v2_unreachable,
        installed_tweepy_gateway_forbidden,
        installed_tweepy_gateway_unreachable,
    )
}


READ = {"scenarios": 0, "frames": 0, "locals": 0}


@pytest.fixture(scope="module", autouse=True)
def _tally(figures: list[str]) -> Iterator[None]:
    yield
    if READ["scenarios"]:
        figures.append(
            f"tracebacks with locals: {READ['scenarios']} failing calls (drop-in, requests and "
            f"tweepy under install(); OAuth 2.0 token and gateway key configured), "
            f"{READ['frames']} frames and {READ['locals']} locals read: no secret"
        )


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_no_secret_in_traceback_locals_or_attached_requests(
    emu: Emulator, secrets: list[str], scenario: str
) -> None:
    error = SCENARIOS[scenario](emu)
    recorded, frame_count, variables_read = what_a_reporter_records(error)
    READ["scenarios"] += 1
    READ["frames"] += frame_count
    READ["locals"] += variables_read
    assert frame_count >= 3  # the frames of requests/tweepy and of compat were read
    text = "\n".join(recorded)
    assert leaks(text, secrets) == []
    if scenario.endswith("unreachable") or "drop_in" in scenario:
        compat_errors = [e for e in reported_chain(error) if isinstance(e, compat.CompatError)]
        assert compat_errors, "a CompatError is in what the reporter shows"
        for exc in compat_errors:
            assert exc.request is not None
            assert exc.request.headers["Authorization"] == "[redacted by compat]"
            if exc.response is not None and exc.response.request is not None:
                assert exc.response.request.headers["Authorization"] == "[redacted by compat]"


def test_the_redacted_request_is_a_copy(emu: Emulator) -> None:
    # What was sent keeps its header (a retry re-prepares it anyway); only the copy is masked.
    sent: list[requests.PreparedRequest] = []
    session = requests.Session()
    session.hooks["response"].append(lambda r, *a, **k: sent.append(r.request))
    client = LikesClient(oauth2(emu), api_base=emu.base_url, session=session)
    emu.faults.inject("like", "client-forbidden")
    error = caught(lambda: client.like(POST), compat.ApiError)
    assert isinstance(error, compat.CompatError) and error.request is not None
    assert error.request is not sent[-1]
    assert str(sent[-1].headers["Authorization"]).startswith("Bearer ")
    assert error.request.url == sent[-1].url and error.request.method == "POST"


# -- DEBUG logs of requests-oauthlib and oauthlib ---------------------------------------------


def test_signing_logs_of_compats_own_requests_are_dropped(
    emu: Emulator, secrets: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # the root logger, as `logging.basicConfig(level=DEBUG)`
    favorites = Favorites(emu.credentials, api_base=emu.base_url)  # OAuth 1.0a: signed
    favorites.create(POST)
    favorites.destroy(POST)
    favorites.list(count=3)
    signing = [r for r in caplog.records if r.name in SIGNING_LOGGERS]
    assert signing == []
    assert leaks(caplog.text, secrets) == []
    assert "oauth_signature" not in caplog.text
    assert any(r.name == "compat.client" for r in caplog.records)  # compat's own still logs


def test_the_users_own_signing_is_logged_as_before(
    emu: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    compat_patch.install(emu.credentials, api_base=emu.base_url)
    creds = emu.credentials
    from requests_oauthlib import OAuth1

    auth = OAuth1(
        creds.consumer_key, creds.consumer_secret, creds.access_token, creds.access_token_secret
    )
    response = requests.get(
        "https://api.twitter.com/1.1/favorites/list.json", params={"count": 2}, auth=auth
    )
    assert response.status_code == 200
    urls = [r.getMessage() for r in caplog.records if r.name == "requests_oauthlib.oauth1_auth"]
    # The program's own v1.1 request: logged by requests-oauthlib as without compat...
    assert any("api.twitter.com/1.1/favorites/list.json" in u for u in urls)
    # ...the v2 requests compat made for it: not.
    signing = [r.getMessage() for r in caplog.records if r.name in SIGNING_LOGGERS]
    assert signing and not any(emu.base_url in message for message in signing)
    assert [r.endpoint for r in emu.requests][-1:] == ["liked_tweets"]


def test_every_signing_logger_carries_the_filter() -> None:
    for name in SIGNING_LOGGERS:
        assert any(
            type(f).__name__ == "_OwnRequestsFilter" for f in logging.getLogger(name).filters
        )
