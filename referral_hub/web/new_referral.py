"""A new referral, in one flow: the pupil, the consent, the service, the summary, send.

The flow's state (the pupil chosen, the consent recorded, a consent being printed) is
kept in the server-side session, never in a URL: subject ids and consent details stay
out of addresses, logs and browser history. Every step runs named documents through
the API's entry point like every other page (referral_hub/web/operations.py); the API
validates and decides, and its errors are shown beside the fields they name.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from referral_hub.consent.legal_basis import JUSTIFICATION_MAX
from referral_hub.consent.policy import guardian_speaks_for
from referral_hub.web import consent_text, labels, operations
from referral_hub.web.operations import FieldError
from referral_hub.web.views import refused, uuid_or_none

# The session key. Page flows' keys start with "flow:" so that choosing another
# organisation to act for drops them all (referral_hub/accounts/views.py).
FLOW = "flow:new_referral"
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024  # a scanned A4 page or two (the body as a whole is
# bounded before it is read: referral_hub/web/security.py, UPLOAD_PATHS)
SUBJECT_FIELDS = ("name", "nameKana", "contact", "guardianName", "notes")


def _flow(request: HttpRequest) -> dict[str, Any]:
    return dict(request.session.get(FLOW) or {})


def _save(request: HttpRequest, **changes: Any) -> None:
    request.session[FLOW] = {**_flow(request), **changes}


def _begin(request: HttpRequest, subject_id: str | None) -> None:
    """A new pupil starts a new flow: nothing of the previous pupil's (a draft consent, a
    scan's fingerprint, needs, categories) may carry over to this one."""
    request.session[FLOW] = {"subject_id": subject_id}


def _integer(value: str, field: str, errors: list[FieldError]) -> int | None:
    """A whole number of at most four digits (a year); the API checks its own range."""
    text = value.strip()
    if not (text.isdigit() and len(text) <= 4):
        errors.append(FieldError(field, "INVALID", _("Enter a year, such as 2012.")))
        return None
    return int(text)


def _start(request: HttpRequest) -> dict[str, Any] | HttpResponse:
    me = operations.run(request, "Me")
    if me.refused is not None:
        return refused(request, me.refused)
    organisation_id = me.data["me"].get("organisationId") or ""
    answer = operations.run(request, "NewReferralStart", {"organisationId": organisation_id})
    if answer.refused is not None:
        return refused(request, answer.refused)
    return {"me": answer.data["me"], "organisation": answer.data.get("organisation") or {}}


# --- step 1: the pupil -------------------------------------------------------------------


@login_required
def pupil(request: HttpRequest) -> HttpResponse:
    """Find one of the organisation's own pupils, or register a new one."""
    context = _start(request)
    if isinstance(context, HttpResponse):
        return context
    context.update(nav="new", step=1, matches=None, find_errors={}, register_errors={})
    status = 200
    if request.method == "POST" and request.POST.get("intent") == "find":
        errors: list[FieldError] = []
        year = _integer(request.POST.get("birthYear", ""), "birthYear", errors)
        if not errors:
            answer = operations.run(
                request,
                "FindSubjects",
                {
                    "name": request.POST.get("name", ""),
                    "birthYear": year,
                    "areaCode": request.POST.get("areaCode", ""),
                },
            )
            if answer.refused is not None:
                errors.append(answer.refused)
            else:
                context["matches"] = answer.data["findSubjects"]
        context["find_errors"] = operations.errors_by_field(errors)
        status = 422 if errors else 200
    elif request.method == "POST" and request.POST.get("intent") == "register":
        return _register(request, context)
    elif request.method == "POST" and request.POST.get("intent") == "choose":
        _begin(request, uuid_or_none(request.POST.get("subjectId", "")))
        return redirect("web:new-consent")
    context["posted"] = request.POST
    return render(request, "web/new_pupil.html", context, status=status)


