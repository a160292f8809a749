"""The person's own daily 0–10 measures (pain, stress, energy…), charted on the progress page."""
