from schema.accounts.types import AccountError
from schema.core.errors import errors_field
from schema.core.mutations import DomainMutation


class AccountMutation(DomainMutation):
    class Meta:
        abstract = True

    error_type = AccountError
    errors = errors_field(AccountError)
