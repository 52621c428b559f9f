"""createReferral, transitionReferral and referral(id)."""

from __future__ import annotations

from typing import Any

import graphene

from referral_hub.consent.legal_basis import LegalBasis
from referral_hub.core.errors import PublicError, ValidationFailed
from referral_hub.core.paging import Page
from referral_hub.core.validation import enum_value
from referral_hub.pathways import recommend as recommending
from referral_hub.pathways.scoring import RECOMMEND_TAGS_MAX
from referral_hub.referrals import handoff, lists, services
from referral_hub.referrals.rules import Urgency
from schema.core.errors import Error, ErrorCodeEnum
from schema.core.mutations import DomainMutation, camel_input
from schema.core.pagination import connection, page_request
from schema.core.permissions import require_actor
from schema.pathways.recommend import Recommendation, recommendations_from
from schema.subjects.schema import DataCategoryEnum

UrgencyEnum = graphene.Enum.from_enum(Urgency, description="How soon a reply is needed.")
StateEnum = graphene.Enum.from_enum(
    handoff.State, name="ReferralState", description="Where the handoff stands."
)
ActionEnum = graphene.Enum.from_enum(
    handoff.Action, name="HandoffAction", description="A step of the handoff."
)
DeclineReasonEnum = graphene.Enum.from_enum(handoff.DeclineReason)
OutcomeEnum = graphene.Enum.from_enum(handoff.Outcome, name="ReferralOutcome")
LegalBasisEnum = graphene.Enum.from_enum(
    LegalBasis,
    description="What sharing rests on: consent, or a statute cited with a written justification.",
)
ReviewFindingEnum = graphene.Enum.from_enum(lists.ReviewFinding)


class ReferralError(graphene.ObjectType):
    class Meta:
        interfaces = (Error,)

    code = graphene.Field(ErrorCodeEnum, required=True)


