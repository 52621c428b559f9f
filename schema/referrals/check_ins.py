"""Check-ins after a connection (issue 20): the CheckIn type (Referral.checkIns), the
receiving organisation's due list (checkIns) and recordCheckIn."""

from __future__ import annotations

from typing import Any

import graphene

from referral_hub.core.validation import enum_value
from referral_hub.referrals import check_in_services
from schema.core.pagination import connection_from, page_request
from schema.core.permissions import require_actor
from schema.referrals.check_in_types import CheckInAnswerEnum
from schema.referrals.mutations.base import ReferralMutation


class CheckInReferral(graphene.ObjectType):
    """The referral a check-in follows up (no subject data: open it to see the person)."""

    id = graphene.ID(required=True, description="The referral's UUID (see referral).")
    state = graphene.String(required=True, description="COMPLETED.")
    outcome = graphene.String(description="CONNECTED or TOOK_UP.")
    closed_at = graphene.DateTime(description="When it was completed.")


class CheckInParty(graphene.ObjectType):
    """A service or an organisation, by id and name."""

    id = graphene.ID(required=True, description="Its UUID.")
    name = graphene.String(required=True, description="Its name.")


class CheckInListItem(graphene.ObjectType):
    """A due check-in of a referral your organisation received."""

    id = graphene.ID(required=True, description="The check-in's UUID.")
    index = graphene.Int(required=True, description="Its place among the referral's, from 0.")
    days = graphene.Int(required=True, description="Days after completion it is for.")
    due_at = graphene.DateTime(required=True, description="Its due working day, 9:00.")
    escalate_at = graphene.DateTime(required=True, description="When it escalates.")
    overdue = graphene.Boolean(required=True, description="Past its escalation.")
    reminded_at = graphene.DateTime(description="When its reminder went out.")
    escalated_at = graphene.DateTime(description="When its escalation went out.")
    referral = graphene.Field(CheckInReferral, required=True, description="Its referral.")
    service = graphene.Field(CheckInParty, required=True, description="Your service.")
    sender = graphene.Field(CheckInParty, required=True, description="Who referred.")


class CheckInConnection(graphene.relay.Connection):
    """A page of due check-ins."""

    class Meta:
        node = CheckInListItem


class CheckInQueries(graphene.ObjectType):
    check_ins = graphene.Field(
        graphene.NonNull(CheckInConnection),
        overdue=graphene.Boolean(
            description="Only those past (true) or before (false) escalation."
        ),
        first=graphene.Int(description="Page size, 1 to 100 (default 20)."),
        after=graphene.String(description="endCursor of the previous page."),
        description="Your organisation's unanswered check-ins whose day has come, oldest "
        "first. No subject data; one round trip per page.",
    )

    @staticmethod
    def resolve_check_ins(root: Any, info: graphene.ResolveInfo, **arguments: Any) -> Any:
        request = page_request(arguments.get("first"), arguments.get("after"), sort="DUE")
        page = check_in_services.check_in_list(
            actor=require_actor(info), page=request, overdue=arguments.get("overdue")
        )
        return connection_from(CheckInConnection, page, request=request, sort="DUE")


class RecordCheckInInput(graphene.InputObjectType):
    """One check-in's answer: the check-in named by its id or by its index."""

    referral_id = graphene.ID(required=True, description="The referral's UUID.")
    check_in_id = graphene.ID(description="The check-in's UUID (or give index).")
    index = graphene.Int(description="The check-in's index, from 0 (or give checkInId).")
    answer = CheckInAnswerEnum(required=True, description="What the check-in found.")
    note = graphene.String(description="Up to 2000 characters, sealed with the subject's key.")


class RecordCheckIn(ReferralMutation):
    """The receiving organisation answers a check-in: by its id or its index. STOPPED
    tells the sender, who is offered the next best place (Referral.nextBest)."""

    class Arguments:
        input = RecordCheckInInput(required=True, description="The check-in and its answer.")

    @classmethod
    def perform(cls, info: graphene.ResolveInfo, input: dict) -> dict[str, Any]:
        row = check_in_services.check_in_record(
            actor=require_actor(info),
            referral_id=input["referral_id"],
            check_in_id=input.get("check_in_id"),
            index=input.get("index"),
            answer=enum_value(input["answer"]),
            note=input.get("note"),
        )
        return {"referral": row}


class CheckInMutations(graphene.ObjectType):
    record_check_in = RecordCheckIn.Field()
