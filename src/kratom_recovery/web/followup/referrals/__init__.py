"""The program's referral directory: import and edit (actions), search (queries), the admin
and search pages (views)."""
