"""One router per part of the contract: challenges, submissions, participants, seasons, organizer."""
