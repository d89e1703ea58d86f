"""The flow object that work-pool deployments run (entrypoint `flows/deployed.py:newsetl_run_deployed`).

A process worker (`prefect worker start --pool NAME --type process`) loads this file from the project
source for every flow run, in a fresh process whose environment is the worker's plus the deployment's job
variables. The task runner is chosen here, at load, from that environment, as `newsetl run` chooses it:
the thread runner over the warm worker pool, or Dask when NEWSETL_DASK_ADDRESS is set.
"""

from __future__ import annotations

from flows.pipeline import newsetl_run, task_runner_for
from flows.settings import Settings

# This module is the worker process's entry point (no caller to hand it settings): its Settings are built here,
# once, from the environment the deployment's job variables set (flows/serve.py, DeploySpec.job_env), only to
# choose the task runner. The run itself rebuilds the entry point's Settings from its `settings` parameter.
newsetl_run_deployed = newsetl_run.with_options(task_runner=task_runner_for(Settings()))
