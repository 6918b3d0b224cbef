"""Unchanged tweepy 4 code liking through the gateway backend (install(backend=...))."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import tweepy

import compat
from compat import LikesClient
from compat import patch as compat_patch
from compat.credentials import AppBearer
from compat.emulator import Emulator
from compat.gateway import GatewayClient

pytestmark = pytest.mark.filterwarnings("ignore::compat.warnings.LegacyFavoritesWarning")

POST = "1626194750222094336"
# The legacy program's own v1.1 app keys: the gateway never sees them.
LEGACY_KEYS = ("legacy-ck", "legacy-cs", "1072250532645998596-legacy", "legacy-ts")


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    with Emulator(likes=10) as emulator:
        emulator.rate_limits.lift()
        yield emulator


def legacy_api() -> tweepy.API:
    return tweepy.API(tweepy.OAuth1UserHandler(*LEGACY_KEYS))


def install_gateway(emu: Emulator, *, write: bool = True, source: bool = True) -> None:
    backend = GatewayClient(
        emu.gateway_key(write=write),
        base_url=emu.base_url + "/apis/v1",
        source=LikesClient(AppBearer(emu.app_only_bearer), api_base=emu.base_url)
        if source
        else None,
        user_id=emu.user_id,
    )
    compat.patch.install(backend=backend)


@pytest.fixture(autouse=True)
def _uninstall() -> Iterator[None]:
    yield
    compat_patch.uninstall()


def test_create_and_destroy_unchanged(emu: Emulator) -> None:
    install_gateway(emu)
    emu.clear_requests()
    api = legacy_api()
    status = api.create_favorite(POST)
    assert status.favorited is True and status.user.screen_name == "ruchowdh"
    assert POST in emu.state.liked(emu.user_id)
    undone = api.destroy_favorite(int(POST))
    assert undone.favorited is False
    assert [r.endpoint for r in emu.requests] == [
        "tweets",
        "gateway_like",
        "tweets",
        "gateway_unlike",
    ]


def test_without_a_source_tweepy_gets_a_minimal_status(emu: Emulator) -> None:
    install_gateway(emu, source=False)
    status = legacy_api().create_favorite(POST)
    assert status.id == int(POST) and status.favorited is True
    legacy_api().destroy_favorite(POST)


def test_forbidden_is_tweepys_forbidden_with_v11_code(emu: Emulator) -> None:
    install_gateway(emu, write=False)
    with pytest.raises(tweepy.Forbidden) as info:
        legacy_api().create_favorite(POST)
    assert info.value.api_codes == [220]
    assert "like.write" in info.value.api_messages[0]


def test_missing_post_is_tweepys_not_found_144(emu: Emulator) -> None:
    install_gateway(emu, source=False)
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
    for name in ("X_CONSUMER_KEY", "TWITTER_CONSUMER_KEY", "CONSUMER_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COMPAT_GATEWAY_URL", emu.base_url + "/apis/v1")
    monkeypatch.setenv("COMPAT_GATEWAY_API_KEY", emu.gateway_key())
    compat.patch.install(backend="gateway")
    status = legacy_api().create_favorite(POST)  # minimal: no read source configured
    assert status.favorited is True
    assert POST in emu.state.liked(emu.user_id)
    legacy_api().destroy_favorite(POST)


def test_compat_run_with_the_gateway_backend(
    emu: Emulator,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: object,
    capfd: pytest.CaptureFixture[str],
) -> None:
    import pathlib
    import textwrap

    from compat import cli

    bot = pathlib.Path(str(tmp_path)) / "bot.py"
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
    for name in ("X_CONSUMER_KEY", "TWITTER_CONSUMER_KEY", "CONSUMER_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("COMPAT_BACKEND", raising=False)  # --backend sets it
    monkeypatch.setenv("COMPAT_GATEWAY_URL", emu.base_url + "/apis/v1")
    monkeypatch.setenv("COMPAT_GATEWAY_API_KEY", emu.gateway_key())
    monkeypatch.setenv("COMPAT_GATEWAY_USER_ID", emu.user_id)
    monkeypatch.setenv("COMPAT_GATEWAY_SOURCE_BEARER", emu.app_only_bearer)
    monkeypatch.setenv("COMPAT_API_BASE", emu.base_url)
    emu.clear_requests()
    assert cli.main(["run", "--backend", "gateway", "--", "python", str(bot)]) == 0
    out, _err = capfd.readouterr()
    assert out.strip().splitlines()[-1] == "True False"
    assert [r.endpoint for r in emu.requests] == [
        "tweets",
        "gateway_like",
        "tweets",
        "gateway_unlike",
    ]
