"""The compiled problem: a scenario in integer time (timeline, presence, eligibility),
its calendar and its schedules."""
