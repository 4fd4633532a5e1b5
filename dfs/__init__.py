"""dfs — the block-based distributed filesystem: namenode, datanodes, client, shell, fsspec.

Owns: the namespace and its edit log, block placement and replication, datanode block storage
with checksums, the client read/write paths, the `hadoop fs`/`fsck`/`dfsadmin` commands, the
`dfs://` fsspec filesystem and the same file calls without fsspec (`dfs.files`, for mapred's
readers and writers), and the shared configuration (`dfs.conf`).
Must not touch: anything of mapred or piglatin (dependencies point piglatin -> mapred -> dfs).
"""
