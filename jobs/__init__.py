"""jobs — ready MapReduce jobs (wordcount, grep, sort, secondary sort, joins).

Owns: example and study jobs written against the public `mapred` API only.
Must not touch: framework internals; a job here must read like one a user would write.
"""
