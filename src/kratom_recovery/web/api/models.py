"""The API keeps no tables of its own: API tokens and idempotency keys are an account's
(accounts/models.py), since the web pages use them too."""
