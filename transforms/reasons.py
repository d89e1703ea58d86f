"""Why an input, entry or row was quarantined (`quarantine.reason`, `Rejection.reason`): one enumeration.

Every reader and step names its reason with a member of `Reason`; a reader that fails raises `InputError`,
which carries its reason, so no caller ever picks a reason by reading exception text. The README's list of
reason codes is checked against this enumeration (tests/unit/test_docs.py), and every member is produced
by a real input in tests/functional/test_reasons.py.

Two other kinds of code share the `reason` columns, and are kept apart on purpose:
- rows that fail a row-level expectation are quarantined under the expectation's name
  (`figures.value_within_category_range`, see expectations/suites.py): the suites own those names;
- fetch outcomes (`fetches.reason`) are `transforms.web.Reason`: they describe a URL and a network exchange
  (`robots_disallowed`, `http_status`, ...), a separate vocabulary with its own README table. A fetched page
  that yields no article carries one of the reasons below in `fetches.reason`.
"""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    """A quarantine reason code; the comment after each member is its one-line meaning (README lists them)."""

    EMPTY = "empty"  # no text: an empty or whitespace-only file, record set or article
    BINARY = "binary"  # NUL or control bytes: not a text file
    TOO_LARGE = "too_large"  # over a byte limit (file, gzip expansion, HTML page, WARC payload)
    TOO_LONG = "too_long"  # an article body over max_body_chars characters
    BAD_GZIP = "bad_gzip"  # a .gz file that is not valid gzip (or is truncated)
    UNSUPPORTED_TYPE = "unsupported_type"  # an extension newsetl does not read, or not a regular file
    OUTSIDE_INPUT = "outside_input"  # a symlink or path that resolves outside the input folder
    UNREADABLE = "unreadable"  # the file could not be read (permissions, vanished, I/O error)
    MISSING = "missing"  # a named input path that does not exist
    MALFORMED_FEED = "malformed_feed"  # XML that is no RSS/Atom feed, or that the feed parser gave up on
    UNSAFE_XML = "unsafe_xml"  # XML with an external, nesting or oversized entity declaration (never parsed)
    EMPTY_FEED = "empty_feed"  # a feed without entries
    EMPTY_ENTRY = "empty_entry"  # a feed entry with neither title nor text
    MALFORMED_RECORD = "malformed_record"  # a JSON Lines line or WARC record that cannot be read as an article
    MALFORMED_HTML = "malformed_html"  # HTML the parser failed on, with no text recoverable by stripping tags
    MALFORMED_WARC = "malformed_warc"  # a damaged WARC archive (records after the damage are lost)
    NOT_AN_ARTICLE = "not_an_article"  # readable, but no article: no main text, a headline-only entry
    TIMEOUT = "timeout"  # processing the file overran file_timeout_s (or its worker was stuck and killed)
    WORKER_CRASH = "worker_crash"  # the worker process died while parsing this file
    PARSE_ERROR = "parse_error"  # an unexpected error inside a reader (a bug, isolated to its file)


class InputError(ValueError):
    """A reader could not use its input: `reason` says why (a `Reason`), `detail` says how, for a person."""

    def __init__(self, reason: Reason, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
