"""Unchanged tweepy 4 code liking through the gateway backend (install(backend=...))."""

from __future__ import annotations

import pathlib
import textwrap
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import tweepy

import compat
from compat import cli
from compat import patch as compat_patch
from compat.emulator import Emulator
from compat.gateway import GatewayClient

pytestmark = pytest.mark.filterwarnings("ignore::compat.warnings.LegacyFavoritesWarning")

POST = "1626194750222094336"
# The legacy program's own v1.1 app keys: the gateway never sees them.
LEGACY_KEYS = ("legacy-ck", "legacy-cs", "1072250532645998596-legacy", "legacy-ts")


def legacy_api() -> tweepy.API:
    return tweepy.API(tweepy.OAuth1UserHandler(*LEGACY_KEYS))


def own_api(emu: Emulator) -> tweepy.API:
    """tweepy signing with the X keys compat also holds (listing needs them)."""
    c = emu.credentials
    auth = tweepy.OAuth1UserHandler(
        c.consumer_key, c.consumer_secret, c.access_token, c.access_token_secret
    )
    return tweepy.API(auth)


@pytest.fixture(autouse=True)
def _uninstall() -> Iterator[None]:
    yield
    compat_patch.uninstall()


def test_create_and_destroy_unchanged_give_the_x_backends_status(
    emu: Emulator, gateway_options: Callable[..., dict[str, Any]]
) -> None:
    compat.install(emu.credentials, api_base=emu.base_url)
    expected = own_api(emu).create_favorite(POST)
    own_api(emu).destroy_favorite(POST)
    compat_patch.uninstall()
    compat.install(**gateway_options())
    emu.clear_requests()
    status = legacy_api().create_favorite(POST)
    assert status.favorited is True and status.user.screen_name == "ruchowdh"
    for field in ("id", "text", "created_at", "favorite_count", "retweet_count", "lang", "source"):
        assert getattr(status, field) == getattr(expected, field), field
    assert status.user.followers_count == expected.user.followers_count
    assert POST in emu.state.liked(emu.user_id)
    undone = legacy_api().destroy_favorite(int(POST))
    assert undone.favorited is False
    assert [r.endpoint for r in emu.requests] == [
        "gateway_tweets",
        "gateway_like",
        "gateway_tweets",
        "gateway_unlike",
    ]


def test_favorites_list_through_the_gateway_reads_x_with_the_users_keys(
    emu: Emulator, gateway_options: Callable[..., dict[str, Any]]
) -> None:
    compat.install(emu.credentials, **gateway_options())
    statuses = list(tweepy.Cursor(own_api(emu).get_favorites, count=20).items(30))
    assert len(statuses) == 30 and all(s.favorited for s in statuses)
    assert {r.endpoint for r in emu.requests} == {"liked_tweets"}


def test_favorites_list_without_x_keys_fails_with_what_to_configure(
    emu: Emulator, gateway_options: Callable[..., dict[str, Any]]
) -> None:
    compat.install(**gateway_options())
    # what the adapter does with any failure that is no API answer: tweepy's own exception
    with pytest.raises(tweepy.TweepyException, match="user-context X credentials") as info:
        legacy_api().get_favorites()
    assert "X_CONSUMER_KEY" in str(info.value)
    assert emu.requests == []


def test_forbidden_is_tweepys_forbidden_with_v11_code(
    emu: Emulator, gateway_options: Callable[..., dict[str, Any]]
) -> None:
    compat.install(**gateway_options(write=False))
    with pytest.raises(tweepy.Forbidden) as info:
        legacy_api().create_favorite(POST)
    assert info.value.api_codes == [220]
    assert "like.write" in info.value.api_messages[0]


def test_missing_post_is_tweepys_not_found_144(
    emu: Emulator, gateway_options: Callable[..., dict[str, Any]]
) -> None:
    compat.install(**gateway_options())
    with pytest.raises(tweepy.NotFound) as info:
        legacy_api().create_favorite(1)
    assert info.value.api_codes == [144]


def test_bad_gateway_key_is_tweepys_unauthorized_32(emu: Emulator) -> None:
    compat.patch.install(backend=GatewayClient("wrong", base_url=emu.base_url + "/apis/v1"))
    with pytest.raises(tweepy.Unauthorized) as info:
        legacy_api().destroy_favorite(POST)
    assert info.value.api_codes == [32]


def test_backend_by_name_from_the_environment(
    emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPAT_GATEWAY_URL", emu.base_url + "/apis/v1")
    monkeypatch.setenv("COMPAT_GATEWAY_API_KEY", emu.gateway_key())
    compat.patch.install(backend="gateway")
    status = legacy_api().create_favorite(POST)  # the gateway alone: its read, its write
    assert status.favorited is True and status.user.screen_name == "ruchowdh"
    assert POST in emu.state.liked(emu.user_id)
    legacy_api().destroy_favorite(POST)


def test_compat_run_with_the_gateway_backend(
    emu: Emulator,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: pathlib.Path,
    capfd: pytest.CaptureFixture[str],
) -> None:
    bot = tmp_path / "bot.py"
    bot.write_text(
        textwrap.dedent(
            f"""
            import tweepy
            api = tweepy.API(tweepy.OAuth1UserHandler(*{LEGACY_KEYS!r}))
            print(api.create_favorite({POST}).favorited, api.destroy_favorite({POST}).favorited)
            """
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("COMPAT_GATEWAY_URL", emu.base_url + "/apis/v1")
    monkeypatch.setenv("COMPAT_GATEWAY_API_KEY", emu.gateway_key())
    assert cli.main(["run", "--backend", "gateway", "--", "python", str(bot)]) == 0
    out, _err = capfd.readouterr()
    assert out.strip().splitlines()[-1] == "True False"
    assert [r.endpoint for r in emu.requests] == [
        "gateway_tweets",
        "gateway_like",
        "gateway_tweets",
        "gateway_unlike",
    ]


def test_compat_run_refuses_to_start_without_a_key_as_install_refuses(
    tmp_path: pathlib.Path, capfd: pytest.CaptureFixture[str]
) -> None:
    marker = tmp_path / "ran"
    bot = tmp_path / "bot.py"
    bot.write_text(f"open({str(marker)!r}, 'w').close()\n", encoding="utf-8")
    with pytest.raises(compat.ConfigurationError) as refused:
        compat.install(backend="gateway")
    assert cli.main(["run", "--backend", "gateway", "--", "python", str(bot)]) == 2
    err = capfd.readouterr().err
    assert not marker.exists()
    # the same words, only the way in named differently
    said = refused.value.message.removeprefix("install(): ")
    assert f"compat run: {said}" in err
    assert "COMPAT_GATEWAY_API_KEY" in said
