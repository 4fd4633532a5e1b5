"""Pig's data model: values and their types (`data`: casts, comparisons, sort bytes, text
forms; `textcomplex`: the text form of maps, tuples and bags) and schemas (`schema`).

Owns: what a Pig value is, whichever stage handles it. Must not touch: any other piglatin
package (every stage depends on this one, it depends on none of them).
"""