class Party(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    kind = graphene.String(required=True)
    area_code = graphene.String(description="On a single referral's page.")


class ServiceRef(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    mode = graphene.String(required=True)


TimelineActionEnum = graphene.Enum(
    "TimelineAction",
    [(action.value, action.value) for action in handoff.TIMELINE_ACTIONS],
    description="A step of the handoff (HandoffAction), or CREATE, REMIND or ESCALATE.",
)


class HandoffEvent(graphene.ObjectType):
    id = graphene.ID(required=True)
    at = graphene.DateTime(required=True)
    action = graphene.Field(TimelineActionEnum, required=True)
    side = graphene.String(required=True)
    from_state = graphene.String()
    to_state = graphene.String(required=True)
    version = graphene.Int(required=True)
    actor = graphene.String()
    organisation_id = graphene.ID()
    reason = graphene.String()
    outcome = graphene.String()
    note = graphene.String(
        description="Sealed with the subject's key: null where the reader has no basis now."
    )
    suggested_service_id = graphene.ID()


def _event(row: dict[str, Any]) -> HandoffEvent:
    return HandoffEvent(
        id=row["id"],
        at=row["at"],
        action=row["action"],
        side=row["side"],
        from_state=row.get("fromState"),
        to_state=row["toState"],
        version=row["version"],
        actor=row.get("actor"),
        organisation_id=row.get("organisationId"),
        reason=row.get("reason"),
        outcome=row.get("outcome"),
        note=row.get("note"),
        suggested_service_id=row.get("suggestedServiceId"),
    )


class Referral(graphene.ObjectType):
    id = graphene.ID(required=True)
    state = graphene.Field(StateEnum, required=True)
    version = graphene.Int(required=True, description="Name it when moving the referral.")
    urgency = graphene.Field(UrgencyEnum, required=True)
    categories = graphene.List(graphene.NonNull(graphene.String), required=True)
    need_tags = graphene.List(
        graphene.NonNull(graphene.String),
        description="The needs (要配慮個人情報): null where the reader has no basis now.",
    )
    consent_gap = graphene.List(
        graphene.NonNull(graphene.String),
        description="A DRAFT under consent that cannot be sent yet: RECEIVER (no consent "
        "covers the receiving organisation) or the categories none covers; null otherwise.",
    )
    summary = graphene.String(
        description="Decrypted for the sender, and for the receiver while the consent holds."
    )
    waitlisted = graphene.Boolean(required=True)
    reason = graphene.String()
    outcome = graphene.String()
    deadline = graphene.DateTime()
    subject_id = graphene.ID(required=True)
    subject_birth_year = graphene.Int(description="Null where the reader has no basis now.")
    legal_basis = graphene.Field(LegalBasisEnum, required=True)
    review_state = graphene.String(description="Statutory referrals: PENDING until reviewed.")
    consent_id = graphene.ID()
    consent_state = graphene.String()
    sender = graphene.Field(Party, required=True)
    receiver = graphene.Field(Party, required=True)
    service = graphene.Field(ServiceRef, required=True)
    follows = graphene.ID(description="The declined referral this one follows.")
    followed_by = graphene.ID(description="The follow-on draft after a decline.")
    timeline = graphene.List(graphene.NonNull(HandoffEvent), required=True)
    created_at = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    next_best = graphene.List(
        graphene.NonNull(Recommendation),
        required=True,
        limit=graphene.Int(default_value=3, description="1 to 50."),
        description="No wrong door: once DECLINED, the best services in the sender's area "
        "for the same needs that have not declined this subject (see `recommend`). Empty "
        "before a decline and for the receiver.",
    )

    @staticmethod
    def resolve_next_best(root: Referral, info: graphene.ResolveInfo, limit: int) -> list[Any]:
        actor = require_actor(info)
        sender = root.sender
        if root.state != handoff.State.DECLINED.value or not actor.acts_for(sender.id):
            return []
        if not root.need_tags or sender.area_code is None:
            return []
        try:
            found = recommending.recommend(
                actor=actor,
                from_organisation=sender.id,
                need_tags=root.need_tags[:RECOMMEND_TAGS_MAX],
                area=sender.area_code,
                for_subject=root.subject_id,
                limit=limit,
            )
        except PublicError:
            # A suggestion must not take the referral's page down with it (a bad `limit`,
            # an area since retired): the page shows the referral without one.
            return []
        return recommendations_from(found).items


def _referral(row: dict[str, Any]) -> Referral:
    return Referral(
        id=row["id"],
        state=row["state"],
        version=row["version"],
        urgency=row["urgency"],
        categories=row["categories"],
        need_tags=row["needTags"],
        consent_gap=row.get("consentGap"),
        summary=row["summary"],
        waitlisted=bool(row.get("waitlisted")),
        reason=row.get("reason"),
        outcome=row.get("outcome"),
        deadline=row.get("deadline"),
        subject_id=row["subjectId"],
        subject_birth_year=row.get("subjectBirthYear"),
        legal_basis=row.get("legalBasis") or "CONSENT",
        review_state=row.get("reviewState"),
        consent_id=row.get("consentId"),
        consent_state=row.get("consentState"),
        sender=Party(**row["from"]),
        receiver=Party(**row["to"]),
        service=ServiceRef(**row["service"]),
        follows=row.get("follows"),
        followed_by=row.get("followedBy"),
        timeline=[_event(e) for e in row["events"]],
        created_at=row["createdAt"],
        updated_at=row["updatedAt"],
    )


class ReferralInput(graphene.InputObjectType):
    subject_id = graphene.ID(required=True)
    service_id = graphene.ID(required=True)
    need_tags = graphene.List(graphene.NonNull(graphene.String))
    urgency = UrgencyEnum(default_value="ROUTINE")
    summary = graphene.String(description="Encrypted with the subject's key.")
    categories = graphene.List(
        graphene.NonNull(DataCategoryEnum),
        required=True,
        description="Data shared, named explicitly (at least one); the consent must cover each.",
    )
    accept_waitlist = graphene.Boolean(default_value=False)
    legal_basis = LegalBasisEnum(default_value="CONSENT")
    justification = graphene.String(
        description="With a statutory basis: why consent cannot be relied on and why the "
        "statute applies. Encrypted with the subject's key; read by auditors."
    )
    send = graphene.Boolean(default_value=True, description="false keeps it as a DRAFT.")


class ReferralMutation(DomainMutation):
    class Meta:
        abstract = True

    error_type = ReferralError
    errors = graphene.List(graphene.NonNull(ReferralError), required=True)
    referral = graphene.Field(Referral)


class ReferralCreate(ReferralMutation):
    class Arguments:
        input = ReferralInput(required=True)

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, input: dict) -> dict[str, Any]:
        data = camel_input(input)
        data["categories"] = [enum_value(c) for c in data.get("categories") or []] or None
        return {
            "referral": _referral(services.referral_create(actor=require_actor(info), data=data))
        }


class ReferralTransition(ReferralMutation):
    """Move a referral one step (see the handoff table). `version` is the one you saw:
    if someone moved it since, the answer is CONFLICT and nothing changes."""

    class Arguments:
        id = graphene.ID(required=True)
        action = ActionEnum(required=True)
        version = graphene.Int(required=True)
        reason = DeclineReasonEnum()
        outcome = OutcomeEnum()
        note = graphene.String()
        suggested_service_id = graphene.ID(description="With DECLINE: another service.")

    @classmethod
    def perform(
        cls, info: graphene.ResolveInfo, id: str, action: Any, version: int, **extra: Any
    ) -> dict[str, Any]:
        def member(enum: Any, value: Any) -> Any:
            return None if value is None else enum(enum_value(value))

        row = services.referral_transition(
            actor=require_actor(info),
            referral_id=id,
            action=handoff.Action(enum_value(action)),
            version_seen=version,
            reason=member(handoff.DeclineReason, extra.get("reason")),
            outcome=member(handoff.Outcome, extra.get("outcome")),
            note=extra.get("note"),
            suggested_service_id=extra.get("suggested_service_id"),
        )
        return {"referral": _referral(row)}


class ReferralListItem(graphene.ObjectType):
    """A row of an inbox or outbox: enough to triage without opening the referral."""

    id = graphene.ID(required=True)
    state = graphene.Field(StateEnum, required=True)
    version = graphene.Int(required=True)
    urgency = graphene.Field(UrgencyEnum, required=True)
    deadline = graphene.DateTime()
    overdue = graphene.Boolean(required=True, description="SENT or RECEIVED past its deadline.")
    waitlisted = graphene.Boolean(required=True)
    legal_basis = graphene.Field(LegalBasisEnum, required=True)
    subject_id = graphene.ID(required=True)
    subject_initials = graphene.String(
        description="Null where the reader has no basis to see the name now, or it is erased."
    )
    sender = graphene.Field(Party, required=True)
    receiver = graphene.Field(Party, required=True)
    service = graphene.Field(ServiceRef, required=True)
    last_event = graphene.Field(HandoffEvent)
    created_at = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)


