"""Words for the API's codes on the pages, in the reader's language (ja by default).

Codes stay codes everywhere else (the API, the audit log); only the pages translate them.
A code with no entry is shown as itself, so a new code is visible before it is worded.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from referral_hub.referrals.handoff import OUTCOMES as _OUTCOME_TABLE

OUTCOMES_BY_PURPOSE = {
    purpose.value: frozenset(o.value for o in allowed)
    for purpose, allowed in _OUTCOME_TABLE.items()
}

STATES = {
    "DRAFT": _("Draft"),
    "SENT": _("Sent"),
    "RECEIVED": _("Received"),
    "ACCEPTED": _("Accepted"),
    "IN_PROGRESS": _("In progress"),
    "COMPLETED": _("Completed"),
    "DECLINED": _("Declined"),
    "CANCELLED": _("Cancelled"),
    "WITHDRAWN": _("Withdrawn"),
}

ACTIONS = {
    "SEND": _("Send"),
    "ACKNOWLEDGE": _("Acknowledge"),
    "ACCEPT": _("Accept"),
    "START": _("Start support"),
    "COMPLETE": _("Complete"),
    "DECLINE": _("Decline"),
    "CANCEL": _("Cancel referral"),
    "WITHDRAW": _("Withdraw"),
}

# What happened, for timelines (ACTIONS name the buttons that make it happen).
EVENTS = {
    "SEND": _("Sent"),
    "ACKNOWLEDGE": _("Acknowledged"),
    "ACCEPT": _("Accepted"),
    "START": _("Support started"),
    "COMPLETE": _("Completed"),
    "DECLINE": _("Declined"),
    "CANCEL": _("Cancelled"),
    "WITHDRAW": _("Closed: consent withdrawn"),
    "CREATE": _("Created"),
    "REMIND": _("Reminder sent"),
    "ESCALATE": _("Escalated"),
}

URGENCIES = {
    "ROUTINE": _("Routine"),
    "PRIORITY": _("Priority"),
    "URGENT": _("Urgent"),
}

DECLINE_REASONS = {
    "NOT_ELIGIBLE": _("Not eligible"),
    "NO_CAPACITY": _("No capacity"),
    "SERVICE_NOT_PROVIDED": _("Service not provided"),
    "ALREADY_ENROLLED": _("Already enrolled"),
    "COULD_NOT_CONTACT": _("Could not contact"),
    "OTHER": _("Other"),
}

OUTCOMES = {
    "CONNECTED": _("Connected"),
    "CLIENT_DECLINED": _("The person declined"),
    "COULD_NOT_CONTACT": _("Could not contact"),
    "OTHER": _("Other"),
    "TOOK_UP": _("Took the role up"),
    "TRIED_AND_STOPPED": _("Tried the role and stopped"),
    "DECLINED_ROLE": _("Did not want the role"),
}

# What a referral is for (issue 19); consent purposes are PURPOSES below.
REFERRAL_PURPOSES = {
    "SUPPORT": _("Support for a need"),
    "OFFER_ROLE": _("A role offered"),
}


def outcomes_for(purpose: str | None) -> dict[str, object]:
    """The outcomes a completion of a referral with this purpose may give, worded, in the
    table's order (referral_hub/referrals/handoff.py decides which)."""
    allowed = OUTCOMES_BY_PURPOSE.get(purpose or "SUPPORT", OUTCOMES_BY_PURPOSE["SUPPORT"])
    return {code: text for code, text in OUTCOMES.items() if code in allowed}


CATEGORIES = {
    "CONTACT": _("Contact details"),
    "SCHOOL_ATTENDANCE": _("School attendance"),
    "HEALTH": _("Health"),
    "FAMILY": _("Family"),
    "FINANCIAL": _("Finances"),
    "NOTES": _("Notes"),
}

PURPOSES = {
    "REFERRAL": _("Referral"),
    "CASE_COORDINATION": _("Case coordination"),
    "SERVICE_DELIVERY": _("Service delivery"),
    "STATISTICS": _("Statistics"),
}

CAPACITY = {
    "AVAILABLE": _("Available"),
    "WAITLIST": _("Waitlist"),
    "FULL": _("Full"),
}

FIELDS = {
    "name": _("Name"),
    "nameKana": _("Name (kana)"),
    "contact": _("Contact"),
    "guardianName": _("Guardian"),
    "notes": _("Notes"),
    "birthYear": _("Birth year"),
    "areaCode": _("Area"),
    # what referral reads return (docs/identity-and-audit.md: what an audit event says)
    "needTags": _("Needs"),
    "summary": _("Summary"),
    "justification": _("Statutory justification"),
    "initials": _("Initials"),
    "lastEventNote": _("Latest handoff note"),
}

ORGANISATION_KINDS = {
    "SCHOOL": _("Schools"),
    "WELFARE_OFFICE": _("Welfare offices"),
    "PLACE": _("Community places"),
    "NPO": _("NPOs"),
    "MUNICIPALITY": _("Municipal offices"),
    "SOCIAL_WELFARE_COUNCIL": _("Social welfare councils"),
    "HEALTH": _("Health services"),
    "COMPREHENSIVE_SUPPORT_CENTRE": _("Regional comprehensive support centres"),
    "CARE_MANAGEMENT_OFFICE": _("Care management offices"),
}

CONSENT_STATES = {
    "ACTIVE": _("Active"),
    "SUPERSEDED": _("Superseded by a new version"),
    "WITHDRAWN": _("Withdrawn"),
    "EXPIRED": _("Expired"),
}

