import sys
from pathlib import Path

given, output, expected = (Path(name).read_text() for name in sys.argv[1:4])
n = int(given)
try:
    a, b = map(int, output.split())
except ValueError:
    print("expected two integers", file=sys.stderr)
    sys.exit(1)
if a + b != n:
    print(f"{a} + {b} is not the sum {n}", file=sys.stderr)
    sys.exit(1)
print("ok", file=sys.stderr)
