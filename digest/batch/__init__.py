"""`digest batch`: one episode per story, made by local processes or a Dask cluster.

`client` plans the episodes and publishes them, `work` is what a worker does for one episode,
`runners` is where the workers run.
"""

from digest.batch.client import ArticleOutcome, BatchOptions, BatchResult, run_batch
from digest.batch.runners import DASK_MISSING, dask_installed

__all__ = ["ArticleOutcome", "BatchOptions", "BatchResult", "run_batch", "DASK_MISSING", "dask_installed"]
