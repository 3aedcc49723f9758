"""Benchmarks from the scheduling literature, solved by the product's own planner.

Run from the repository root; the instances live in ``../shared/benchmarks``.
"""
