"""Logical-plan optimizer rules, one module per rule (Pig's newplan optimizer rules).

Owns: each rule as `apply(plan: LogicalPlan) -> LogicalPlan`, returning a new plan
(or the same object when the rule does not match).  Rules keep every operator's
schema, the aliases and the actions valid, and the operators topologically ordered;
new op ids are derived from existing ones, so the result is deterministic.
Must not touch: the front end (parser, builder) or execution.
"""
