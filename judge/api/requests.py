"""Judge0 v1.13.1's request rules: the 20 fields, their defaults and maxima, Rails-style errors.

Unknown keys are ignored; null means "the default"; numbers may come as JSON strings. The errors
map each field to its messages, as Rails' `errors` hash does, and answer 422.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from judge import callbacks
from judge.api.config import ApiSettings, Judge0Config
from judge.jobs import Judge0Request, decode_base64, split_words, unzip
from judge.languages import LANGUAGES

MAX_WORDS_LENGTH = 512
COMPILE_SECONDS = 20.0


class RequestErrors(Exception):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


@dataclass(frozen=True)
class Rules:
    config: Judge0Config
    api: ApiSettings
    offered: set[int]  # language ids some worker runs
    callback_hosts: set[str]
    max_job_seconds: float


def parse_submission(body: Any, base64_encoded: bool, rules: Rules) -> Judge0Request:
    """Raises: RequestErrors."""
    if not isinstance(body, dict):
        raise RequestErrors({"base": ["the request body must be a JSON object"]})
    reader = _Reader(body, rules.config, base64_encoded)
    request = Judge0Request(
        source_code=reader.text("source_code", rules.api.max_source_size, required=True),
        language_id=reader.language(rules.offered),
        compiler_options=reader.words("compiler_options"),
        command_line_arguments=reader.words("command_line_arguments"),
        stdin=reader.text("stdin", rules.api.max_stdin_size),
        expected_output=reader.text("expected_output", rules.api.max_stdin_size),
        cpu_time_limit=reader.number("cpu_time_limit", float, low=0, high=rules.config.max_cpu_time_limit),
        cpu_extra_time=reader.number("cpu_extra_time", float, low=0, high=rules.config.max_cpu_extra_time),
        wall_time_limit=reader.number("wall_time_limit", float, low=1, high=rules.config.max_wall_time_limit),
        memory_limit=reader.number("memory_limit", int, low=2048, high=rules.config.max_memory_limit),
        stack_limit=reader.number("stack_limit", int, low=0, high=rules.config.max_stack_limit),
        max_processes_and_or_threads=reader.number("max_processes_and_or_threads", int, above=0,
                                                   high=rules.config.max_max_processes_and_or_threads),
        enable_per_process_and_thread_time_limit=reader.flag(
            "enable_per_process_and_thread_time_limit", rules.config.allow_enable_per_process_and_thread_time_limit),
        enable_per_process_and_thread_memory_limit=reader.flag(
            "enable_per_process_and_thread_memory_limit",
            rules.config.allow_enable_per_process_and_thread_memory_limit),
        max_file_size=reader.number("max_file_size", int, low=0, high=rules.config.max_max_file_size),
        redirect_stderr_to_stdout=reader.flag("redirect_stderr_to_stdout", True),
        enable_network=reader.flag("enable_network", rules.config.allow_enable_network),
        number_of_runs=reader.number("number_of_runs", int, above=0, high=rules.config.max_number_of_runs),
        additional_files=reader.zip_file(rules.config),
        callback_url=reader.callback(rules),
    )
    _check_options(reader, request, rules.config)
    if not reader.errors and request.worst_case_seconds(COMPILE_SECONDS) > rules.max_job_seconds:
        reader.errors.setdefault("number_of_runs", []).append(
            f"times wall_time_limit exceeds what a worker may spend on one job ({rules.max_job_seconds:.0f} s)")
    if reader.errors:
        raise RequestErrors(reader.errors)
    if request.cpu_time_limit == 0:  # isolate reads 0 as "no limit": here, the maximum
        return _replace_cpu(request, rules.config.max_cpu_time_limit)
    return request


def _replace_cpu(request: Judge0Request, seconds: float) -> Judge0Request:
    from dataclasses import replace

    return replace(request, cpu_time_limit=seconds)


def _check_options(reader: _Reader, request: Judge0Request, config: Judge0Config) -> None:
    language = LANGUAGES.get(request.language_id)
    if request.compiler_options:
        if not config.enable_compiler_options:
            reader.errors.setdefault("compiler_options", []).append("setting compiler options is not allowed")
        elif language is not None and language.compile is None:
            reader.errors.setdefault("compiler_options", []).append(
                "setting compiler options is only allowed for compiled languages")
        elif (allowed := config.allowed_languages_for_compile_options) and language is not None and \
                language.name not in allowed:
            reader.errors.setdefault("compiler_options", []).append(
                f"setting compiler options is only allowed for {', '.join(allowed)}")
    if request.command_line_arguments and not config.enable_command_line_arguments:
        reader.errors.setdefault("command_line_arguments", []).append("setting command line arguments is not allowed")


class _Reader:
    """Reads fields one at a time, collecting errors instead of stopping at the first."""

    def __init__(self, body: dict[str, Any], config: Judge0Config, base64_encoded: bool) -> None:
        self.body, self.config, self.base64_encoded = body, config, base64_encoded
        self.errors: dict[str, list[str]] = {}

    def fail(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def text(self, field: str, limit: int, required: bool = False) -> Any:
        value = self.body.get(field)
        if value is None or value == "":
            if required:
                self.fail(field, "can't be blank")
            return None
        if not isinstance(value, str):
            self.fail(field, "must be a string")
            return None
        data = self._decode(field, value) if self.base64_encoded else value.encode()
        if data is not None and len(data) > limit:
            self.fail(field, f"is too long (maximum is {limit} bytes)")
        return data

    def _decode(self, field: str, value: str) -> bytes | None:
        try:
            return decode_base64(value)
        except ValueError:
            self.fail(field, "is not valid base64")
            return None

    def language(self, offered: set[int]) -> int:
        value = self.body.get("language_id")
        if value is None or value == "":
            self.fail("language_id", "can't be blank")
            return 0
        number = _as(int, value)
        if number is None or number not in offered:
            self.fail("language_id", f"language with id {value} doesn't exist")
            return 0
        return int(number)

    def words(self, field: str) -> str | None:
        value = self.body.get(field)
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            self.fail(field, "must be a string")
            return None
        if len(value) > MAX_WORDS_LENGTH:
            self.fail(field, f"is too long (maximum is {MAX_WORDS_LENGTH} characters)")
            return None
        try:
            split_words(value, field)
        except ValueError as error:
            self.fail(field, str(error).removeprefix(f"{field} "))
            return None
        return value

    def number(self, field: str, kind: Callable[[Any], Any], low: float | None = None,
               high: float | None = None, above: float | None = None) -> Any:
        value = self.body.get(field)
        default = getattr(self.config, field)
        if value is None or value == "":
            return default
        number = _as(kind, value)
        if number is None:
            self.fail(field, "is not a number" if _as(float, value) is None else "must be an integer")
            return default
        if above is not None and not number > above:
            self.fail(field, f"must be greater than {_show(above)}")
        if low is not None and number < low:
            self.fail(field, f"must be greater than or equal to {_show(low)}")
        if high is not None and number > high:
            self.fail(field, f"must be less than or equal to {_show(high)}")
        return number

    def flag(self, field: str, allowed: bool) -> bool:
        value = self.body.get(field)
        if value is None:
            return bool(getattr(self.config, field))
        flag = value if isinstance(value, bool) else str(value).lower() in ("true", "1")
        if flag and not allowed:
            self.fail(field, "is not allowed to be true on this server")
        return flag

    def zip_file(self, config: Judge0Config) -> bytes | None:
        value = self.body.get("additional_files")
        if not value:
            return None
        if not config.enable_additional_files:
            self.fail("additional_files", "are not allowed on this server")
            return None
        data = self._decode("additional_files", str(value))  # always base64, whatever base64_encoded says
        if data is not None:
            try:
                unzip(data)
            except ValueError as error:
                self.fail("additional_files", str(error).removeprefix("additional_files "))
        return data

    def callback(self, rules: Rules) -> str | None:
        value = self.body.get("callback_url")
        if not value:
            return None
        if not rules.config.enable_callbacks:
            self.fail("callback_url", "callbacks are not allowed on this server")
        elif not callbacks.allowed(str(value), rules.callback_hosts):
            self.fail("callback_url", "must be an http(s) URL to a host in JUDGE_CALLBACK_ALLOW")
        return str(value)


def _as(kind: Callable[[Any], Any], value: Any) -> Any:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if kind is int:
        return int(number) if number.is_integer() else None
    return number


def _show(number: float) -> str:
    return str(number)
