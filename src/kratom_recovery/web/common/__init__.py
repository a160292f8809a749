"""What every web app shares and none owns: form errors, text limits, the panel type.

This package sits just above the pure core: it imports `care/` and Django, never an app
(docs/architecture.md).
"""
