"""judge: compile and run untrusted code in a sandbox, grade it, and serve Judge0's API."""

__version__ = "0.1.0"
