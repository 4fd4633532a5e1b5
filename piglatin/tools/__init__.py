"""The user-facing tools: the `pig` command (`cli`, its start-up `startup` and exit `fastexit`)
and the Grunt shell (`grunt`).

Owns: options, messages, exit codes and interactive sessions. Must not touch: how scripts
are compiled or run (they go through `piglatin.launcher`).
"""
