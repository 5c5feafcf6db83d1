from __future__ import annotations

from tests.fuzz import world


def pytest_terminal_summary(terminalreporter) -> None:
    """The schema fuzzer's counts (tests/fuzz/test_schema_fuzz.py), beside the log check's line."""
    if world.summary:
        terminalreporter.write_line(world.summary)
