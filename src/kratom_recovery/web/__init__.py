"""The Django project: a thin web layer over kratom_recovery.care."""