GIVEN_BY = {
    "SUBJECT": _("The person themself"),
    "GUARDIAN": _("A parent or guardian (for a minor)"),
    "LEGAL_GUARDIAN": _("A legally appointed guardian (of an adult)"),
}

# The family court's appointment a legally appointed guardian acts under (issue 20).
GUARDIANSHIP_TYPES = {
    "GUARDIANSHIP": _("Guardianship (後見)"),
    "CURATORSHIP": _("Curatorship (保佐)"),
    "ASSISTANCE": _("Assistance (補助)"),
}
# How the pupil would rather be reached (the API's ContactRoute).
CONTACT_ROUTES = {
    "VIA_SCHOOL": _("Through the school"),
    "VIA_GUARDIAN": _("Through the guardian"),
    "SUBJECT_DIRECTLY": _("The pupil directly"),
    "PHONE": _("By telephone"),
    "LETTER": _("By letter"),
    "AT_A_PLACE": _("In person at a place they already go to"),
}

CONSENT_METHODS = {
    "WRITTEN": _("Written (signed form)"),
    "VERBAL": _("Verbal"),
    "DIGITAL": _("Digital"),
}

# Murmurs (issue 19): the age band of the person a concern was heard about.
AGE_BANDS = {
    "UNKNOWN": _("Not known"),
    "UNDER_6": _("Under 6"),
    "AGE_6_12": _("6 to 12"),
    "AGE_13_15": _("13 to 15"),
    "AGE_16_18": _("16 to 18"),
    "AGE_19_39": _("19 to 39"),
    "AGE_40_64": _("40 to 64"),
    "AGE_65_PLUS": _("65 and over"),
}

MODES = {"EXCHANGE": _("Open place (exchange type)"), "SUPPORT": _("Support service")}

# What each part of a recommendation's score measures (schema: ScorePoints).
SCORE_PARTS = {
    "tagMatch": _("Needs it takes"),
    "distance": _("Distance"),
    "capacity": _("Room now"),
    "partnership": _("Partnership with your organisation"),
    "acceptance": _("Accepts referrals"),
    "completion": _("Referrals completed"),
    "response": _("Replies quickly"),
}

SHARE_BANDS = {
    "MOST": _("most"),
    "MORE_THAN_HALF": _("more than half"),
    "SOME": _("some"),
    "FEW": _("few"),
}

REPLY_BANDS = {
    "WITHIN_A_DAY": _("within a day"),
    "WITHIN_3_DAYS": _("within 3 days"),
    "WITHIN_A_WEEK": _("within a week"),
    "SLOWER": _("slower than a week"),
}

SIDES = {"SENDER": _("Sender"), "RECEIVER": _("Receiver"), "SYSTEM": _("System")}

LEGAL_BASES = {
    "OWN_RECORD": _("Own registration"),
    "CONSENT": _("Consent"),
    "STATUTORY_SWA_106_6": _("Social Welfare Act art. 106-6 (support meeting)"),
    "STATUTORY_APPI_27_1_III": _("APPI art. 27(1)(iii) (a child's sound upbringing)"),
    "STATUTORY_CHILD_ABUSE_PREVENTION": _("Child Abuse Prevention Act"),
}

# Why a chain fails verification (graph/audit_log.py BrokenLink.code).
BROKEN_LINKS = {
    "MISSING": _("An event is missing here (the sequence jumps)."),
    "RELINKED": _("This event does not follow the one before it (its link was changed)."),
    "FIELDS_ADDED": _("Fields were added to this event after it was written."),
    "EDITED": _("This event was edited after it was written."),
    "HEAD": _("Events were deleted from the end of the chain, or its head was altered."),
}

ROLES = {
    "COUNSELLOR": _("Counsellor (refers)"),
    "CASEWORKER": _("Caseworker (receives)"),
    "COORDINATOR": _("Coordinator (the network, in aggregate)"),
    "AUDITOR": _("Auditor"),
    "ORG_ADMIN": _("Organisation admin"),
    "SYSTEM_ADMIN": _("System administrator"),
    "WELFARE_VOLUNTEER": _("Welfare volunteer (reports concerns in the district)"),
}

IMPORT_STATES = {
    "QUEUED": _("Waiting for a worker"),
    "RUNNING": _("Importing"),
    "VALIDATED": _("Checked"),
    "REFUSED": _("Refused"),
    "DONE": _("Imported"),
    "FAILED": _("Failed"),
}

ALL = {
    "state": STATES,
    "action": ACTIONS,
    "event": EVENTS,
    "urgency": URGENCIES,
    "reason": DECLINE_REASONS,
    "outcome": OUTCOMES,
    "referral_purpose": REFERRAL_PURPOSES,
    "category": CATEGORIES,
    "purpose": PURPOSES,
    "capacity": CAPACITY,
    "field": FIELDS,
    "side": SIDES,
    "kind": ORGANISATION_KINDS,
    "mode": MODES,
    "share": SHARE_BANDS,
    "reply": REPLY_BANDS,
    "method": CONSENT_METHODS,
    "given_by": GIVEN_BY,
    "guardianship_type": GUARDIANSHIP_TYPES,
    "basis": LEGAL_BASES,
    "role": ROLES,
    "import_state": IMPORT_STATES,
    "broken": BROKEN_LINKS,
    "consent_state": CONSENT_STATES,
}


def label(kind: str, code: object) -> str:
    if code is None:
        return ""
    return str(ALL[kind].get(str(code), code))
