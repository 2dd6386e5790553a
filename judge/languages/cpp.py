"""C++, compiled with GCC's g++."""

from judge.languages.base import ARGS, OPTIONS, Language

LANGUAGE = Language(
    id=54, name="C++", label="C++ (GCC {version})", toolchain="g++", source_file="main.cpp",
    extensions=(".cpp", ".cc", ".cxx"),
    compile=("/usr/bin/g++", OPTIONS, "main.cpp", "-o", "a.out"),
    run=("./a.out", ARGS),
    self_test="""#include <iostream>
int main() {
    std::cout << std::cin.rdbuf();
    return 0;
}
""")
