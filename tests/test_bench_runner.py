"""The benchmark runner, the latest-finish-time baseline and the peer wrapper on tiny fixtures."""

from __future__ import annotations

import csv
import importlib
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from allocator.checker import check_plan
from benchmarks import peer
from benchmarks.__main__ import main
from benchmarks.baseline import lft_baseline
from benchmarks.convert import list_instances, load_scenario, mista
from benchmarks.runner import (
    COLUMNS,
    Row,
    RunConfig,
    first_stage_bound,
    format_spread,
    group_of,
    run,
    select_instances,
    summarise,
    summarise_seeds,
    write_csv,
)
from models import ObjectiveTerm, SolverInfo, SolverStatus
from models.plan import StageResult

DATA = Path(__file__).resolve().parent / "data" / "benchmarks"
J30 = DATA / "psplib" / "j301_1.sm"
MSPSP = DATA / "mspsp" / "inst_set1a_sf0.5_nc2.1_n20_m10_01.dzn"


#: Three jobs between the dummies on one resource of capacity 3: jobs 2 (3 days, 2 units) and
#: 3 (4 days, 2 units) cannot overlap, job 4 (2 days, 1 unit) fits beside either, so the
#: optimum is 3 + 4 = 7 while the critical path is only 4.
TINY_SM = """\
jobs (incl. supersource/sink ):  5
horizon                       :  9
RESOURCES
  - renewable                 :  1   R
  - nonrenewable              :  0   N
  - doubly constrained        :  0   D
************************************************************************
PRECEDENCE RELATIONS:
jobnr.    #modes  #successors   successors
   1        1          3           2   3   4
   2        1          1           5
   3        1          1           5
   4        1          1           5
   5        1          0
************************************************************************
REQUESTS/DURATIONS:
jobnr. mode duration  R 1
------------------------------------------------------------------------
  1      1     0       0
  2      1     3       2
  3      1     4       2
  4      1     2       1
  5      1     0       0
************************************************************************
RESOURCEAVAILABILITIES:
  R 1
    3
************************************************************************
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A benchmarks folder: j301_1 (optimum 43), a hand-made instance (optimum 7), one MSPSP
    instance and MISTA A-1 (best total project delay 1)."""
    psplib_dir = tmp_path / "psplib-rcpsp" / "instances"
    psplib_dir.mkdir(parents=True)
    shutil.copy(J30, psplib_dir / J30.name)
    (psplib_dir / "tiny_1.sm").write_text(TINY_SM)
    (tmp_path / "psplib-rcpsp" / "best_known.csv").write_text(
        "instance,set,file,best_known,lower_bound,optimal\n"
        "j301_1,j30,instances/j301_1.sm,43,43,yes\n"
        "tiny_1,tiny,instances/tiny_1.sm,7,7,yes\n"
    )
    mspsp_dir = tmp_path / "mspsp-young2017" / "instances"
    mspsp_dir.mkdir(parents=True)
    shutil.copy(MSPSP, mspsp_dir / MSPSP.name)
    (tmp_path / "mspsp-young2017" / "best_known.csv").write_text(
        "instance,subset,file,best_known,lower_bound,optimal\n"
        f"{MSPSP.stem},set-1a,instances/{MSPSP.name},85,85,yes\n"
    )
    shutil.copytree(DATA / "mista", tmp_path / "mista2013-mrcmpsp" / "instances")
    (tmp_path / "mista2013-mrcmpsp" / "best_known.csv").write_text(
        "instance,file,projects,jobs,best_known,source\nA-1,instances/A-1.txt,2,24,1,organisers\n"
    )
    return tmp_path


def config(root: Path, family: str, **extra: object) -> RunConfig:
    settings: dict[str, object] = {"time_limit": 10.0, "workers": 1, "seed": 0, "root": root, **extra}
    return RunConfig(family=family, **settings)  # type: ignore[arg-type]


def test_runner_reaches_the_optimum_of_j301_1_and_writes_every_column(root: Path, tmp_path: Path):
    rows = run(config(root, "psplib", subset="j30", baseline="lft"))
    assert len(rows) == 1
    row = rows[0]
    # PSPLIB j30opt.sm: optimum 43; the file states a critical path (MPM-Time) of 38.
    assert (row.objective, row.best_bound, row.status, row.checker) == (43, 43, "optimal", "ok")
    assert row.proven_optimal and row.gap_best_known_pct == 0.0
    assert row.critical_path_bound == 38
    assert row.gap_critical_path_pct == pytest.approx(100 * 5 / 38, abs=1e-3)
    assert row.baseline_objective is not None and row.baseline_objective >= 43
    assert row.baseline_checker == "ok"
    out = tmp_path / "results.csv"
    write_csv(rows, out)
    with out.open(newline="") as handle:
        reader = csv.DictReader(handle)
        lines = list(reader)
    assert tuple(reader.fieldnames or ()) == COLUMNS
    assert lines[0]["objective"] == "43" and lines[0]["checker"] == "ok"


