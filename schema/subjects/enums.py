"""The consent policy's enums, as the API names them; every value described."""

from referral_hub.consent.policy import DataCategory, GivenBy, GuardianshipType, Method, Purpose
from referral_hub.subjects.preferences import ContactRoute, PreferenceGiver
from schema.core.described import described_enum

PurposeEnum = described_enum(
    Purpose,
    "Why personal data is used (利用目的).",
    {
        Purpose.REFERRAL: "To refer the person to a service (つなぎ).",
        Purpose.CASE_COORDINATION: "To coordinate support among organisations (支援調整).",
        Purpose.SERVICE_DELIVERY: "To deliver the service itself.",
        Purpose.STATISTICS: "For statistics, aggregated and perturbed.",
    },
)
DataCategoryEnum = described_enum(
    DataCategory,
    "Kinds of personal data.",
    {
        DataCategory.CONTACT: "Name, kana and how to reach the person.",
        DataCategory.SCHOOL_ATTENDANCE: "School attendance (不登校 and the like).",
        DataCategory.HEALTH: "Health (要配慮個人情報).",
        DataCategory.FAMILY: "Family and guardian.",
        DataCategory.FINANCIAL: "Money and benefits.",
        DataCategory.NOTES: "The caseworker's free-text notes.",
    },
)
GivenByEnum = described_enum(
    GivenBy,
    "Who gave the consent.",
    {
        GivenBy.SUBJECT: "The person themself, from the year they turn 18.",
        GivenBy.GUARDIAN: "A parent or other guardian (親権者・未成年後見人), for a minor: "
        "until the year the subject turns 18.",
        GivenBy.LEGAL_GUARDIAN: "A legally appointed guardian of an adult (成年後見人・保佐人・"
        "補助人), with guardianshipType: from the year the subject turns 18.",
    },
)
GuardianshipTypeEnum = described_enum(
    GuardianshipType,
    "The family court's appointment a LEGAL_GUARDIAN acts under.",
    {
        GuardianshipType.GUARDIANSHIP: "後見: a guardian of an adult (成年後見人).",
        GuardianshipType.CURATORSHIP: "保佐: a curator (保佐人).",
        GuardianshipType.ASSISTANCE: "補助: an assistant (補助人).",
    },
)
ConsentMethodEnum = described_enum(
    Method,
    "How the consent was given.",
    {
        Method.WRITTEN: "On paper, signed (evidenceSha256: the scanned document).",
        Method.VERBAL: "Spoken, recorded by the counsellor.",
        Method.DIGITAL: "Signed electronically.",
    },
    name="ConsentMethod",
)
ContactRouteEnum = described_enum(
    ContactRoute,
    "How the subject would rather be reached.",
    {
        ContactRoute.VIA_SCHOOL: "Through the school.",
        ContactRoute.VIA_GUARDIAN: "Through the guardian (保護者).",
        ContactRoute.SUBJECT_DIRECTLY: "The person themself, directly.",
        ContactRoute.PHONE: "By telephone.",
        ContactRoute.LETTER: "By letter.",
        ContactRoute.AT_A_PLACE: "In person at a place they already go to.",
    },
)
PreferenceGiverEnum = described_enum(
    PreferenceGiver,
    "Who stated a subject's preference.",
    {
        PreferenceGiver.SUBJECT: "The person themself (at any age: a wish not to be "
        "connected only ever narrows what the hub does).",
        PreferenceGiver.GUARDIAN: "A guardian, until the year the subject turns 18.",
    },
)
