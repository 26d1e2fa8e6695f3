"""The extraction steps, one module each, run in this order by :mod:`stancegraph.pipeline`:
actors -> quotes -> stances (and relations) -> claims -> consistency flags."""