def test_runner_reaches_the_optimum_of_a_hand_made_instance(root: Path):
    (row,) = run(config(root, "psplib", subset="tiny", baseline="lft"))
    assert (row.objective, row.best_bound, row.critical_path_bound, row.checker) == (7, 7, 4, "ok")
    assert row.baseline_objective is not None and row.baseline_objective >= 7


def test_multi_skill_instance_is_checked_and_left_to_the_published_values(root: Path):
    # Young, Feydy & Schutt 2017: optimum 85; PyJobShop cannot model several workers per skill.
    (row,) = run(RunConfig(family="mspsp", time_limit=2.0, workers=1, seed=0, root=root, peer="pyjobshop"))
    assert row.checker == "ok" and row.objective is not None and row.objective >= 85
    assert row.peer_status == "not modelled" and row.peer_time_s is None


def test_lft_baseline_is_a_checked_schedule_no_shorter_than_the_optimum():
    result = lft_baseline(load_scenario("psplib", J30))
    assert result.objective is not None and result.objective >= 43
    assert result.checker_ok and result.plan is not None
    assert check_plan(load_scenario("psplib", J30), result.plan).ok


def test_summary_counts_and_ratios():
    rows = [
        Row(
            "a",
            "s",
            objective=10,
            best_known=10,
            gap_best_known_pct=0.0,
            wall_time_s=1.0,
            checker="ok",
            proven_optimal=True,
            peer_objective=11,
            peer_gap_best_known_pct=10.0,
            peer_time_s=2.0,
        ),
        Row(
            "b",
            "s",
            objective=11,
            best_known=10,
            gap_best_known_pct=10.0,
            wall_time_s=3.0,
            checker="ok",
            peer_objective=12,
            peer_gap_best_known_pct=20.0,
            peer_time_s=2.0,
        ),
    ]
    summary = summarise(rows)
    counts = (summary.instances, summary.verified, summary.at_best_known, summary.proven_optimal)
    assert counts == (2, 2, 1, 1)
    assert (summary.mean_gap_best_known, summary.max_gap_best_known) == (5.0, 10.0)
    assert (summary.gap_ratio, summary.time_ratio, summary.peer_at_best_known) == (0.333, 1.0, 0)


def test_repeat_solves_each_instance_once_per_seed(root: Path):
    rows = run(config(root, "psplib", names=("tiny_1",), seed=5, repeat=3, time_limit=5.0))
    assert [(row.instance, row.seed) for row in rows] == [("tiny_1", 5), ("tiny_1", 6), ("tiny_1", 7)]
    assert all(row.objective == 7 and row.proven_optimal and row.checker == "ok" for row in rows)
    with pytest.raises(ValueError, match="repeat must be at least 1"):
        run(config(root, "psplib", repeat=0))


def test_spread_gives_each_figure_over_the_seeds():
    def row(name: str, seed: int, gap: float, time: float) -> Row:
        gaps = {"objective": 10, "best_known": 10, "gap_best_known_pct": gap}
        return Row(name, "s", seed, wall_time_s=time, checker="ok", **gaps)  # type: ignore[arg-type]

    rows = [row("a", 0, 0.0, 1.0), row("b", 0, 10.0, 3.0), row("a", 1, 10.0, 2.0), row("b", 1, 10.0, 2.0)]
    summaries = summarise_seeds(rows)
    assert list(summaries) == [0, 1]
    assert [s.mean_gap_best_known for s in summaries.values()] == [5.0, 10.0]
    lines = format_spread(summaries).splitlines()
    assert lines[0] == "seeds: 0, 1"
    assert "mean gap best known: mean 7.500, min 5, max 10, sd 3.536 (5 / 10)" in lines
    assert "mean time s: mean 2.000, min 2, max 2, sd 0.000 (2 / 2)" in lines
    assert "gap ratio: —" in lines


def test_first_per_group_keeps_instance_one_of_each_group(root: Path):
    assert group_of("j1201_1") == "j1201" and group_of("inst_set1a_sf1_nc1.5_n20_m10_07") == (
        "inst_set1a_sf1_nc1.5_n20_m10"
    )
    assert group_of("A-1") == "A-1"
    firsts = select_instances(config(root, "psplib", sample="first-per-group"))
    assert [e.name for e in firsts] == ["j301_1", "tiny_1"]
    assert len(list_instances("psplib", root=root)) == 2