def _list_item(row: dict[str, Any]) -> ReferralListItem:
    return ReferralListItem(
        id=row["id"],
        state=row["state"],
        version=row["version"],
        urgency=row["urgency"],
        deadline=row.get("deadline"),
        overdue=bool(row.get("overdue")),
        waitlisted=bool(row.get("waitlisted")),
        legal_basis=row.get("legalBasis") or "CONSENT",
        subject_id=row["subjectId"],
        subject_initials=row.get("subjectInitials"),
        sender=Party(**row["from"]),
        receiver=Party(**row["to"]),
        service=ServiceRef(**row["service"]),
        last_event=_event(row["lastEvent"]) if row.get("lastEvent") else None,
        created_at=row["createdAt"],
        updated_at=row["updatedAt"],
    )


class ReferralListItemConnection(graphene.relay.Connection):
    class Meta:
        node = ReferralListItem


class StatutoryReview(graphene.ObjectType):
    """A referral made on a statutory basis, for an auditor to review."""

    id = graphene.ID(required=True)
    state = graphene.Field(StateEnum, required=True)
    legal_basis = graphene.Field(LegalBasisEnum, required=True)
    justification = graphene.String(description="Null if the subject's key was erased.")
    subject_id = graphene.ID(required=True)
    sender = graphene.Field(Party, required=True)
    receiver = graphene.Field(Party, required=True)
    service = graphene.Field(ServiceRef, required=True)
    review_state = graphene.String(required=True)
    reviewed_at = graphene.DateTime()
    reviewed_by = graphene.String()
    review_note = graphene.String()
    created_at = graphene.DateTime(required=True)


def _review(row: dict[str, Any]) -> StatutoryReview:
    return StatutoryReview(
        id=row["id"],
        state=row["state"],
        legal_basis=row["legalBasis"],
        justification=row.get("justification"),
        subject_id=row["subjectId"],
        sender=Party(**row["from"]),
        receiver=Party(**row["to"]),
        service=ServiceRef(**row["service"]),
        review_state=row.get("reviewState") or "PENDING",
        reviewed_at=row.get("reviewedAt"),
        reviewed_by=row.get("reviewedBy"),
        review_note=row.get("reviewNote"),
        created_at=row["createdAt"],
    )


class StatutoryReviewConnection(graphene.relay.Connection):
    class Meta:
        node = StatutoryReview


