"""From a schedule to a dated plan, and the figures a plan reports, recomputed from it."""
