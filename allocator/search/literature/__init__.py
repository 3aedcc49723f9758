"""Pre-stages measured on the benchmark families of the scheduling literature.

Each is plugged into :mod:`allocator.search.solve` where it applies (multi-skill makespan
stages); the product path does not need them.
"""
