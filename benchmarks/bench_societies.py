"""A society's hierarchy and unit search on PostgreSQL at 5,000 and 50,000 units.

Starts its own PostgreSQL and Redis and migrates. Builds two apartment societies (towers x floors x flats:
10 x 25 x 20 = 5,000 and 50 x 25 x 40 = 50,000 units; paths written by one UPDATE per level), ANALYZEs,
then calls through the whole Django stack in-process (routing, JWT, envelope), signed in as a resident:

* ``GET /societies/{id}/hierarchy`` (the whole tree, one query, built in memory);
* ``GET /societies/{id}/units?search=<code>&limit=20`` (a page of units with ancestors and full paths).

3 warm-up calls, then ``--samples`` timed calls each; prints the median and p95, the SQL queries of one call
(the same at both sizes: ``tests/societies/test_hierarchy_api.py`` asserts it) and, as the baseline measured
in the same run, the ratio of the 50,000-unit time to the 5,000-unit time (10x the data).

    .venv/bin/python benchmarks/bench_societies.py [--samples 10]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import httpload  # noqa: E402

SIZES = {"5k": (10, 25, 20), "50k": (50, 25, 40)}


def _build(name: str, towers: int, floors: int, flats: int):
    from django.db import connection

    from societies.models import HierarchyNode, NodeType, SocietyType
    from societies.services import setup

    society = setup.society_create(
        data={"name": name, "society_type": SocietyType.APARTMENT, "city": "Kolkata", "pincode": "700091"}
    )
    root = setup.root_of(society)
    groups = HierarchyNode.objects.bulk_create(
        HierarchyNode(
            society=society,
            parent=root,
            node_type=NodeType.TOWER,
            node_code=f"T{t}",
            node_name=f"Tower {t}",
            level_depth=2,
        )
        for t in range(towers)
    )
    floor_rows = HierarchyNode.objects.bulk_create(
        HierarchyNode(
            society=society, parent=g, node_type=NodeType.FLOOR, node_code=str(f), node_name=f"Floor {f}", level_depth=3
        )
        for g in groups
        for f in range(floors)
    )
    HierarchyNode.objects.bulk_create(
        (
            HierarchyNode(
                society=society,
                parent=floor,
                node_type=NodeType.UNIT,
                node_code=f"{floor.parent.node_code}-{floor.node_code}-{n:02d}",
                node_name=f"Flat {floor.parent.node_code}-{floor.node_code}-{n:02d}",
                level_depth=4,
            )
            for floor in floor_rows
            for n in range(1, flats + 1)
        ),
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        for depth in (2, 3, 4):
            cursor.execute(
                "UPDATE societies_hierarchynode AS child SET path = parent.path || '.' || child.id "
                "FROM societies_hierarchynode AS parent "
                "WHERE child.parent_id = parent.id AND child.society_id = %s AND child.level_depth = %s",
                [society.pk, depth],
            )
    return society


def _ms(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000, 1),
    }


def _measure(args) -> dict:
    from django.db import connection
    from rest_framework.test import APIClient

    from accounts.models import User
    from accounts.services.tokens import tokens_issue
    from societies.models import HierarchyNode, NodeType

    societies = {}
    for label, (towers, floors, flats) in SIZES.items():
        started = time.perf_counter()
        societies[label] = _build(f"Bench {label}", towers, floors, flats)
        units = HierarchyNode.objects.filter(society=societies[label], node_type=NodeType.UNIT).count()
        print(f"{label}: {units} units written in {time.perf_counter() - started:.1f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    person = User.objects.create_user(phone="+919811100000", full_name="Bench Resident", is_phone_verified=True)
    client = APIClient(HTTP_HOST="localhost")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens_issue(user=person)['access_token']}")
    report: dict = {}
    for endpoint, template in (
        ("hierarchy", "/api/v1/societies/{id}/hierarchy"),
        ("units search", "/api/v1/societies/{id}/units?search=T3-1-&limit=20"),
    ):
        for label, society in societies.items():
            path = template.format(id=society.pk)
            for _ in range(3):
                assert client.get(path).status_code == 200
            queries: list[str] = []

            def counted(execute, sql, *rest, seen=queries):
                seen.append(sql)
                return execute(sql, *rest)

            with connection.execute_wrapper(counted):
                response = client.get(path)
            assert response.status_code == 200, response.content[:500]
            samples = []
            for _ in range(args.samples):
                started = time.perf_counter()
                client.get(path)
                samples.append(time.perf_counter() - started)
            report[f"{endpoint} {label}"] = {**_ms(samples), "queries": len(queries), "bytes": len(response.content)}
        big, small = report[f"{endpoint} 50k"], report[f"{endpoint} 5k"]
        report[f"{endpoint} ratio 50k/5k"] = round(big["median_ms"] / small["median_ms"], 2)
    print(f"{'endpoint':<22}{'median ms':>11}{'p95 ms':>9}{'queries':>9}{'KB':>9}")
    for name, row in report.items():
        if isinstance(row, dict):
            print(f"{name:<22}{row['median_ms']:>11}{row['p95_ms']:>9}{row['queries']:>9}{row['bytes'] // 1024:>9}")
        else:
            print(f"{name:<22}{row:>11}")
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--samples", type=int, default=10)
    args = parser.parse_args()
    httpload.exit_on_sigterm()
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    with httpload.platform_on_postgres():
        report = _measure(args)
    (out / "bench_societies.json").write_text(json.dumps(report, indent=2, default=str))


if __name__ == "__main__":
    main()
