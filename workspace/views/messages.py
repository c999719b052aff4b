"""Messages to people: to a course, one session or those waiting. Write it, read the preview
(who gets it in which language, the text each language gets, segments, encoding, estimated
cost), then send it. For the centre's staff: a trainer or another centre's staff get a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from courses.models import Course
from notifications.audience import message_preview, recent_messages
from notifications.drafts import DEFAULT_LANGUAGE
from notifications.services.messages import staff_message_send
from scheduling.models import Session
from workspace.forms.messages import MessageForm
from workspace.selectors.scope import Scope
from workspace.views.base import workspace_view


def _page(
    request: HttpRequest, scope: Scope, course: Course, session: Session | None
) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = MessageForm(data, course=course, session=session)
    preview = None
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["session"]
        audience = form.cleaned_data["audience"]
        texts = form.cleaned_data["texts"]
        if "send" in request.POST:
            result = staff_message_send(
                actor=request.user,
                course=course,
                session=chosen,
                audience=audience,
                text=texts[DEFAULT_LANGUAGE],
                texts={k: v for k, v in texts.items() if k != DEFAULT_LANGUAGE},
            )
            if result.repeated:
                messages.info(
                    request,
                    _("This message was sent already today: it was not sent again."),
                )
            else:
                count = result.message.recipients
                messages.success(
                    request,
                    ngettext(
                        "The message is on its way to %(count)s person.",
                        "The message is on its way to %(count)s people.",
                        count,
                    )
                    % {"count": count},
                )
            return redirect(request.path)
        if "edit" not in request.POST:
            preview = message_preview(course=course, session=chosen, audience=audience, texts=texts)
    context: dict[str, Any] = {
        "scope": scope,
        "section": "courses",
        "course": course,
        "session": session,
        "form": form,
        "preview": preview,
        "history": recent_messages(course=course, session=session),
    }
    return render(request, "workspace/messages.html", context)


@workspace_view
@require_http_methods(["GET", "POST"])
def course_messages(request: HttpRequest, scope: Scope, course_id: int) -> HttpResponse:
    course = scope.managed_courses().filter(pk=course_id).first()
    if course is None:
        raise Http404
    return _page(request, scope, course, None)


@workspace_view
@require_http_methods(["GET", "POST"])
def session_messages(request: HttpRequest, scope: Scope, session_id: int) -> HttpResponse:
    session = (
        Session.objects.filter(pk=session_id, course__in=scope.managed_courses())
        .select_related("course__centre", "course__venue", "venue")
        .first()
    )
    if session is None:
        raise Http404
    return _page(request, scope, session.course, session)
