"""Pages that compose several apps: the patient's home and the clinician's chart.

This layer imports the apps whose cards it shows; no app imports it (docs/architecture.md).
"""
