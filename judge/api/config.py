"""Judge0's configuration: the 39 keys `/config_info` shows, each settable as JUDGE_<KEY>, with
v1.13.1's code defaults; and the API's own settings (tokens, size caps)."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Judge0Config(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="JUDGE_", frozen=True)

    maintenance_mode: bool = False
    enable_wait_result: bool = True
    enable_compiler_options: bool = True
    allowed_languages_for_compile_options: list[str] = []
    enable_command_line_arguments: bool = True
    enable_submission_delete: bool = False
    enable_callbacks: bool = True
    callbacks_max_tries: int = 3
    callbacks_timeout: float = 5.0
    enable_additional_files: bool = True
    max_queue_size: int = 100
    cpu_time_limit: float = 5.0
    max_cpu_time_limit: float = 15.0
    cpu_extra_time: float = 1.0
    max_cpu_extra_time: float = 5.0
    wall_time_limit: float = 10.0
    max_wall_time_limit: float = 20.0
    memory_limit: int = 128000
    max_memory_limit: int = 512000
    stack_limit: int = 64000
    max_stack_limit: int = 128000
    max_processes_and_or_threads: int = 60
    max_max_processes_and_or_threads: int = 120
    enable_per_process_and_thread_time_limit: bool = False
    allow_enable_per_process_and_thread_time_limit: bool = True
    enable_per_process_and_thread_memory_limit: bool = False
    allow_enable_per_process_and_thread_memory_limit: bool = True
    max_file_size: int = 1024
    max_max_file_size: int = 4096
    number_of_runs: int = 1
    max_number_of_runs: int = 20
    redirect_stderr_to_stdout: bool = False
    max_extract_size: int = 10240
    enable_batched_submissions: bool = True
    max_submission_batch_size: int = 20
    submission_cache_duration: float = 1.0
    use_docs_as_homepage: bool = False
    allow_enable_network: bool = True
    enable_network: bool = False


class ApiSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="JUDGE_", frozen=True)

    authn_token: str = ""  # space-separated tokens for X-Auth-Token; empty: authentication off
    authz_token: str = ""  # space-separated tokens for X-Auth-User; empty: protected endpoints answer 403
    authn_header: str = "X-Auth-Token"
    authz_header: str = "X-Auth-User"
    max_source_size: int = 1 << 20  # bytes of source code
    max_stdin_size: int = 16 << 20  # bytes of stdin, and of expected_output
    max_problem_size: int = 256 << 20  # bytes of one problem's tests
    maintenance_message: str = "Judge0 is currently in maintenance."


@lru_cache(maxsize=1)
def judge0_config() -> Judge0Config:
    return Judge0Config()


@lru_cache(maxsize=1)
def api_settings() -> ApiSettings:
    return ApiSettings()
