"""The task: thin. It receives a token, never a blob, and leaves the work to `judge.processing`."""

from __future__ import annotations

from celery import Task

from judge.processing import process
from worker.app import app
from worker.runtime import runtime

JOB = "judge.job"


@app.task(name=JOB, bind=True)
def judge_job(self: Task, token: str) -> None:
    state = runtime()
    process(token, state.store, state.judge, state.offered, state.callback_hosts, state.problems,
            str(self.request.hostname))
