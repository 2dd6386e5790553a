"""The HTTP API: Judge0 CE 1.13.1's endpoints, exactly, and our own problem/grading extension."""
