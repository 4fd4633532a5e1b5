"""MapReduce on Dask distributed: the ``dask`` framework (``-D mapreduce.framework.name=dask``).

Two halves, never importing each other's process state:

- ``mapred.dask.executor`` (the submitting process): a JobTracker whose one tracker
  (``mapred.dask.tracker``) hands each attempt to a ``distributed.Client`` as a Dask task (see
  its docstring for the policy).
- ``mapred.dask.worker`` (inside a Dask worker): ``run_attempt(payload: bytes) -> bytes`` runs
  one attempt with the task runners every executor uses (``mapred.task.run_task``), publishes
  a map output to the intermediate storage and fetches a reduce's partition from it.

Neither is imported by the core install: Dask is needed only when a job asks for it.
"""
