"""The clinical core: instruments, timeline, taper, safety, level of care, coping.

Pure Python: no Django, no database, no I/O. Web, API, CLI and FHIR export are thin
layers over these modules. Every clinical threshold cites its source as `[ref:KEY]`, a
key of docs/references.md, or says it is a labelled assumption.
"""
