"""C, compiled with GCC."""

from judge.languages.base import ARGS, OPTIONS, Language

LANGUAGE = Language(
    id=50, name="C", label="C (GCC {version})", toolchain="gcc", source_file="main.c", extensions=(".c",),
    compile=("/usr/bin/gcc", OPTIONS, "main.c", "-o", "a.out", "-lm"),
    run=("./a.out", ARGS),
    self_test="""#include <stdio.h>
int main(void) {
    int c;
    while ((c = getchar()) != EOF) putchar(c);
    return 0;
}
""")
