"""The suite's log check (issue #21): no log line of a whole run holds an email, a phone number or a JWT.

Registered by ``tests/conftest.py``. At session start a handler joins the root logger with the real console
handler's filters (request id, ``core.logredact.RedactPersonalData``) and its JSON formatter, and the root
logger's level is lowered to INFO (what production logs) while the real handlers keep the configured level, so
business events that tests run at WARNING would hide are checked too. Every record is formatted as the
console would print it and searched with ``core.logredact.find_personal_data``; at session finish any find
fails the run (exit status 1) with a report naming the logger, the level, the kinds found and a redacted sample.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass

import pytest
from pythonjsonlogger.json import JsonFormatter

from core.logredact import find_personal_data, redact

CHECK_LEVEL = logging.INFO
SAMPLES_KEPT = 20


@dataclass
class Finding:
    logger: str
    level: str
    kinds: list[str]
    sample: str


class PersonalDataLogCheck(logging.Handler):
    """Formats each record as the configured console handler would and keeps the lines that leak."""

    def __init__(self) -> None:
        super().__init__(level=logging.NOTSET)
        self.findings: list[Finding] = []
        self.counts: Counter[str] = Counter()
        self.records_seen = 0

    def copy_pipeline(self, template: logging.Handler) -> None:
        for record_filter in template.filters:
            self.addFilter(record_filter)
        self.setFormatter(template.formatter)

    def emit(self, record: logging.LogRecord) -> None:
        self.records_seen += 1
        try:
            line = self.format(record)
        except Exception as error:  # a record that cannot be formatted: report the failure, not the record
            line = f"unformattable record: {type(error).__name__}"
        kinds = find_personal_data(line)
        if kinds:
            self.counts[record.name] += 1
            if len(self.findings) < SAMPLES_KEPT:
                self.findings.append(Finding(record.name, record.levelname, kinds, redact(line)[:300]))

    def report(self) -> str:
        lines = [f"{sum(self.counts.values())} log line(s) hold personal data (email, phone or JWT):"]
        lines += [f"  {logger}: {count}" for logger, count in self.counts.most_common()]
        lines.append("samples (redacted):")
        lines += [f"  [{f.level} {f.logger}] {', '.join(f.kinds)}: {f.sample}" for f in self.findings]
        return "\n".join(lines)


_check = PersonalDataLogCheck()


def _install() -> None:
    """Joins the root logger (again, if a test reconfigured logging), lowering it to CHECK_LEVEL."""
    root = logging.getLogger()
    if _check in root.handlers:
        return
    configured = root.level or logging.WARNING
    for handler in root.handlers:
        if type(handler).__module__.startswith("_pytest"):  # caplog and pytest's own reporting handlers
            continue
        if isinstance(handler.formatter, JsonFormatter) and _check.formatter is None:
            _check.copy_pipeline(handler)
        if handler.level < configured:
            handler.setLevel(configured)
    root.addHandler(_check)
    if root.level > CHECK_LEVEL or root.level == logging.NOTSET:
        root.setLevel(CHECK_LEVEL)


def pytest_sessionstart(session: pytest.Session) -> None:
    _install()


def pytest_runtest_setup(item: pytest.Item) -> None:
    _install()


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    logging.getLogger().removeHandler(_check)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if not _check.counts:
        if reporter is not None and _check.records_seen:
            reporter.write_line(f"log check: {_check.records_seen} log records, none with an email, phone or JWT")
        return
    if reporter is not None:
        reporter.write_sep("=", "personal data in the logs", red=True)
        reporter.write_line(_check.report())
    else:  # pragma: no cover - terminal reporting disabled
        print(_check.report())
    if session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
