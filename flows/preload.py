"""Imported once by the worker pool's forkserver (flows.workers.PRELOAD): it loads the spaCy model and builds the
rule tables (the gazetteer from its saved copy, flows/gazetteer_cache.py; place keys; language identifier; unit
lexicon; figure patterns) before any worker is forked, so every worker starts with them instead of building its
own copy. `gc.freeze()` then moves them out of the collector's sight: a worker's collections would otherwise walk
(and so copy) the shared pages.

Any failure here is left to the workers' own warm-up (flows.workers._warm), which raises it where it is seen.
"""

from __future__ import annotations

import contextlib
import gc

with contextlib.suppress(Exception):
    from flows.workers import warm_process

    warm_process()  # the gazetteer's saved copy: ~95 MB smaller and ~1.2 s sooner than a build
    gc.freeze()