class ReviewStatutoryReferral(DomainMutation):
    """An auditor's finding on a statutory referral; INAPPROPRIATE needs a note."""

    class Arguments:
        id = graphene.ID(required=True)
        finding = ReviewFindingEnum(required=True)
        note = graphene.String()

    error_type = ReferralError
    errors = graphene.List(graphene.NonNull(ReferralError), required=True)
    id = graphene.ID()
    review_state = graphene.String()

    @classmethod
    def perform(
        cls, info: graphene.ResolveInfo, id: str, finding: Any, note: str | None = None
    ) -> dict[str, Any]:
        return lists.review_record(
            actor=require_actor(info),
            referral_id=id,
            finding=lists.ReviewFinding(enum_value(finding)),
            note=note,
        )


def _box_field(description: str) -> graphene.Field:
    return graphene.Field(
        graphene.NonNull(ReferralListItemConnection),
        state=StateEnum(),
        urgency=UrgencyEnum(),
        overdue=graphene.Boolean(description="Only those past (true) or within (false) deadline."),
        first=graphene.Int(description="Page size, 1 to 100 (default 20)."),
        after=graphene.String(description="endCursor of the previous page."),
        description=description,
    )


def _box(info: graphene.ResolveInfo, box: lists.Box, **arguments: Any) -> Any:
    request = page_request(arguments.get("first"), arguments.get("after"), sort="CREATED")
    page = lists.referral_box(
        actor=require_actor(info),
        box=box,
        page=request,
        state=enum_value(arguments.get("state")),
        urgency=enum_value(arguments.get("urgency")),
        overdue=arguments.get("overdue"),
    )
    return _connection_of(ReferralListItemConnection, page, request, _list_item)


def _connection_of(
    connection_type: type[graphene.relay.Connection], page: Page, request: Any, make: Any
) -> graphene.relay.Connection:
    """A connection of `make(item)` nodes, with cursors from the items' sort keys."""
    nodes = [(make(item), ["CREATED", item["sort_key"], item["id"]]) for item in page.items]
    cursor_keys = {id(node): key for node, key in nodes}
    return connection(
        connection_type,
        [node for node, _ in nodes],
        has_next=page.has_next,
        had_cursor=request.after_id is not None,
        key=lambda node: cursor_keys[id(node)],
    )


class ReferralQueries(graphene.ObjectType):
    referral = graphene.Field(
        Referral,
        id=graphene.ID(required=True),
        description="For its sender and receiver; the read is audited.",
    )
    referral_as_fhir = graphene.JSONString(
        id=graphene.ID(required=True),
        description="The referral as an HL7 FHIR R4 Bundle (ServiceRequest, Task, Consent), "
        "validated before it is sent; null if there is no such referral for you. Audited.",
    )
    inbox = _box_field(
        "Referrals to your organisation's services, newest first; drafts are the sender's. "
        "One round trip per page, subject initials only where you may see them, audited."
    )
    outbox = _box_field("Referrals your organisation sent (and its drafts), newest first.")
    statutory_review_queue = graphene.Field(
        graphene.NonNull(StatutoryReviewConnection),
        reviewed=graphene.Boolean(description="false: still PENDING; true: reviewed."),
        first=graphene.Int(description="Page size, 1 to 100 (default 20)."),
        after=graphene.String(description="endCursor of the previous page."),
        description="Referrals made on a statutory basis in your areas, with justifications.",
    )

    @staticmethod
    def resolve_referral_as_fhir(root: Any, info: graphene.ResolveInfo, id: str) -> Any:
        try:
            return services.referral_as_fhir(actor=require_actor(info), referral_id=id)
        except ValidationFailed:
            return None

    @staticmethod
    def resolve_inbox(root: Any, info: graphene.ResolveInfo, **arguments: Any) -> Any:
        return _box(info, lists.Box.INBOX, **arguments)

    @staticmethod
    def resolve_outbox(root: Any, info: graphene.ResolveInfo, **arguments: Any) -> Any:
        return _box(info, lists.Box.OUTBOX, **arguments)

    @staticmethod
    def resolve_statutory_review_queue(
        root: Any, info: graphene.ResolveInfo, **arguments: Any
    ) -> Any:
        request = page_request(arguments.get("first"), arguments.get("after"), sort="CREATED")
        page = lists.review_queue(
            actor=require_actor(info), page=request, reviewed=arguments.get("reviewed")
        )
        return _connection_of(StatutoryReviewConnection, page, request, _review)

    @staticmethod
    def resolve_referral(root: Any, info: graphene.ResolveInfo, id: str) -> Referral | None:
        try:
            return _referral(services.referral_read(actor=require_actor(info), referral_id=id))
        except ValidationFailed:
            return None


class ReferralMutations(graphene.ObjectType):
    create_referral = ReferralCreate.Field()
    transition_referral = ReferralTransition.Field()
    review_statutory_referral = ReviewStatutoryReferral.Field()
