"""The clinician's suicide-risk assessment and the safety plan the patient and the care team
write together (care/safety_plan.py), shown to the patient on the help page."""
