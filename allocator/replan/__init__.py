"""Re-planning after a slip: progress as of a date, a stable re-plan and the change list."""
