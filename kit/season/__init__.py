"""The season: its calendar, check-ins, streaks, standings and awards."""
