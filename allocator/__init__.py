"""allocator: capacity planning for IT portfolios on OR-Tools CP-SAT."""

__version__ = "0.1.0"
