"""MOUD status and referral, naloxone, and the care team's MOUD check-ins at follow-ups."""
