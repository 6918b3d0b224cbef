"""X's rules on automated likes, quoted exactly, with where each quote comes from.

The quotes are from X's developer guidelines (``developer-guidelines.mdx`` of X's docs
repository, the copy in ``shared/realdata/x-docs-2026/``); a test checks each against the
literal text of its line. The static audit reports CPT301 where code likes in a loop, over
search results, on a schedule or by keyword, and quotes :data:`LIKES_RULE`.

Usage::

    >>> from compat.audit.policy import LIKES_RULE, PATTERNS
    >>> LIKES_RULE.source
    'developer-guidelines.mdx:108'
    >>> sorted(PATTERNS)
    ['keyword', 'loop', 'schedule', 'search']
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["AUTOMATION_ROW", "HASHTAG_ROW", "LIKES_RULE", "PATTERNS", "Quote"]

GUIDELINES = "developer-guidelines.mdx"
GUIDELINES_URL = "https://docs.x.com/developer-guidelines"


@dataclass(frozen=True)
class Quote:
    """``text`` appears verbatim on line ``line`` of ``file``."""

    text: str
    file: str
    line: int

    @property
    def source(self) -> str:
        return f"{self.file}:{self.line}"


LIKES_RULE = Quote(
    "Likes must be directly initiated by the authenticated user.** Automated, bulk, or "
    "indiscriminate liking — including auto-liking by keyword, hashtag, user, or schedule — is "
    "prohibited.",
    GUIDELINES,
    108,
)
AUTOMATION_ROW = Quote(
    "Must be directly user-initiated. Auto-liking, bulk liking, and selling likes are prohibited.",
    GUIDELINES,
    197,
)
HASHTAG_ROW = Quote("App auto-likes posts containing a hashtag", GUIDELINES, 100)

#: What the finder looks for, and how a finding's detail names it.
PATTERNS: dict[str, str] = {
    "loop": "likes in a loop (bulk liking)",
    "search": "likes the results of a search (indiscriminate liking)",
    "schedule": "likes on a schedule (sleep loop, sched, schedule, APScheduler, cron)",
    "keyword": "likes posts chosen by a keyword or hashtag test",
}


def quoted() -> str:
    """The rule as a report prints it: the quote (bold markers removed) and its source."""
    text = LIKES_RULE.text.replace("**", "")
    return f'X\'s developer guidelines: "{text}" ({LIKES_RULE.source})'
