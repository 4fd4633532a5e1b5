"""mapred — the MapReduce runtime: job API, formats, map buffer and spills, shuffle, merge, commit.

Owns: how a job's records travel from input splits to committed output files, the JobTracker
and TaskTrackers that run them (in the command, or as daemons), job chains, counters, history
and the `hadoop jar`/`hadoop job`/`jobtracker`/`tasktracker` commands.
Must not touch: the filesystem's internals (it sees storage only through fsspec URLs and the
public `dfs` API) and anything of piglatin.
"""
