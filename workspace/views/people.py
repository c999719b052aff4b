"""People: find a person by name or phone; their page (details, places, attendance, SMS), the
opt-out switch, the data export and erasure. Staff of the person's centre only (404 to
anyone else, trainers included)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courses.errors import DomainError
from courses.exports import json_download
from courses.services import privacy
from courses.services.participants import ParticipantDetails, participant_update
from notifications.services.optout import phone_opt_in, phone_opt_out
from workspace.forms.people import PeopleSearch, PersonForm
from workspace.selectors.people import people_of, people_search, person_for, person_page
from workspace.selectors.scope import Scope
from workspace.views.base import add_errors, workspace_view

STAFF_OPT_OUT = "staff"  # the opt-out's detail: set on the person's page, not by an SMS


@workspace_view
@require_GET
def people(request: HttpRequest, scope: Scope) -> HttpResponse:
    people_of(scope)  # staff only
    form = PeopleSearch(request.GET or None)
    found = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            found = people_search(scope, form.cleaned_data["q"])
        else:
            status = 400
    return render(
        request,
        "workspace/people.html",
        {
            "scope": scope,
            "section": "people",
            "form": form,
            "found": found,
            "several": scope.superuser or len(scope.managed) > 1,
        },
        status=status,
    )


@workspace_view
@require_http_methods(["GET", "POST"])
def person(request: HttpRequest, scope: Scope, person_id: int) -> HttpResponse:
    participant = person_for(scope, person_id)
    form = PersonForm(request.POST or None, person=participant)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                changed = participant_update(
                    participant=participant,
                    details=ParticipantDetails(
                        name=data["name"],
                        phone=data["phone"],
                        language=data["language"],
                        email=data["email"],
                        country_of_origin=data["country_of_origin"],
                        birth_year=data["birth_year"],
                        sex=data["sex"],
                    ),
                    actor=request.user,
                )
            except DomainError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The details are saved.") if changed else _("Nothing was changed."),
                )
                return redirect("workspace:person", person_id=participant.pk)
        status = 400
    return render(
        request,
        "workspace/person.html",
        {"scope": scope, "section": "people", "form": form, "page": person_page(participant)},
        status=status,
    )


@workspace_view
@require_POST
def person_opt_out(request: HttpRequest, scope: Scope, person_id: int) -> HttpResponse:
    """SMS off (the number goes on the opt-out list, as a STOP would put it) or on again."""
    participant = person_for(scope, person_id)
    if not participant.phone:  # erased: no number left to switch
        return redirect("workspace:person", person_id=participant.pk)
    if request.POST.get("sms") == "off":
        phone_opt_out(phone=participant.phone, reason="stop", detail=STAFF_OPT_OUT)
        messages.success(request, _("This number gets no SMS from now on."))
    elif phone_opt_in(phone=participant.phone):
        messages.success(request, _("This number gets SMS again."))
    else:
        messages.error(
            request,
            _(
                "The SMS provider said this number cannot receive SMS: it stays on the "
                "opt-out list. Correct the number if it was mistyped."
            ),
        )
    return redirect("workspace:person", person_id=participant.pk)


@workspace_view
@require_POST
def person_export(request: HttpRequest, scope: Scope, person_id: int) -> HttpResponse:
    """Everything held about the person, as the file to hand over (in the audit log)."""
    participant = person_for(scope, person_id)
    data = privacy.participant_export(participant=participant, actor=request.user)
    return json_download(data, f"participant-{participant.pk}.json")


@workspace_view
@require_http_methods(["GET", "POST"])
def person_erase(request: HttpRequest, scope: Scope, person_id: int) -> HttpResponse:
    """First a page that says what erasure does and what stays; erased once confirmed."""
    participant = person_for(scope, person_id)
    if request.method == "POST" and participant.erased_at is None:
        privacy.participant_erase(participant=participant, actor=request.user)
        messages.success(request, _("The person's personal data is erased."))
        return redirect("workspace:person", person_id=participant.pk)
    if participant.erased_at is not None:
        return redirect("workspace:person", person_id=participant.pk)
    page = person_page(participant)
    return render(
        request,
        "workspace/person_erase.html",
        {"scope": scope, "section": "people", "page": page},
    )
