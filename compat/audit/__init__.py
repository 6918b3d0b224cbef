"""Migration audit: where a codebase depends on v1.1 favorites, and what v2 changes for it.

The static audit (``compat audit PATH...``) parses Python with :mod:`ast`; see
:mod:`compat.audit.static` for what it finds, :mod:`compat.audit.rules` for the codes and
:mod:`compat.audit.report` for the formats.

Usage::

    >>> from compat.audit import scan_source
    >>> [f.code for f in scan_source("import tweepy\\napi = tweepy.API(auth)\\napi.favorites()\\n")]
    ['CPT103']
"""

from __future__ import annotations

from compat.audit.report import FORMATS, Renderable, Report, render
from compat.audit.rules import RULES, Finding, Rule
from compat.audit.static import IGNORED_DIRS, discover, scan, scan_file, scan_source

__all__ = [
    "FORMATS",
    "IGNORED_DIRS",
    "RULES",
    "Finding",
    "Renderable",
    "Report",
    "Rule",
    "discover",
    "render",
    "scan",
    "scan_file",
    "scan_source",
]
