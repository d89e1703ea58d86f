"""A failed validation's Data Docs, opened in headless Chromium, name the failed expectation.

Uses Debian's chromium (`sh .ci/install-chromium`) driven by Playwright through `executable_path`.
The pages pull CSS/JS from CDNs; the machine is offline, so those requests are aborted and we wait only
for the DOM, which GX renders server-side.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from expectations.gate import BatchStats, GateThresholds, audit
from flows.settings import Settings

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def one_article() -> dict[str, pd.DataFrame]:
    return {
        "articles": pd.DataFrame({
            "article_id": ["a1"], "title": ["Lone article"], "body": ["A body long enough to be kept."],
            "language": ["en"], "source_domain": ["example.com"],
            "published_at": pd.to_datetime(["2024-01-01T00:00:00Z"], utc=True),
        }),
        "entities": pd.DataFrame({"entity_id": ["e1"], "name": ["Jane Doe"], "type": ["person"]}),
        "article_entities": pd.DataFrame({"article_id": ["a1"], "entity_id": ["e1"], "mentions": [2]}),
        "figures": pd.DataFrame({"figure_id": ["f1"], "article_id": ["a1"], "value": [3.0],
                                 "category": ["killed"], "qualifier": ["="]}),
    }


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium not installed (sh .ci/install-chromium)")
def test_failed_validation_page_names_the_expectation(tmp_path: Path) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    result = audit(one_article(), BatchStats(files_new=1, files_quarantined=0, articles_new=1),
                   GateThresholds.from_settings(Settings(min_articles_per_run=1000)), tmp_path, "browser-run")
    assert not result.success and result.docs_index is not None
    assert "batch.min_articles_per_run" in result.reason()

    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page()
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                       else route.abort())
            page.goto(result.docs_index.as_uri(), wait_until="domcontentloaded")
            page.set_default_timeout(15_000)
            # The index lists validations in a bootstrap-table fed from inline data (the table JS comes from
            # a CDN, blocked here), so take this run's batch result link from the page source and follow it.
            found = re.search(r"validations/batch/browser-run/[^'\"?]+\.html", page.content())
            assert found, "index does not link the failed batch validation"
            result_page = result.docs_index.parent / found.group(0)
            page.goto(result_page.as_uri(), wait_until="domcontentloaded")
            assert Path(found.group(0)).parts[-1] == result.docs_pages["batch"].name
            text = page.locator("body").inner_text()
            assert "batch.min_articles_per_run" in text
            # The overview's status line: "Failed" alone is on every page (the "Failed Only" filter).
            assert re.search(r"Status:\s*Failed\b", text) and not re.search(r"Status:\s*Succeeded\b", text), text[:2000]
        finally:
            browser.close()
