"""Where a batch's episodes are made: local processes (the default) or a Dask cluster.

A runner takes the planned jobs and yields each one with its result (an ArticleDone, or the
exception that ended it) as it finishes, in the order they finish. A failed job is tried
again `retries` times; a worker process that dies (killed, out of memory) loses nothing, its
jobs are run again elsewhere. Both runners hold every gTTS request to one shared limit, so
more workers never means more requests in flight at Google.
"""

from __future__ import annotations

import asyncio
import importlib.util
import logging
import multiprocessing
import os
import re
import signal
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator, Union

from digest.batch.work import ArticleDone, ArticleJob, make_episode, set_process_limiter, worker_name
from digest.errors import InputError
from digest.limits import usable_cores
from digest.speech.engines.piper_engine import THREADS_VARIABLE

log = logging.getLogger(__name__)

Outcome = tuple[ArticleJob, Union[ArticleDone, BaseException]]
Work = Callable[..., ArticleDone]

DEFAULT_GTTS_LIMIT = 8
DEFAULT_RETRIES = 1
SEMAPHORE_NAME = "digest-gtts-requests"
DASK_MISSING = ("--workers and --scheduler (or DIGEST_SCHEDULER) run the batch on Dask, which is not installed: "
                "pip install 'digest[dask]'")
SCHEDULER_ADDRESS = re.compile(r"(tcp|tls|ws|wss|ucx)://[^\s/:]+(:\d{1,5})?")
CONNECT_SECONDS = 10  # to reach a scheduler: a refused or unroutable address is retried until then
WORKERS_SECONDS = 60  # for a scheduler's first worker (a cluster that is still starting, or scaling up)
PROFILE_SETTING = "distributed.worker.profile.enabled"
CLIENT_WATCH_SECONDS = 1.0  # how often a local worker checks that the client is still there


class WorkerDied(RuntimeError):
    """A worker process ended without a result (killed, or out of memory), more often than retried."""


def dask_installed() -> bool:
    # Found, not imported: the import happens where Ctrl-C is held off (DaskRunner.run).
    return importlib.util.find_spec("distributed") is not None


