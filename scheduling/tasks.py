from celery import shared_task

from scheduling import services


@shared_task(name="scheduling.tasks.sessions_extend_horizon")
def sessions_extend_horizon() -> dict[str, int]:
    """Daily: materialise open-ended course rules up to the rolling horizon."""
    result = services.sessions_extend_horizon()
    return {"created": result.created, "updated": result.updated, "deleted": result.deleted}
