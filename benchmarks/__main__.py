"""Benchmark command line.

Run from the repository root::

    python -m benchmarks run psplib --set j30 --time-limit 10 --workers 2 -o j30.csv
    python -m benchmarks run psplib --set j120 --sample first-per-group --peer pyjobshop --baseline lft
    python -m benchmarks run mspsp --set set-2a --time-limit 60 --repeat 3 -o set2a.csv
    python -m benchmarks run planted --sizes 40x90,250x1500,1000x6000 --seeds 0-4 --time-limit 60
    python -m benchmarks convert-speed --family psplib

``run`` writes one CSV row per instance (and seed) and prints a summary, with ``--repeat``
each figure's spread over the seeds (``planted``: generated instances whose optimum, 0 late
days, is known; ``benchmarks/planted.py``); ``convert-speed`` measures
the time from an instance file to the start of the first CP-SAT search.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from allocator.demo.planted import DEFAULT_LOAD, check_planted_options
from allocator.search.solve import Progress, SolveControl, SolveOptions, solve_scenario
from benchmarks import planted
from benchmarks.convert import FAMILIES
from benchmarks.peer import PeerUnavailable
from benchmarks.runner import (
    SAMPLES,
    Row,
    RunConfig,
    UnknownInstances,
    format_spread,
    format_summary,
    run,
    select_instances,
    summarise,
    summarise_seeds,
    write_csv,
)

if TYPE_CHECKING:
    from benchmarks.convert import BenchmarkInstance


def _print_row(row: Row) -> None:
    peer = f" peer={row.peer_objective} ({row.peer_status}, {row.peer_time_s}s)" if row.peer_status else ""
    base = f" lft={row.baseline_objective}" if row.baseline_checker else ""
    print(
        f"{row.instance} (seed {row.seed}): {row.objective} "
        f"[bound {row.best_bound}, best known {row.best_known}] {row.status} {row.wall_time_s}s "
        f"checker={row.checker}{base}{peer}",
        file=sys.stderr,
        flush=True,
    )


def command_run(args: argparse.Namespace) -> int:
    """``run``: solve the selected instances, write the CSV, print the summary."""
    if args.family == planted.FAMILY:
        return command_run_planted(args)
    config = RunConfig(
        family=args.family,
        subset=args.set,
        time_limit=args.time_limit,
        workers=args.workers,
        seed=args.seed,
        limit=args.limit,
        sample=args.sample,
        peer=args.peer,
        baseline=args.baseline,
        root=Path(args.root) if args.root else None,
        names=tuple(args.instances.split(",")) if args.instances else None,
        repeat=args.repeat,
    )
    try:
        rows = run(config, on_row=_print_row)
    except (PeerUnavailable, UnknownInstances) as error:  # both raised before any solve
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.output:
        write_csv(rows, Path(args.output))
    print(format_summary(summarise(rows)) if config.repeat == 1 else format_spread(summarise_seeds(rows)))
    return 0


def command_run_planted(args: argparse.Namespace) -> int:
    """``run planted``: generate, construct, solve and check each size and seed; CSV and summary."""
    unused = [flag for flag, value in _literature_options(args).items() if value]
    try:
        if unused:
            raise ValueError(f"{', '.join(unused)} do not apply to the planted family")
        config = planted.PlantedConfig(
            sizes=tuple(planted.parse_sizes(args.sizes)),
            seeds=tuple(planted.parse_seeds(args.seeds)),
            time_limit=args.time_limit,
            workers=args.workers,
            seed=args.seed,
            slack_days=args.slack_days,
            load=args.load,
            isolate=not args.in_process,
        )
        check_planted_options(config.slack_days, config.load)
    except ValueError as error:  # raised before any solve
        print(f"error: {error}", file=sys.stderr)
        return 2
    rows = planted.run(config, on_row=lambda row: print(planted.format_row(row), file=sys.stderr, flush=True))
    if args.output:
        write_csv(rows, Path(args.output), planted.COLUMNS)
    print(planted.format_summary(rows))
    return 0


def _literature_options(args: argparse.Namespace) -> dict[str, object]:
    return {
        "--set": args.set,
        "--limit": args.limit,
        "--instances": args.instances,
        "--peer": args.peer,
        "--baseline": args.baseline,
        "--root": args.root,
        "--repeat": args.repeat != 1,
        "--sample": args.sample != "all",
    }


def first_search_time(entry: BenchmarkInstance, workers: int = 1) -> float:
    """Seconds from reading the instance file to the start of the first CP-SAT search.

    The solve is stopped as soon as its first stage has begun, so only conversion,
    compilation, construction, model building and hint completion are timed.
    """
    control, done = SolveControl(), threading.Event()
    reached: list[float] = []

    def on_progress(progress: Progress) -> None:
        if progress.message.startswith("stage 1") and not reached:
            reached.append(time.perf_counter() - began)
            threading.Thread(target=_keep_stopping, args=(control, done), daemon=True).start()

    began = time.perf_counter()
    scenario = entry.load()
    solve_scenario(scenario, SolveOptions(time_limit=10.0, workers=workers, progress=on_progress), control)
    done.set()
    return reached[0] if reached else float("nan")


def _keep_stopping(control: SolveControl, done: threading.Event) -> None:
    """Stop the search until the solve returns (a stop before the search starts is lost)."""
    while not done.wait(0.01):
        control.stop()


def command_convert_speed(args: argparse.Namespace) -> int:
    """``convert-speed``: file → first CP-SAT search, per family (target: at most 1 s)."""
    for family in args.family or sorted(FAMILIES):
        entries = select_instances(RunConfig(family=family, limit=args.limit, sample=args.sample))
        times = sorted((first_search_time(entry), entry.name) for entry in entries)
        values = [t for t, _ in times]
        slowest = times[-1]
        print(
            f"{family}: {len(values)} instances, median {statistics.median(values):.3f} s, "
            f"max {slowest[0]:.3f} s ({slowest[1]}), over 1 s: {sum(t > 1.0 for t in values)}"
        )
    return 0


def _at_least_one(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a whole number is needed, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _planted_arguments(runner: argparse.ArgumentParser) -> None:
    group = runner.add_argument_group("planted family")
    group.add_argument("--sizes", default="40x90", help="PEOPLExTASKS, comma-separated (default: 40x90)")
    group.add_argument("--seeds", default="0", help="generator seeds: N, N-M or a list (default: 0)")
    group.add_argument(
        "--slack-days", type=int, default=0, help="working days from each planted finish to the deadline"
    )
    group.add_argument("--load", type=float, default=DEFAULT_LOAD, help="utilisation of the planted plan")
    group.add_argument(
        "--in-process", action="store_true", help="solve in this process (no fresh process per instance)"
    )


def parser() -> argparse.ArgumentParser:
    """The ``run`` and ``convert-speed`` subcommands."""
    main = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = main.add_subparsers(dest="command", required=True)
    runner = commands.add_parser("run", help="solve a family's instances and compare")
    runner.add_argument("family", choices=[*sorted(FAMILIES), planted.FAMILY])
    runner.add_argument("--set", help="j30, j120, set-1a, set-2a, d36 (default: every set of the family)")
    runner.add_argument("--time-limit", type=float, default=10.0, help="seconds per instance")
    runner.add_argument("--workers", type=int, default=2)
    runner.add_argument("--seed", type=int, default=0, help="CP-SAT's random seed (the first, with --repeat)")
    runner.add_argument(
        "--repeat",
        type=_at_least_one,
        default=1,
        help="solve each instance N times, seeds SEED, SEED+1, ...; the summary gives each "
        "figure's mean, range and standard deviation over the seeds (the run-to-run spread)",
    )
    runner.add_argument("--limit", type=int, help="at most this many instances")
    runner.add_argument("--instances", help="only these instances, comma-separated (e.g. A-4,A-5)")
    runner.add_argument("--sample", choices=SAMPLES, default="all")
    runner.add_argument("--peer", choices=["pyjobshop"], help="solve each instance with PyJobShop too")
    runner.add_argument("--baseline", choices=["lft"], help="run the latest-finish-time heuristic too")
    runner.add_argument("-o", "--output", help="CSV file, one row per instance")
    runner.add_argument("--root", help="benchmarks folder (default: ../shared/benchmarks)")
    _planted_arguments(runner)
    runner.set_defaults(handler=command_run)
    speed = commands.add_parser("convert-speed", help="time from file to the first CP-SAT search")
    speed.add_argument("--family", action="append", choices=sorted(FAMILIES))
    speed.add_argument("--limit", type=int, help="at most this many instances per family")
    speed.add_argument("--sample", choices=SAMPLES, default="all")
    speed.set_defaults(handler=command_convert_speed)
    return main


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    args = parser().parse_args(argv)
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
