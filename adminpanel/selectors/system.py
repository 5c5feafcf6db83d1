"""System reads for staff: the audit log and the caches' health."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db.models import Q, QuerySet

from adminpanel.selectors.common import bounds, date_range
from core.models import AuditLog


def audit_rows(params: dict[str, Any]) -> QuerySet[AuditLog]:
    """The audit log filtered as staff ask (seed 000's names and seed 002's), newest first."""
    rows = AuditLog.objects.all()
    if params.get("admin_id"):
        rows = rows.filter(actor_id=params["admin_id"])
    if params.get("user"):
        rows = rows.filter(Q(actor_email__iexact=params["user"]) | Q(actor_name__icontains=params["user"]))
    resource_type = params.get("resource_type") or params.get("model")
    if resource_type:
        rows = rows.filter(resource_type__iexact=resource_type)
    if params.get("resource_id"):
        rows = rows.filter(resource_id=params["resource_id"])
    if params.get("action"):
        rows = rows.filter(action=params["action"])
    if params.get("via"):
        rows = rows.filter(via=params["via"])
    date_from = params.get("date_from") or params.get("start_date")
    date_to = params.get("date_to") or params.get("end_date")
    if date_from or date_to:
        date_from, date_to = date_range(date_from, date_to, required=False)
        start, end = bounds(date_from, date_to)
        rows = rows.filter(created_at__gte=start, created_at__lt=end)
    return rows.order_by("-created_at")


def cache_stats() -> dict[str, Any]:
    """Each configured cache's Redis figures (hits, misses, keys, memory) and their overall health."""
    stats, healthy, rates = {}, 0, []
    for name, config in settings.CACHES.items():
        row: dict[str, Any] = {
            "name": name,
            "backend": config["BACKEND"].rsplit(".", 1)[-1],
            "timeout": config.get("TIMEOUT", 300),
        }
        try:
            client = caches[name].client.get_client()  # type: ignore[attr-defined]  # django-redis's cache
            info = client.info()
            hits, misses = info.get("keyspace_hits", 0), info.get("keyspace_misses", 0)
            rate = round(hits * 100 / (hits + misses), 2) if hits + misses else 0.0
            row.update(
                redis_version=info.get("redis_version"),
                used_memory=info.get("used_memory_human"),
                connected_clients=info.get("connected_clients"),
                keyspace_hits=hits,
                keyspace_misses=misses,
                hit_rate_percentage=rate,
                total_keys=client.dbsize(),
                status="healthy",
            )
            healthy += 1
            rates.append(rate)
        except Exception as exc:
            row.update(status="unhealthy", error=str(exc))
        stats[name] = row
    total = len(stats)
    stats["overall_health"] = {
        "healthy_caches": healthy,
        "total_caches": total,
        "health_percentage": round(healthy * 100 / total, 1) if total else 0.0,
        "average_hit_rate": round(sum(rates) / len(rates), 2) if rates else 0.0,
        "status": "healthy" if healthy == total else "degraded",
    }
    return stats
