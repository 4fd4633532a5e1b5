"""The front end: Pig Latin text to a logical plan.

Owns: parameter substitution (`preprocess`), macros (`macros`; their text and checks in
`macrotext`), the grammar (`grammar.lark`,
its LALR tables computed by Lark once and cached in `grammarcache`), the parser that runs them
without Lark (`lalr`, `lexer`) to an AST with positions (`parser`, `ast`), and the builder that
resolves aliases, schemas and functions and type-checks into a `plan.logical.LogicalPlan`
(`builder`); a PigStorage LOAD's stored `.pig_schema` as its AS (`storedschema`), and relative
paths made absolute after a `cd` (`workdir`). Must not touch: optimizing, compiling or running
plans (`plan.optimizer`, `back`), the command line (`tools`).
"""
