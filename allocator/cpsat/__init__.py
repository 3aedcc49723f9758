"""The CP-SAT side: the formulation (one module per constraint family), solver parameters,
and the conversion of solver output to schedules."""
