"""`judge batch PROBLEM_DIR SOLUTION...`: grade many solutions against one problem, here (--local)
or through a server (--server URL, batch priority), with a report for people and one for CI."""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from judge.batch import reports
from judge.batch.graders import Grader, LocalGrader, ServerGrader
from judge.batch.outcome import Outcome
from judge.batch.run import run_batch
from judge.batch.solutions import Solution, discover
from judge.batch.state import BatchState
from judge.client import Client
from judge.config import settings
from judge.local import local_judge
from judge.problem_codec import content_hash
from judge.problems import load_problem
from sandbox import SandboxPool


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("batch", help="grade many solutions against one problem")
    parser.add_argument("problem", type=Path, help="problem directory (tests/*.in, tests/*.out, problem.toml)")
    parser.add_argument("solutions", type=Path, nargs="*", help="source files, or one directory per student")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--server", help="grade through this judge server (URL)")
    where.add_argument("--local", action="store_true", help="grade here, no server (the default)")
    parser.add_argument("--token", help="X-Auth-Token for --server")
    parser.add_argument("--jobs", type=int, default=4, help="solutions graded at once")
    parser.add_argument("--lang", help="language of every solution (default: from the file extensions)")
    parser.add_argument("--out", type=Path, help=f"report: {', '.join(reports.FORMATS)}; reruns skip what it holds")
    parser.add_argument("--rejudge", action="store_true",
                        help="grade again (with no SOLUTION: every solution this --out has seen)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    problem = load_problem(args.problem)
    if args.out and args.out.suffix not in reports.FORMATS:
        raise ValueError(f"--out must end in {', '.join(reports.FORMATS)}")
    state_file = (args.out or Path("judge-batch.json")).with_suffix(".state.json")
    state = BatchState(state_file, content_hash(problem))
    solutions = discover(args.solutions, args.lang) if args.solutions else (
        state.stored_solutions() if args.rejudge else [])
    if not solutions:
        raise ValueError("no solutions given (and, without --rejudge, none are taken from earlier runs)")
    console = Console(soft_wrap=True)
    pool = None if args.server else SandboxPool()
    try:
        grader: Grader = (ServerGrader(Client(args.server, token=args.token), args.problem) if args.server
                          else LocalGrader(local_judge(settings(), pool), problem))
        results = _grade_with_progress(console, solutions, grader, state, args.jobs, args.rejudge)
    finally:
        if pool is not None:
            pool.close()
    tests = [test.name for test in problem.tests]
    reports.summary(console, results, tests)
    if args.out:
        reports.write(args.out, results, tests)
        console.print(f"report: {args.out} (progress kept in {state_file})")
    return 0 if results and all(outcome.verdict == "AC" for _, outcome in results) else 1


def _grade_with_progress(console: Console, solutions: list[Solution], grader: Grader, state: BatchState, jobs: int,
                         rejudge: bool) -> list[tuple[Solution, Outcome]]:
    order = {solution.path: index for index, solution in enumerate(solutions)}
    done: list[tuple[Solution, Outcome]] = []
    verdicts: Counter[str] = Counter()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task("grading", total=len(solutions))

        def on_done(solution: Solution, outcome: Outcome) -> None:
            done.append((solution, outcome))
            verdicts[outcome.verdict] += 1
            counts = " ".join(f"{verdict} {count}" for verdict, count in sorted(verdicts.items()))
            progress.update(task, advance=1, description=f"grading  {counts}")

        try:
            run_batch(solutions, grader, state, jobs, rejudge, on_done)
        except KeyboardInterrupt:
            console.print(f"[yellow]interrupted[/]: {len(done)} of {len(solutions)} graded and kept; "
                          "run the same command again to go on")
    return sorted(done, key=lambda item: order.get(item[0].path, len(order)))
