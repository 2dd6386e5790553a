"""Grade solutions in parallel, keeping each result as soon as it is known."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed

from judge.batch.graders import Grader, grade_with_retry
from judge.batch.outcome import Outcome
from judge.batch.solutions import Solution
from judge.batch.state import BatchState


def run_batch(solutions: list[Solution], grader: Grader, state: BatchState, jobs: int, rejudge: bool,
              on_done: Callable[[Solution, Outcome], None]) -> None:
    """Grades what the state does not hold yet (everything, with `rejudge`). On Ctrl-C the solutions
    not started are dropped, and what finished is already in the state."""
    todo = []
    for solution in solutions:
        known = None if rejudge else state.done(solution)
        if known is not None:
            on_done(solution, known)
        elif solution.problem:
            state.record(solution, Outcome.failure(solution.problem))
            on_done(solution, Outcome.failure(solution.problem))
        else:
            todo.append(solution)
    pool = ThreadPoolExecutor(max_workers=jobs)
    try:
        futures: dict[Future[Outcome], Solution] = {pool.submit(grade_with_retry, grader, s): s for s in todo}
        for future in as_completed(futures):
            solution, outcome = futures[future], future.result()
            state.record(solution, outcome)
            on_done(solution, outcome)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