def _register(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    form = request.POST
    errors: list[FieldError] = []
    data: dict[str, Any] = {"areaCode": form.get("areaCode", "")}
    data["birthYear"] = _integer(form.get("birthYear", ""), "birthYear", errors)
    for name in SUBJECT_FIELDS:
        if form.get(name, "").strip():
            data[name] = form[name]
    if not errors:
        answer = operations.run(request, "RegisterSubject", {"input": data})
        if answer.refused is not None:
            errors.append(answer.refused)
        else:
            errors = answer.errors_of("registerSubject")
            if not errors:
                payload = answer.data["registerSubject"]
                _begin(request, payload["subject"]["id"])
                if payload.get("possibleDuplicates"):
                    messages.warning(
                        request,
                        _(
                            "A pupil with the same name, birth year and area was registered "
                            "before. Check with your colleagues that this is not the same child."
                        ),
                    )
                messages.success(request, _("The pupil is registered."))
                return redirect("web:new-consent")
    context.update(register_errors=operations.errors_by_field(errors), posted=form)
    return render(request, "web/new_pupil.html", context, status=422)


@login_required
@require_POST
def statutory(request: HttpRequest) -> HttpResponse:
    """From a support meeting's decision: a referral of that subject on the statute
    (社会福祉法 第106条の6) citing the meeting, so the consent step is not asked. The ids
    come in the body, never the address; whether the meeting may be cited, and the
    subject referred by this organisation, the API decides when the referral is sent."""
    meeting = uuid_or_none(request.POST.get("meetingId", ""))
    subject = uuid_or_none(request.POST.get("subjectId", ""))
    if meeting is None or subject is None:
        return refused(
            request,
            FieldError("meetingId", "NOT_FOUND", _("There is no such meeting decision for you.")),
        )
    _begin(request, subject)
    _save(request, meeting_id=meeting)
    return redirect("web:new-service")


def pupil_or_refusal(request: HttpRequest) -> dict[str, Any] | HttpResponse:
    subject_id = _flow(request).get("subject_id")
    if not subject_id:
        messages.info(request, _("Choose the pupil first."))
        return redirect("web:new-pupil")
    answer = operations.run(request, "PupilSummary", {"id": subject_id})
    if answer.refused is not None:
        return refused(request, answer.refused)
    subject = answer.data.get("subject")
    if subject is None:  # not one of this organisation's pupils (or erased meanwhile)
        _begin(request, None)
        return refused(
            request, FieldError("subjectId", "NOT_FOUND", _("There is no such pupil for you."))
        )
    return {"me": answer.data["me"], "subject": subject}


# --- step 2: the consent -----------------------------------------------------------------


def _consent_input(request: HttpRequest, errors: list[FieldError]) -> dict[str, Any]:
    form = request.POST
    data: dict[str, Any] = {
        "givenBy": form.get("givenBy", ""),
        "purposes": form.getlist("purposes"),
        "categories": form.getlist("categories"),
        "organisationKinds": form.getlist("organisationKinds"),
        "validUntil": form.get("validUntil", ""),
        "method": form.get("method", ""),
    }
    if form.get("areaCode", "").strip():
        data["areaCode"] = form["areaCode"].strip()
    if form.get("guardianRelationship", "").strip():
        data["guardianRelationship"] = form["guardianRelationship"]
    if form.get("guardianshipType", "").strip():
        data["guardianshipType"] = form["guardianshipType"].strip()
    if form.get("validFrom", "").strip():
        data["validFrom"] = form["validFrom"]
    upload = request.FILES.get("evidence")
    if upload is not None:
        assert upload.size is not None  # Django's upload handlers always set it
        if upload.size > EVIDENCE_MAX_BYTES:
            errors.append(FieldError("evidence", "TOO_LONG", _("The scan may be at most 20 MB.")))
        else:
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            data["evidenceSha256"] = digest.hexdigest()
    elif _flow(request).get("evidence_sha256") and form.get("keepEvidence"):
        data["evidenceSha256"] = _flow(request)["evidence_sha256"]
    return data


# What the form starts with for an adult (issue 20): the person consents, and the elderly
# pathway's kinds are offered; a minor's form starts with a parent and the school's kinds.
_ADULT_DEFAULTS = {
    "givenBy": "SUBJECT",
    "categories": ["CONTACT", "FAMILY"],
    "organisationKinds": ["COMPREHENSIVE_SUPPORT_CENTRE", "SOCIAL_WELFARE_COUNCIL", "PLACE"],
}


def _defaults(organisation: dict[str, Any], subject: dict[str, Any]) -> dict[str, Any]:
    today = date.today()
    birth_year = subject.get("birthYear")
    adult = isinstance(birth_year, int) and not guardian_speaks_for(birth_year, today)
    return {
        "givenBy": "GUARDIAN",
        "purposes": ["REFERRAL"],
        "categories": ["CONTACT", "SCHOOL_ATTENDANCE"],
        "organisationKinds": ["WELFARE_OFFICE", "PLACE", "NPO"],
        "areaCode": organisation.get("areaCode") or "",
        "validFrom": today.isoformat(),
        "validUntil": (today + timedelta(days=365)).isoformat(),
        "method": "WRITTEN",
        **(_ADULT_DEFAULTS if adult else {}),
    }


def _area_name(request: HttpRequest, code: str | None) -> str | None:
    """The area's name in the reader's language; the code itself if it is not an area."""
    if not code:
        return None
    answer = operations.run(request, "AreaName", {"code": code})
    area = answer.data.get("area") if answer.refused is None else None
    if not area:
        return code
    return (area.get("nameEn") if get_language() == "en" else None) or area["name"]


def _sentence(request: HttpRequest, values: dict[str, Any], organisation: dict[str, Any]) -> str:
    return consent_text.sentence(
        values,
        organisation=organisation.get("name", ""),
        area_name=_area_name(request, values.get("areaCode")),
    )


def _pupil_and_organisation(request: HttpRequest) -> dict[str, Any] | HttpResponse:
    """The chosen pupil and the organisation acted for (the consent's two parties)."""
    context = pupil_or_refusal(request)
    if isinstance(context, HttpResponse):
        return context
    start = _start(request)
    if isinstance(start, HttpResponse):
        return start
    return {**context, "organisation": start["organisation"]}


def _consent_context(
    request: HttpRequest, values: dict[str, Any], errors: dict[str, FieldError]
) -> dict[str, Any] | HttpResponse:
    context = _pupil_and_organisation(request)
    if isinstance(context, HttpResponse):
        return context
    organisation = context["organisation"]
    context.update(
        nav="new",
        step=2,
        values=values or _defaults(organisation, context["subject"]),
        errors=errors,
        given_by=labels.GIVEN_BY,
        guardianship_types=labels.GUARDIANSHIP_TYPES,
        purposes=labels.PURPOSES,
        categories=labels.CATEGORIES,
        kinds=labels.ORGANISATION_KINDS,
        methods=labels.CONSENT_METHODS,
        evidence=_flow(request).get("evidence_sha256"),
    )
    context["sentence"] = _sentence(request, context["values"], organisation)
    return context


@login_required
def consent(request: HttpRequest) -> HttpResponse:
    """Record the consent; or save it to print the form the guardian signs."""
    if request.method != "POST":
        context = _consent_context(request, _flow(request).get("consent_draft") or {}, {})
        if isinstance(context, HttpResponse):
            return context
        return render(request, "web/new_consent.html", context)
    errors: list[FieldError] = []
    data = _consent_input(request, errors)
    intent = request.POST.get("intent")
    if data.get("evidenceSha256"):
        _save(request, evidence_sha256=data["evidenceSha256"])
    if intent == "print" and not errors:
        _save(request, consent_draft=data)
        return redirect("web:new-consent-print")
    subject = _flow(request).get("subject_id") or ""
    if not errors:
        answer = operations.run(request, "RecordConsent", {"input": {**data, "subjectId": subject}})
        if answer.refused is not None:
            errors.append(answer.refused)
        else:
            errors = answer.errors_of("recordConsent")
            if not errors:
                recorded = answer.data["recordConsent"]["consent"]
                _save(
                    request,
                    consent_id=recorded["id"],
                    consent_categories=recorded["categories"],
                    consent_draft=None,
                    evidence_sha256=None,
                )
                messages.success(request, _("The consent is recorded."))
                return redirect("web:new-service")
    by_field = operations.errors_by_field(errors)
    if "evidenceSha256" in by_field:  # the API's field is the hash; the page's, the upload
        by_field.setdefault("evidence", by_field.pop("evidenceSha256"))
    context = _consent_context(request, data, by_field)
    if isinstance(context, HttpResponse):
        return context
    return render(request, "web/new_consent.html", context, status=422)


@login_required
@require_POST
def consent_preview(request: HttpRequest) -> HttpResponse:
    """The plain-language sentence for the form as it stands (htmx, on every change)."""
    start = _start(request)
    if isinstance(start, HttpResponse):
        return start
    data = _consent_input(request, [])
    text = _sentence(request, data, start["organisation"])
    return render(request, "web/consent_sentence.html", {"sentence": text})


@login_required
@require_GET
def consent_print(request: HttpRequest) -> HttpResponse:
    """The consent form to print (A4), with exactly what will be recorded."""
    draft = _flow(request).get("consent_draft")
    if not draft:
        return redirect("web:new-consent")
    context = _pupil_and_organisation(request)
    if isinstance(context, HttpResponse):
        return context
    organisation = context["organisation"]
    context.update(
        values=draft,
        sentence=_sentence(request, draft, organisation),
        today=date.today(),
        language=get_language(),
    )
    return render(request, "web/consent_form.html", context)


# --- step 3: the service, the summary, send ----------------------------------------------


@login_required
def service(request: HttpRequest) -> HttpResponse:
    """Needs and area are posted and kept in the session (never in the address: a need
    such as bullying is itself sensitive); the page then shows what `recommend` found."""
    context = pupil_or_refusal(request)
    if isinstance(context, HttpResponse):
        return context
    if request.method == "POST" and request.POST.get("intent") == "recommend":
        area = request.POST.get("area", "").strip() or context["subject"]["areaCode"]
        _save(request, needs=request.POST.getlist("needs"), area=area)
        return redirect("web:new-service")
    tags = operations.run(request, "NeedTags")
    if tags.refused is not None:
        return refused(request, tags.refused)
    flow = _flow(request)
    needs = flow.get("needs") or []
    context.update(
        nav="new",
        step=3,
        tags=tags.data["tags"],
        needs=needs,
        area=flow.get("area") or context["subject"]["areaCode"],
        english=get_language() == "en",
        recommendations=None,
        errors={},
        urgencies=labels.URGENCIES,
        categories=labels.CATEGORIES,
        chosen_categories=flow.get("consent_categories") or ["CONTACT"],
        score_parts=labels.SCORE_PARTS,
        statutory_meeting=flow.get("meeting_id"),
        justification_max=JUSTIFICATION_MAX,
    )
    if needs:
        answer = operations.run(
            request,
            "Recommend",
            {
                "from": context["me"].get("organisationId"),
                "needs": needs,
                "area": context["area"],
                "subject": context["subject"]["id"],
            },
        )
        if answer.refused is not None:
            context["errors"] = {_field_of(answer.refused): answer.refused}
        else:
            context["recommendations"] = answer.data["recommend"]
    if request.method == "POST":
        return _send(request, context)
    return render(
        request, "web/new_service.html", context, status=422 if context["errors"] else 200
    )


def _field_of(error: FieldError) -> str:
    # recommend names its arguments; on the page they are the needs and the area fields.
    return {"needTags": "needs", "area": "area"}.get(error.field or "", error.field or "needs")


def _send(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    form = request.POST
    data: dict[str, Any] = {
        "subjectId": context["subject"]["id"],
        "serviceId": form.get("serviceId", ""),
        "needTags": _flow(request).get("needs") or [],
        "urgency": form.get("urgency", "ROUTINE"),
        "categories": form.getlist("categories"),
        "send": form.get("intent") != "draft",
        "acceptWaitlist": form.get("acceptWaitlist") == "1",
    }
    if form.get("summary", "").strip():
        data["summary"] = form["summary"]
    if context["statutory_meeting"]:
        data.update(
            legalBasis="STATUTORY_SWA_106_6",
            meetingId=context["statutory_meeting"],
            justification=form.get("justification", ""),
        )
    answer = operations.run(request, "CreateReferral", {"input": data})
    errors = [answer.refused] if answer.refused is not None else answer.errors_of("createReferral")
    if not errors:
        created = answer.data["createReferral"]["referral"]
        request.session.pop(FLOW, None)
        if created["state"] == "DRAFT":
            messages.success(request, _("The referral is saved as a draft."))
        else:
            messages.success(request, _("The referral is sent."))
        return redirect("web:referral", referral_id=created["id"])
    context.update(errors=operations.errors_by_field(errors), posted=form)
    return render(request, "web/new_service.html", context, status=422)
