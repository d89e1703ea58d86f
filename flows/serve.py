"""`newsetl serve`: the `newsetl-run` flow served as a scheduled Prefect deployment.

The deployment is registered with the server at PREFECT_API_URL (start one with `make ui`), with a cron
schedule, the run's inputs and database as default parameters, and a deployment concurrency limit of 1:
a scheduled or UI-triggered run that arrives while another is running waits for the slot instead of
racing it. The RunLock inside the flow still guards against writers outside Prefect (`newsetl run`).

`newsetl deploy --pool NAME` is the work-pool form: a process work pool (created when missing) and a
deployment of the flow from the project source (`flow.from_source(<checkout>, "flows/deployed.py:...")`,
no git clone, no image), whose runs any `prefect worker start --pool NAME --type process` picks up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flows.settings import PROJECT_ROOT, Settings

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


# --- work pools: `newsetl deploy` ------------------------------------------------------------------------------

DEFAULT_POOL_DEPLOYMENT = "newsetl-pool"
ENTRYPOINT = "flows/deployed.py:newsetl_run_deployed"


@dataclass(frozen=True, slots=True)
class DeploySpec:
    """A deployment of the flow from the project source, run by the workers of a process work pool."""

    pool: str
    name: str = DEFAULT_POOL_DEPLOYMENT
    cron: str | None = None
    concurrency: int = 1

    def job_env(self, settings: Settings) -> dict[str, str]:
        # The worker loads flows/deployed.py in a fresh process: the project on its path, and the Dask address
        # in its environment (the task runner is chosen when the flow is loaded, before parameters are read).
        env = {"PYTHONPATH": str(PROJECT_ROOT)}
        if settings.dask_address:
            env["NEWSETL_DASK_ADDRESS"] = settings.dask_address
        return env


def ensure_process_pool(name: str) -> bool:
    """Create the process work pool `name` unless it exists (True when created); another type is an error."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectNotFound

    with get_client(sync_client=True) as client:
        try:
            pool = client.read_work_pool(name)
        except ObjectNotFound:
            client.create_work_pool(WorkPoolCreate(name=name, type="process"))
            return True
    if pool.type != "process":
        raise ValueError(f"work pool {name!r} exists with type {pool.type!r}; newsetl deploys to a process pool")
    return False


def deploy(settings: Settings, spec: DeploySpec) -> str:
    """Create (or update) the work-pool deployment from the project source; returns its id. Offline: the
    source is this checkout (no git clone, no image), so workers must see the project at the same path."""
    if spec.cron:
        check_cron(spec.cron)
    if api_url() is None:
        raise NoPrefectServer("PREFECT_API_URL is not set: start a server (`make ui`) and "
                              "export PREFECT_API_URL=http://127.0.0.1:4200/api")
    ensure_process_pool(spec.pool)
    from prefect import Flow

    flow: Any = Flow.from_source(source=str(PROJECT_ROOT), entrypoint=ENTRYPOINT)
    dep_id = flow.deploy(
        name=spec.name,
        work_pool_name=spec.pool,
        cron=spec.cron,
        parameters=run_parameters(settings),
        concurrency_limit=spec.concurrency,
        job_variables={"working_dir": str(PROJECT_ROOT), "env": spec.job_env(settings)},
        description="newsetl: ingest, extract, validate and publish, run by a process work pool's workers.",
        tags=["newsetl"],
        build=False,
        push=False,
        print_next_steps=False,
    )
    return str(dep_id)
