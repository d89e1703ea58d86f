"""Runs suites through Great Expectations 1.x over pandas frames and writes Data Docs.

The only module that imports GX (lazily: the import costs seconds). A file-backed context lives under
`<reports_dir>/gx/`; each validation is a checkpoint run whose `UpdateDataDocsAction` renders the result
page and refreshes the index, so docs accumulate run after run without rebuilding the whole site.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from expectations.suites import Check

SITE = "local_site"  # GX's default Data Docs site in a file context


@dataclass
class CheckResult:
    check: Check
    success: bool
    unexpected_rows: list[dict[str, Any]]  # key columns + offending value, one per failing row
    unexpected_count: int
    error: str | None  # the expectation could not be evaluated (missing column, bad type)


@dataclass
class Validation:
    results: list[CheckResult]
    identifier: Any  # GX ValidationResultIdentifier, to render its Data Docs page


class GxRunner:
    """One file-backed GX context under `reports_dir`, reused for all validations of a run."""

    def __init__(self, reports_dir: Path) -> None:
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        self.gx = gx
        self.root = Path(reports_dir) / "gx"
        self.context = gx.get_context(mode="file", project_root_dir=str(Path(reports_dir)))
        # We use no config variables, but a file context re-reads uncommitted/config_variables.yml on every
        # config lookup (hundreds per validation, ~0.5 s per audit); drop that provider. Private API, so
        # guarded: if GX changes it, we are merely slower.
        try:
            self.context._project_config.config_variables_file_path = None
            self.context._config_provider = self.context._init_config_provider()
            self.context._variables = self.context._init_variables()
        except AttributeError:
            pass
        # tqdm bars would spill into the CLI's output and the Prefect logs.
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        self.source: Any
        try:
            self.source = self.context.data_sources.get("staging")
        except (KeyError, ValueError, LookupError):
            self.source = self.context.data_sources.add_pandas("staging")

    @property
    def docs_index(self) -> Path:
        return self.root / "uncommitted" / "data_docs" / SITE / "index.html"

    def _batch_definition(self, table: str) -> Any:
        try:
            asset = self.source.get_asset(table)
        except LookupError:
            asset = self.source.add_dataframe_asset(table)
        try:
            return asset.get_batch_definition("whole")
        except (KeyError, ValueError, LookupError):
            return asset.add_batch_definition_whole_dataframe("whole")

    def validate(self, table: str, frame: pd.DataFrame, checks: list[Check], keys: tuple[str, ...],
                 run_id: str) -> Validation:
        gx = self.gx
        from great_expectations.core.run_identifier import RunIdentifier
        from great_expectations.expectations.metadata_types import FailureSeverity

        # Expectations go in through the constructor: suite.add_expectation on a stored suite
        # round-trips the store on every call.
        suite = self.context.suites.add_or_update(gx.ExpectationSuite(name=table, expectations=[
            getattr(gx.expectations, c.expectation)(
                **c.kwargs, description=c.description, meta={"check": c.name},
                severity=FailureSeverity.WARNING if c.warn_only else FailureSeverity.CRITICAL,
            )
            for c in checks
        ]))
        definition = self.context.validation_definitions.add_or_update(
            gx.ValidationDefinition(name=table, data=self._batch_definition(table), suite=suite)
        )
        result_format: dict[str, Any] = {"result_format": "COMPLETE"}
        if keys:
            result_format["unexpected_index_column_names"] = list(keys)
        checkpoint = self.context.checkpoints.add_or_update(gx.Checkpoint(
            name=table, validation_definitions=[definition],
            # No UpdateDataDocsAction: rendering is slow (templates recompiled per page), so `build_docs`
            # renders all of a run's results and the index in one pass at the end.
            actions=[], result_format=result_format,
        ))
        run = checkpoint.run(batch_parameters={"dataframe": frame}, run_id=RunIdentifier(run_name=run_id))

        results: list[CheckResult] = []
        by_name = {c.name: c for c in checks}
        identifier: Any = next(iter(run.run_results), None)  # one validation definition per checkpoint
        for run_result in run.run_results.values():
            for r in run_result.results:
                meta = (r.expectation_config.meta if r.expectation_config else None) or {}
                check = by_name[meta["check"]]
                info = r.exception_info or {}
                error = info.get("exception_message") if info.get("raised_exception") else None
                res = r.result or {}
                results.append(CheckResult(
                    check=check, success=bool(r.success),
                    unexpected_rows=list(res.get("unexpected_index_list") or []),
                    unexpected_count=int(res.get("unexpected_count") or 0),
                    error=error,
                ))
        return Validation(results, identifier)

    def build_docs(self, validations: dict[str, Validation]) -> dict[str, Path]:
        """Render the given validation results and refresh the index; returns each result's page."""
        ids = [v.identifier for v in validations.values() if v.identifier is not None]
        if ids:
            self.context.build_data_docs(site_names=[SITE], resource_identifiers=ids)
        pages: dict[str, Path] = {}
        for name, v in validations.items():
            if v.identifier is None:
                continue
            parts = v.identifier.to_tuple()  # (suite, run_name, run_time, batch_identifier)
            page = self.docs_index.parent / "validations" / Path(*parts[:-1]) / f"{parts[-1]}.html"
            if page.exists():
                pages[name] = page
        return pages
