"""Alerts reach a person: the delivery outbox, its channels (e-mail, a signed webhook), the
background worker's jobs, the health checks and the honest words shown to the patient."""