def test_named_instances_only_and_unknown_names_refused(root: Path):
    chosen = select_instances(config(root, "psplib", names=("tiny_1",)))
    assert [e.name for e in chosen] == ["tiny_1"]
    with pytest.raises(ValueError, match="no such instance in psplib: nope_1"):
        select_instances(config(root, "psplib", names=("tiny_1", "nope_1")))


def test_peer_without_pyjobshop_is_a_clear_error(root: Path, monkeypatch, capsys):
    real = importlib.import_module

    def missing(name: str, *args: object):
        if name == "pyjobshop":
            raise ImportError(name)
        return real(name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(peer.importlib, "import_module", missing)
    with pytest.raises(peer.PeerUnavailable, match="pip install"):
        run(config(root, "psplib", peer="pyjobshop"))
    assert main(["run", "psplib", "--root", str(root), "--peer", "pyjobshop"]) == 2
    assert "pyjobshop" in capsys.readouterr().err


def test_command_line_writes_csv_and_summary(root: Path, tmp_path: Path, capsys):
    out = tmp_path / "out.csv"
    args = ["run", "psplib", "--root", str(root), "--time-limit", "5", "--workers", "1", "-o", str(out)]
    assert main(args) == 0
    assert "proven optimal: 2" in capsys.readouterr().out
    assert out.read_text().splitlines()[0].split(",") == list(COLUMNS)


def test_command_line_repeat_writes_a_row_per_seed_and_the_spread(root: Path, tmp_path: Path, capsys):
    out = tmp_path / "out.csv"
    args = ["run", "psplib", "--root", str(root), "--instances", "tiny_1", "--time-limit", "5"]
    assert main([*args, "--repeat", "2", "--seed", "3", "-o", str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "seeds: 3, 4"
    assert "proven optimal: mean 1.000, min 1, max 1, sd 0.000 (1 / 1)" in printed
    with out.open() as handle:
        assert [(r["instance"], r["seed"], r["objective"]) for r in csv.DictReader(handle)] == [
            ("tiny_1", "3", "7"),
            ("tiny_1", "4", "7"),
        ]
    with pytest.raises(SystemExit) as stopped:
        main([*args, "--repeat", "0"])
    assert stopped.value.code == 2
    assert "--repeat: must be at least 1, not 0" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main([*args, "--repeat", "two"])
    assert "--repeat: a whole number is needed, not 'two'" in capsys.readouterr().err


def test_peer_solves_j301_1_to_its_optimum(root: Path):
    pytest.importorskip("pyjobshop")
    (row,) = run(config(root, "psplib", subset="j30", peer="pyjobshop"))
    assert (row.peer_objective, row.peer_status, row.peer_gap_best_known_pct) == (43, "optimal", 0.0)


def test_first_stage_bound_of_a_weighted_stage_bounds_its_leading_term():
    """MISTA's one stage is delay * W + makespan: a bound b on it bounds the delay by
    floor(b / W), since the makespan adds less than W; a later stage's bound never counts."""
    scenario = mista.to_scenario(mista.read_mista(DATA / "mista" / "A-1.txt"))
    (stage,) = scenario.objective.stages
    weight = stage[ObjectiveTerm.LATENESS]
    terms = {term.value: w for term, w in stage.items()}

    def info(bound: float, stage_terms: dict[str, int]) -> SolverInfo:
        result = StageResult(
            terms=stage_terms, objective=bound, bound=bound, status=SolverStatus.FEASIBLE, wall_time=1.0
        )
        return SolverInfo(status=SolverStatus.FEASIBLE, stages=(result,))

    assert first_stage_bound(scenario, info(3 * weight + weight - 1, terms)) == 3
    assert first_stage_bound(scenario, info(3 * weight, terms)) == 3
    assert first_stage_bound(scenario, info(40.0, {"makespan": 1})) is None


def test_mista_rows_report_the_total_project_delay_for_ours_and_the_baseline(root: Path):
    """The stage weighs delay * W plus the makespan; every column speaks of the delay."""
    (row,) = run(config(root, "mista", baseline="lft"))
    scenario = mista.to_scenario(mista.read_mista(root / "mista2013-mrcmpsp" / "instances" / "A-1.txt"))
    baseline = lft_baseline(scenario)
    assert baseline.plan is not None
    assert row.baseline_objective == sum(project.late_days for project in baseline.plan.projects)
    assert row.objective == 1 and row.checker == "ok"  # the organisers' best for A-1
    assert row.best_bound is not None and row.best_bound <= 1
