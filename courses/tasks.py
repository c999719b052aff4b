from celery import shared_task

from courses import enrolment


@shared_task(name="courses.tasks.offers_expire")
def offers_expire() -> int:
    """Every minute: offers past their time expire and pass on to the next person."""
    return enrolment.offers_expire()
