"""Every secret the test suite uses, and a scanner for them."""

from __future__ import annotations

import re

from compat.emulator import Dataset, Emulator

#: Secrets written into test modules themselves (fake credentials for cassettes and unit tests).
TEST_SECRETS = (
    "consumer-secret",
    "token-secret",
    "consumer-SECRET-value",
    "token-SECRET-value",
    "bearer-SECRET-value",
    "oauth2-user-context-token",
    "gateway-key-SECRET",
)
OAUTH_SIGNATURE = re.compile(r"oauth_signature=\"?[A-Za-z0-9%+/=]{8,}")
BEARER_HEADER = re.compile(r"Authorization: Bearer [A-Za-z0-9%._-]{8,}", re.IGNORECASE)


def dataset_secrets() -> list[str]:
    """The emulator dataset's consumer secrets, token secrets and bearer tokens."""
    dataset = Dataset.default()
    out: list[str] = []
    for app in dataset.apps.values():
        out += [app.consumer_secret, app.bearer_token]
    for token in dataset.tokens():
        out += [token.access_token_secret, token.bearer_token]
        # the random part of an OAuth 1.0a access token is a secret too
        out.append(token.access_token.split("-", 1)[-1])
    return [s for s in out if s and len(s) >= 8]


def all_secrets(emu: Emulator | None = None) -> list[str]:
    found = dataset_secrets() + list(TEST_SECRETS)
    if emu is not None:
        found += [s for s in emu.credentials.secrets() if len(s) >= 8]
    return sorted(set(found))


def leaks(text: str, secrets: list[str]) -> list[str]:
    """What in ``text`` is a secret or looks like an OAuth signature / bearer header."""
    hits = [s for s in secrets if s in text]
    hits += OAUTH_SIGNATURE.findall(text)
    hits += BEARER_HEADER.findall(text)
    return hits
