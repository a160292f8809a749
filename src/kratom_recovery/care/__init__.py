"""The clinical core: instruments, timeline, taper, safety, level of care, coping.

Pure Python: no Django, no database, no I/O. Web, API, CLI and FHIR export are thin
layers over these modules. Every clinical threshold cites ../shared/clinical/REFERENCE.md
(abbreviated REF below) or a primary source.
"""
