"""The Prefect UI, opened in headless Chromium, lists a completed newsetl flow run by name.

Uses the session's real Prefect server (conftest). If no run has completed on it yet (this file run
alone), one `newsetl run` on seeds/ makes one. Only loopback requests are allowed: the machine is offline.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.e2e.test_serve import api

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def completed_newsetl_run(base: str) -> dict[str, Any] | None:
    runs = api(base, "POST", "/flow_runs/filter", {
        "flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}},
        "flows": {"name": {"any_": ["newsetl-run"]}},
        "sort": "END_TIME_DESC", "limit": 1,
    })
    return runs[0] if runs else None


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium not installed (sh .ci/install-chromium)")
def test_ui_lists_completed_flow_run(prefect_api: str, newsetl: Any, tmp_path: Path) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    run = completed_newsetl_run(prefect_api)
    if run is None:
        res = newsetl("run", "--input", str(ROOT / "seeds"), "--db", str(tmp_path / "ui.duckdb"))
        assert res.returncode == 0, res.stderr[-2000:]
        run = completed_newsetl_run(prefect_api)
    assert run is not None
    ui = prefect_api.removesuffix("/api")

    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page()
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(ui)
                       else route.abort())
            # The server's UI settings point at PREFECT_UI_API_URL, which defaults to port 4200 whatever
            # --port says; point the UI at this server's API instead.
            page.route(f"{ui}/ui-settings", lambda route: route.fulfill(
                json={**route.fetch().json(), "api_url": prefect_api}))
            page.set_default_timeout(45_000)
            page.goto(f"{ui}/runs", wait_until="domcontentloaded")
            # The runs list is rendered client-side from the API; wait for this run's name to appear.
            link = page.get_by_text(run["name"], exact=True).first
            link.wait_for(state="visible")
            link.click()
            page.wait_for_url(f"**/runs/flow-run/{run['id']}**")
            page.get_by_text("Completed").first.wait_for(state="visible")
            assert run["name"] in page.locator("body").inner_text()
        finally:
            browser.close()
