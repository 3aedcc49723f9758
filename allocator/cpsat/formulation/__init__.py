"""The CP-SAT formulation: variables, one module per constraint family, objectives.

:func:`allocator.cpsat.formulation.model.build_formulation` is the table of contents.
"""
