"""Run feedback: a rich progress bar when stderr is a terminal, plain log lines otherwise.

Every update also goes to the Prefect run logger, so served runs (no terminal) show the same progress
in the UI. At the end of a run on a terminal, a compact one-screen summary panel goes to stderr.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import asdict
from types import TracebackType
from typing import Any, Protocol, TextIO


class _Logger(Protocol):
    def info(self, msg: str, *args: Any) -> None: ...


def is_terminal(stream: TextIO | None = None) -> bool:
    s = stream or sys.stderr
    return bool(getattr(s, "isatty", lambda: False)())


class RunProgress:
    """Files processed through parse/extract, then the validate and publish stages."""

    def __init__(self, log: _Logger | logging.Logger, *, bar: bool | None = None) -> None:
        self.log = log
        self.bar = is_terminal() if bar is None else bar
        self._progress: Any = None
        self._task: Any = None
        self._handlers: list[Any] = []
        self._saved: list[Any] = []
        self.total = 0
        self.done = 0
        self.articles = 0

    def __enter__(self) -> RunProgress:
        if self.bar:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            # Prefect's console handlers print through rich Consoles of their own; while the bar is live they
            # share its Console, so log lines scroll above the bar instead of tearing through it.
            # (Prefect's own Consoles carry a theme without the progress-bar styles, hence a new Console.)
            self._handlers = _prefect_console_handlers()
            console = (Console(file=self._handlers[0].stream, markup=False,
                               highlighter=self._handlers[0].console.highlighter)
                       if self._handlers else Console(stderr=True, markup=False))
            self._saved = [h.console for h in self._handlers]
            for h in self._handlers:
                h.console = console
            self._progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                                      TextColumn("files · {task.fields[articles]} articles"), TimeElapsedColumn(),
                                      console=console, transient=True)
            self._progress.start()
        return self

    def start_files(self, total: int) -> None:
        self.total = total
        if self._progress is not None:
            self._task = self._progress.add_task("parse + extract", total=max(total, 1), articles=0)

    def advance(self, files: int, articles: int) -> None:
        self.done += files
        self.articles += articles
        self._update(advance=files, articles=self.articles)
        self.log.info("progress: %d/%d files, %d articles staged", self.done, self.total, self.articles)

    def stage(self, name: str) -> None:
        self._update(description=name)
        self.log.info("stage: %s", name)

    def _update(self, **fields: Any) -> None:
        if self._task is None:
            return
        try:
            self._progress.update(self._task, **fields)
        except Exception:  # a display problem must never fail a run: fall back to log lines
            self.__exit__(None, None, None)
            self._task = None

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
            for h, c in zip(self._handlers, self._saved, strict=True):
                h.console = c


def _prefect_console_handlers() -> list[Any]:
    """Prefect's console log handlers that write to a terminal (one per handler object)."""
    from prefect.logging.handlers import PrefectConsoleHandler

    loggers = [logging.getLogger()] + [lg for lg in logging.Logger.manager.loggerDict.values()
                                       if isinstance(lg, logging.Logger)]
    found: dict[int, Any] = {}
    for lg in loggers:
        for h in lg.handlers:
            if isinstance(h, PrefectConsoleHandler) and is_terminal(h.stream):
                found.setdefault(id(h), h)
    return list(found.values())


def summary_lines(s: Any) -> list[str]:
    """The end-of-run summary as short lines (a RunSummary or its dict)."""
    r = s if isinstance(s, dict) else asdict(s)
    lines = [
        f"run {r['run_id']}: {r['status'].upper()} in {r['seconds']:.1f}s",
        f"inputs   {r['files_seen']:>7}  unchanged {r['files_unchanged']}, loaded {r['files_loaded']}, "
        f"duplicate {r['files_duplicate']}, quarantined {r['files_quarantined']}",
        f"articles {r['articles_loaded']:>7}  duplicates {r['duplicates']}, quarantine rows {r['quarantined']}",
        f"extracted         entity links {r['entities']}, figures {r['figures']}",
        f"validation        {'passed' if r['validation_success'] else 'FAILED'}",
    ]
    lines += [f"  - {d}" for d in r.get("failure_details", [])[:8]]
    if r.get("reason"):
        lines.append(f"reason            {r['reason']}")
    if r.get("docs_index"):
        lines.append(f"data docs         {r['docs_index']}")
    return lines


def print_summary(s: Any, stream: TextIO | None = None) -> None:
    """A compact panel on a terminal's stderr; nothing otherwise (the CLI prints its one-line summary)."""
    out = stream or sys.stderr
    if not is_terminal(out):
        return
    from rich.console import Console
    from rich.panel import Panel

    lines = summary_lines(s)
    style = "green" if lines[0].split(": ")[1].startswith("PUBLISHED") else "red"
    Console(file=out).print(Panel("\n".join(lines[1:]), title=lines[0], title_align="left", border_style=style))
