"""The root schema: each domain contributes its Query and Mutation classes."""

import graphene

from schema.accounts.schema import AccountMutations, AccountQueries, MemberMutations, MemberQueries
from schema.audit.schema import AuditQueries
from schema.directory.schema import (
    DirectoryImportQueries,
    DirectoryMutations,
    DirectoryQueries,
)
from schema.health.schema import HealthQueries
from schema.notifications.schema import NotificationMutations, NotificationQueries
from schema.pathways.schema import PathwayQueries, RecommendQueries
from schema.referrals.schema import ReferralMutations, ReferralQueries
from schema.subjects.schema import SubjectMutations, SubjectQueries


class Query(
    DirectoryQueries,
    DirectoryImportQueries,
    SubjectQueries,
    ReferralQueries,
    AccountQueries,
    MemberQueries,
    AuditQueries,
    NotificationQueries,
    PathwayQueries,
    RecommendQueries,
    HealthQueries,
    graphene.ObjectType,
):
    pass


class Mutation(
    DirectoryMutations,
    SubjectMutations,
    ReferralMutations,
    AccountMutations,
    MemberMutations,
    NotificationMutations,
    graphene.ObjectType,
):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
