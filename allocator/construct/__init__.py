"""Construction: a first verified plan in seconds by serial schedule generation."""
