"""What a language is: declarative data, one instance per file in this package."""

from __future__ import annotations

from dataclasses import dataclass, field

from sandbox import Limits

OPTIONS = "{options}"  # in a compile command: the submission's compiler options, as separate items
ARGS = "{args}"  # in a run command: the submission's command-line arguments

# Judge0 CE 1.13.1 compiles with its maximum limits: 15 s CPU, 20 s wall, 512 MB, 120 tasks.
COMPILE_LIMITS = Limits(cpu_time=15, wall_time=20, memory=512 << 20, processes=120, output=64 << 10,
                        file_size=64 << 20, stack=64 << 20, open_files=256, tmp_size=256 << 20)


@dataclass(frozen=True)
class Language:
    id: int  # Judge0 CE 1.13.1's id, so that existing frontends keep working
    name: str  # shown as `label` with the toolchain's version filled in
    label: str  # e.g. "C (GCC {version})"
    toolchain: str  # the rootfs manifest's toolchain whose version is shown
    source_file: str
    extensions: tuple[str, ...]
    run: tuple[str, ...]
    self_test: str  # a program that copies its standard input to its standard output
    compile: tuple[str, ...] | None = None
    compile_limits: Limits = field(default_factory=lambda: COMPILE_LIMITS)

    def compile_argv(self, options: tuple[str, ...]) -> list[str] | None:
        return None if self.compile is None else _expand(self.compile, OPTIONS, options)

    def run_argv(self, args: tuple[str, ...]) -> list[str]:
        return _expand(self.run, ARGS, args)

    def display_name(self, toolchain_versions: dict[str, str]) -> str:
        return self.label.format(version=toolchain_versions.get(self.toolchain, "?"))

    def command_line(self, argv: tuple[str, ...] | None) -> str | None:
        """The command as Judge0 shows it, `%s` standing for options or arguments."""
        return None if argv is None else " ".join("%s" if item in (OPTIONS, ARGS) else item for item in argv)


def _expand(template: tuple[str, ...], marker: str, items: tuple[str, ...]) -> list[str]:
    argv: list[str] = []
    for item in template:
        argv.extend(items if item == marker else [item])
    return argv
