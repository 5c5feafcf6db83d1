import pytest

from tests.crash import harness


@pytest.fixture
def workers(transactional_db, tmp_path):
    """Start workers with ``workers(point=..., nth=...)``; every one still running is killed after the test
    (before the database is emptied), and the queue is left empty."""
    started: list[harness.Worker] = []
    harness.purge()

    def start(point: str = "", nth: int = 1) -> harness.Worker:
        worker = harness.Worker(tmp_path, point, nth)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.kill()
    harness.purge()
