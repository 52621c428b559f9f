"""The root schema: each domain contributes its Query and Mutation classes."""

import graphene

from schema.accounts.schema import AccountMutations, AccountQueries, MemberMutations, MemberQueries
from schema.audit.schema import AuditQueries
from schema.core.node import NodeQueries
from schema.directory.queries import NODE_KINDS as DIRECTORY_NODES
from schema.directory.schema import (
    DirectoryImportQueries,
    DirectoryMutations,
    DirectoryQueries,
    PublicFinderQueries,
)
from schema.health.schema import HealthQueries
from schema.meetings.schema import MeetingMutations, MeetingQueries
from schema.notifications.schema import NotificationMutations, NotificationQueries
from schema.pathways.schema import PathwayMutations, PathwayQueries, RecommendQueries
from schema.permissions import DECLARED
from schema.referrals.check_ins import CheckInMutations, CheckInQueries
from schema.referrals.queries import NODE_KINDS as REFERRAL_NODES
from schema.referrals.schema import ReferralMutations, ReferralQueries
from schema.subjects.queries import NODE_KINDS as SUBJECT_NODES
from schema.subjects.schema import SubjectMutations, SubjectQueries


class RecordQueries(NodeQueries):
    """node(id) and nodes(ids) over every kind with a lookup of its own (schema/core/node.py)."""

    node_kinds = (*DIRECTORY_NODES, *REFERRAL_NODES, *SUBJECT_NODES)
    node_permissions = DECLARED


class Query(
    RecordQueries,
    DirectoryQueries,
    DirectoryImportQueries,
    PublicFinderQueries,
    SubjectQueries,
    ReferralQueries,
    AccountQueries,
    MemberQueries,
    AuditQueries,
    NotificationQueries,
    PathwayQueries,
    RecommendQueries,
    HealthQueries,
    CheckInQueries,
    MeetingQueries,
    graphene.ObjectType,
):
    """Every read of the hub. Each field names who may call it in docs/identity-and-audit.md;
    personal data is decrypted only under its registering organisation or a consent."""


class Mutation(
    DirectoryMutations,
    SubjectMutations,
    ReferralMutations,
    AccountMutations,
    MemberMutations,
    NotificationMutations,
    PathwayMutations,
    CheckInMutations,
    MeetingMutations,
    graphene.ObjectType,
):
    """Every write of the hub. Each answers with its payload and `errors` (empty when it did
    what it was asked); every mutation takes one `input` object."""


schema = graphene.Schema(query=Query, mutation=Mutation)