def piper_threads(processes: int) -> str:
    """Each of `processes` workers on this machine gets its share of the cores for inference."""
    return str(max(1, usable_cores() // processes))


def _start_worker(limiter, threads: str, client: int) -> None:
    # Ctrl-C is the client's to handle: it stops the batch; workers are ended by it, quietly.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    set_process_limiter(limiter)
    os.environ.setdefault(THREADS_VARIABLE, threads)
    # The client's pid is handed over rather than read here: a client killed while this process
    # was still importing has already made init its parent.
    threading.Thread(target=_end_with_client, args=(client,), name="client-watch", daemon=True).start()


def _end_with_client(client: int) -> None:
    """A client killed outright (kill -9, the OOM killer, a cron timeout) cannot end its workers,
    which would wait for work for ever, holding their voices' memory: they end once it is gone.
    What a worker was making is in its staging folder, which the next run sweeps."""
    while os.getppid() == client:
        time.sleep(CLIENT_WATCH_SECONDS)
    os._exit(1)


def _attributed(work: Work, *args) -> ArticleDone:
    """`work(*args)` in a worker, its failure marked with that worker (the attribute travels
    with the pickled exception): on a cluster, which machine failed is half of why."""
    try:
        return work(*args)
    except Exception as error:
        error.digest_worker = worker_name()
        raise


class LocalRunner:
    """Episodes made by a pool of local processes, one episode per process at a time."""

    def __init__(self, processes: int | None = None, gtts_limit: int = DEFAULT_GTTS_LIMIT,
                 retries: int = DEFAULT_RETRIES, work: Work = make_episode) -> None:
        self.processes = processes or usable_cores()
        self.gtts_limit = gtts_limit
        self.retries = retries
        self.work = work
        self.where = f"{self.processes} local process{'es' if self.processes != 1 else ''}"

    def preflight(self) -> None:
        """Local processes need nothing checked before the batch starts."""

    def run(self, jobs: Iterable[ArticleJob]) -> Iterator[Outcome]:
        # spawn: fresh processes, not forks of a client that may hold threads and locks; they
        # import digest from the client's own sys.path (forkserver ignores it before 3.12).
        context = multiprocessing.get_context("spawn")
        limiter = context.BoundedSemaphore(self.gtts_limit)
        waiting = list(jobs)
        attempts: dict[int, int] = {}
        deaths = 0
        while waiting:
            pool = ProcessPoolExecutor(max_workers=min(self.processes, len(waiting)), mp_context=context,
                                       initializer=_start_worker,
                                       initargs=(limiter, piper_threads(self.processes), os.getpid()))
            running: dict[Future, ArticleJob] = {}
            broken: list[ArticleJob] = []
            try:
                with _workers_deaf_to_ctrl_c():
                    for job in waiting:  # the pool starts its processes here
                        running[pool.submit(_attributed, self.work, job)] = job
                waiting = []
                while running:
                    finished, _ = wait(running, return_when=FIRST_COMPLETED)
                    for future in finished:
                        job = running.pop(future)
                        try:
                            yield job, future.result()
                        except BrokenProcessPool:
                            broken.append(job)
                        except Exception as error:
                            attempts[job.index] = attempts.get(job.index, 0) + 1
                            if attempts[job.index] <= self.retries:
                                log.debug("article %d failed (%s); trying it again", job.index, error)
                                running[pool.submit(_attributed, self.work, job)] = job
                            else:
                                yield job, error
            except BaseException:
                _stop(pool)
                raise
            pool.shutdown(wait=True)
            if broken:
                # Which job's process died is not known: every unfinished one is run again, in a
                # new pool, as many times as retries allow (a job that kills its worker every
                # time must not loop forever).
                deaths += 1
                if deaths > max(self.retries, 1):
                    for job in broken:
                        yield job, WorkerDied("its worker process died (killed, or out of memory)")
                    return
                log.warning("a worker process died; %d unfinished articles are made again", len(broken))
                waiting = broken


@contextmanager
def ctrl_c_handled_by(handler) -> Iterator[None]:
    """SIGINT goes to `handler` inside the block (only the main thread may set it: elsewhere
    the block runs as it is), and to what handled it before, after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        # None: a handler set outside Python; Python's own is put back.
        signal.signal(signal.SIGINT, previous if previous is not None else signal.default_int_handler)


@contextmanager
def ctrl_c_noted(heard: list | None = None) -> Iterator[list]:
    """Ctrl-C inside the block is only noted, in the list given (or a new one), for the caller
    to act on once it is safe to."""
    heard = [] if heard is None else heard
    with ctrl_c_handled_by(lambda number, frame: heard.append(number)):
        yield heard


def _workers_deaf_to_ctrl_c():
    """Ctrl-C at a terminal goes to every process of the job, workers too. A worker still
    importing (or a Dask worker, at any time) would die of it with a traceback; started with
    SIGINT ignored, it ignores it from the start (an ignored signal stays ignored across exec).
    The client does not hear it either while the processes are spawned, so that is kept short."""
    return ctrl_c_handled_by(signal.SIG_IGN)


def _stop(pool: ProcessPoolExecutor) -> None:
    """End the pool now: queued jobs dropped, running ones ended and waited for, so that nothing
    writes into the staging folder once the client clears it."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=10)


class DaskRunner:
    """Episodes made on a Dask cluster: a real one (`scheduler`), or a LocalCluster of `workers`."""

    def __init__(self, scheduler: str | None = None, workers: int | None = None,
                 gtts_limit: int = DEFAULT_GTTS_LIMIT, retries: int = DEFAULT_RETRIES, work: Work = make_episode) -> None:
        if not dask_installed():
            raise InputError(DASK_MISSING)
        if scheduler and workers:
            raise InputError("--scheduler uses the cluster's workers; --workers starts a local cluster: give one")
        if scheduler and not SCHEDULER_ADDRESS.fullmatch(scheduler):
            raise InputError(f"{scheduler!r} is not a Dask scheduler address; expected tcp://HOST:PORT")
        self.scheduler = scheduler
        self.workers = workers
        self.gtts_limit = gtts_limit
        self.retries = retries
        self.work = work
        self.where = f"Dask scheduler {scheduler}" if scheduler else (
            f"a local Dask cluster of {workers} process{'es' if workers != 1 else ''}")

    def preflight(self) -> None:
        """A scheduler that cannot be reached, or has no workers, is an error before any file is written."""
        if self.scheduler:
            with ctrl_c_noted() as heard:  # as in run()
                self._client().close()
            if heard:
                raise KeyboardInterrupt

    def _client(self):
        from distributed import Client, LocalCluster

        if self.scheduler:
            try:
                client = Client(self.scheduler, timeout=CONNECT_SECONDS)
            except (OSError, ValueError, asyncio.TimeoutError) as error:
                raise InputError(f"could not reach the Dask scheduler at {self.scheduler} within "
                                 f"{CONNECT_SECONDS} s ({_first_line(error)})") from error
            try:
                client.wait_for_workers(1, timeout=WORKERS_SECONDS)
            except (OSError, TimeoutError, asyncio.TimeoutError) as error:  # distinct before Python 3.11
                client.close()
                raise InputError(f"the Dask scheduler at {self.scheduler} has no workers (waited "
                                 f"{WORKERS_SECONDS} s): start some with `dask worker {self.scheduler}`") from error
            return client
        # Listening on loopback only, on ports the system picks. The scheduler always serves
        # HTTP (health checks; the dashboard when bokeh is installed): given no address it
        # takes 8787 and warns when that is in use, so it gets a free loopback port instead.
        # Its worker processes start deaf to Ctrl-C, as local mode's do: the client ends them.
        threads = os.environ.get(THREADS_VARIABLE) or piper_threads(self.workers)
        built: list = []

        def build() -> None:
            import dask

            try:
                # Dask's workers sample every thread's stack 100 times a second for the dashboard's
                # profile, which nobody reads here: without it a batch took 10% less time.
                with dask.config.set({PROFILE_SETTING: False}):  # the nannies hand it to their workers
                    built.append(LocalCluster(
                        n_workers=self.workers, processes=True, threads_per_worker=1, host="127.0.0.1",
                        dashboard_address="127.0.0.1:0", scheduler_kwargs={"dashboard": False},
                        silence_logs=logging.ERROR, env={THREADS_VARIABLE: threads}))
            except BaseException as error:  # noqa: BLE001 (raised again below, on the caller's thread)
                built.append(error)

        # Built on a thread, so that Ctrl-C is ignored only until the worker processes are
        # spawned (they inherit that, and keep it), not while they import and connect.
        builder = threading.Thread(target=build, name="local-cluster", daemon=True)
        with _workers_deaf_to_ctrl_c():
            builder.start()
            _until_spawned(self.workers, builder)
        builder.join()
        if isinstance(built[0], BaseException):
            raise built[0]
        return Client(built[0])

    def run(self, jobs: Iterable[ArticleJob]) -> Iterator[Outcome]:
        # Ctrl-C from distributed's import until the jobs are submitted is noted and acted on
        # after: a KeyboardInterrupt inside distributed's import or its calls to its event loop
        # leaves a cluster that cannot be closed (an AssertionError, tracebacks from its threads).
        with ctrl_c_noted() as heard:
            from distributed import Semaphore, as_completed

            # distributed sets its own loggers to INFO when imported; digest's warnings are
            # enough, unless --debug asked for everything.
            if logging.getLogger().level > logging.DEBUG:
                logging.getLogger("distributed").setLevel(logging.ERROR)
            client = self._client()
        try:
            futures = {}
            with ctrl_c_noted(heard):
                semaphore = Semaphore(max_leases=self.gtts_limit, name=SEMAPHORE_NAME)
                for job in jobs:
                    if heard:
                        break
                    future = client.submit(_attributed, self.work, job, semaphore, retries=self.retries, pure=False,
                                           key=f"digest-article-{job.index}-{os.getpid()}-{id(job)}")
                    futures[future] = job
            if heard:
                raise KeyboardInterrupt
            for future in as_completed(futures):
                job = futures[future]
                try:
                    yield job, future.result()
                except Exception as error:
                    yield job, _plain(error)
        finally:
            # Closing drops whatever is still queued or running (after Ctrl-C, say), and the
            # local cluster's scheduler logs each drop as an error; the batch says what was placed.
            if logging.getLogger().level > logging.DEBUG:
                logging.getLogger("distributed").setLevel(logging.CRITICAL)
            cluster = client.cluster
            client.close()
            if cluster is not None and not self.scheduler:
                cluster.close()


def _until_spawned(count: int, builder: threading.Thread) -> None:
    """Until this process has `count` spawned Python children (counted once they run
    multiprocessing's spawn code, so after they inherited what Ctrl-C does), or `builder` ends."""
    import psutil  # a dependency of distributed

    me = psutil.Process()
    while builder.is_alive():
        spawned = 0
        for child in me.children():
            try:
                spawned += any("spawn_main" in part for part in child.cmdline())
            except psutil.Error:  # ended, or not ours to read
                pass
        if spawned >= count:
            return
        builder.join(0.01)


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def _plain(error: Exception) -> Exception:
    """Dask's KilledWorker says which task; the reader wants to know why."""
    if type(error).__name__ == "KilledWorker":
        return WorkerDied("its worker process died each time it was tried (killed, or out of memory)")
    return error
