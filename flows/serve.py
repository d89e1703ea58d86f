"""`newsetl serve`: the `newsetl-run` flow served as a scheduled Prefect deployment.

The deployment is registered with the server at PREFECT_API_URL (start one with `make ui`), with a cron
schedule, the run's inputs and database as default parameters, and a deployment concurrency limit of 1:
a scheduled or UI-triggered run that arrives while another is running waits for the slot instead of
racing it. The RunLock inside the flow still guards against writers outside Prefect (`newsetl run`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flows.settings import Settings

DEFAULT_DEPLOYMENT = "newsetl-scheduled"


class NoPrefectServer(RuntimeError):
    """`serve` needs a long-lived Prefect server; the ephemeral one dies with the process."""


@dataclass(frozen=True, slots=True)
class ServeSpec:
    cron: str
    name: str = DEFAULT_DEPLOYMENT
    concurrency: int = 1

    def parameters(self, settings: Settings) -> dict[str, Any]:
        return run_parameters(settings)


def run_parameters(settings: Settings) -> dict[str, Any]:
    """A deployment's default parameters. Absolute paths: runs triggered from the UI must not depend on the
    serving process's cwd. The four named parameters are the ones a person edits in the UI; `settings`
    carries every other override."""
    db = settings.lake or str(settings.db.resolve())  # a DuckLake stays its ducklake:... spec
    return {"inputs": [str(p.resolve()) for p in settings.inputs], "db": db,
            "sources": list(settings.sources),
            "sources_file": str(settings.sources_file.resolve()) if settings.sources_file else None,
            "settings": settings.to_params()}


def api_url() -> str | None:
    from prefect.settings import get_current_settings

    url = get_current_settings().api.url
    return str(url) if url else None


def check_cron(expr: str) -> None:
    """Reject a bad cron expression before anything is registered, with Prefect's own validator."""
    from prefect.client.schemas.schedules import CronSchedule
    from pydantic import ValidationError

    try:
        CronSchedule(cron=expr)
    except ValidationError:
        raise ValueError(f"not a valid cron expression: {expr!r}") from None


def serve(settings: Settings, spec: ServeSpec) -> None:
    """Register the deployment and poll for its runs until interrupted (blocks)."""
    check_cron(spec.cron)
    if api_url() is None:
        raise NoPrefectServer("PREFECT_API_URL is not set: start a server (`make ui`) and "
                              "export PREFECT_API_URL=http://127.0.0.1:4200/api")
    from flows.pipeline import newsetl_run, task_runner_for

    # Served runs execute the in-memory flow object, so they get the same task runner as `newsetl run`.
    flow = newsetl_run.with_options(task_runner=task_runner_for(settings))
    flow.serve(
        name=spec.name,
        cron=spec.cron,
        parameters=spec.parameters(settings),
        global_limit=spec.concurrency,
        description="newsetl: ingest, extract, validate and publish on a schedule (one writer at a time).",
        tags=["newsetl"],
    )
