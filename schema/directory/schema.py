import graphene

from schema.directory.finder import PublicFinderQueries
from schema.directory.imports import DirectoryImportQueries, DirectoryImportStart
from schema.directory.mutations.location import LocationCreate, LocationDeactivate, LocationUpdate
from schema.directory.mutations.opportunity import (
    OpportunityArchive,
    OpportunityCreate,
    OpportunityUpdate,
)
from schema.directory.mutations.organisation import (
    OrganisationChangeDecide,
    OrganisationCreate,
    OrganisationDeactivate,
    OrganisationUpdate,
)
from schema.directory.mutations.partnership import PartnershipAdd, PartnershipRemove
from schema.directory.mutations.service import (
    ServiceCapacityUpdate,
    ServiceCreate,
    ServiceDeactivate,
    ServiceTagsSet,
    ServiceUpdate,
)
from schema.directory.queries import DirectoryQueries


class DirectoryMutations(graphene.ObjectType):
    create_organisation = OrganisationCreate.Field()
    update_organisation = OrganisationUpdate.Field()
    decide_organisation_change = OrganisationChangeDecide.Field()
    deactivate_organisation = OrganisationDeactivate.Field()
    create_location = LocationCreate.Field()
    update_location = LocationUpdate.Field()
    deactivate_location = LocationDeactivate.Field()
    create_service = ServiceCreate.Field()
    update_service = ServiceUpdate.Field()
    deactivate_service = ServiceDeactivate.Field()
    set_service_tags = ServiceTagsSet.Field()
    update_service_capacity = ServiceCapacityUpdate.Field()
    add_partnership = PartnershipAdd.Field()
    remove_partnership = PartnershipRemove.Field()
    start_directory_import = DirectoryImportStart.Field()
    create_opportunity = OpportunityCreate.Field()
    update_opportunity = OpportunityUpdate.Field()
    archive_opportunity = OpportunityArchive.Field()


__all__ = (
    "DirectoryImportQueries",
    "DirectoryMutations",
    "DirectoryQueries",
    "PublicFinderQueries",
)
