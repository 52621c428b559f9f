"""The subjects domain's part of the root schema: personal data under consent."""

import graphene

from schema.subjects.mutations.consent import ConsentAmend, ConsentRecord, ConsentWithdraw
from schema.subjects.mutations.preference import SubjectPreferenceLift, SubjectPreferenceSet
from schema.subjects.mutations.subject import SubjectRegister
from schema.subjects.queries import SubjectQueries


class SubjectMutations(graphene.ObjectType):
    register_subject = SubjectRegister.Field()
    record_consent = ConsentRecord.Field()
    amend_consent = ConsentAmend.Field()
    withdraw_consent = ConsentWithdraw.Field()
    set_subject_preference = SubjectPreferenceSet.Field()
    lift_subject_preference = SubjectPreferenceLift.Field()


__all__ = ("SubjectMutations", "SubjectQueries")
