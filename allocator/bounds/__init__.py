"""Lower bounds on the user's own objective: what no plan of the scenario can beat.

Each bound is a relaxation of the rules in ``docs/planning-rules.md``: it drops or
loosens some rules, so every plan that obeys all of them is at least as late (or as
costly) as the bound says. Where a bound is positive it is proof, not an estimate:
"dc-exit is late at least 8 working days in every plan".

- :mod:`~allocator.bounds.chains`: each task's earliest finish through its dependency
  chain, the real calendars and the fastest team its skills allow, ignoring the other
  work that competes for the same people.
- :mod:`~allocator.bounds.energy`: energetic reasoning over skill pools: the work only
  a pool can do against what it can deliver, projects matched to finishing places.
- :mod:`~allocator.bounds.lateness`: the per-project bounds with a one-line reason, and
  the bound of every objective stage built from them.
- :mod:`~allocator.bounds.portfolio`: all of them at once, with the reasons.
- :mod:`~allocator.bounds.cost`: the spend that no plan avoids (work only vendors can do,
  mode costs).
"""
