"""Who is acting: the user (or machine token), the organisation acted for and its roles.

Pure data and rules; built once per request by authentication.py and passed to every
service, which checks it and writes it into the audit event of what it does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from referral_hub.accounts.roles import Role


@dataclass(frozen=True)
class Actor:
    username: str
    user_id: int | None = None
    organisation_id: str | None = None
    roles: frozenset[Role] = field(default_factory=frozenset)
    token_id: int | None = None
    request_id: str | None = None
    client_address: str | None = None
    machine: bool = False  # an organisation's API token, not a person
    # A person in a browser session (not a bearer token, a command or a task), and when
    # that session last proved a second factor (a Unix time; None if it never did).
    session: bool = False
    second_factor_at: float | None = None

    @property
    def is_system_admin(self) -> bool:
        return Role.SYSTEM_ADMIN in self.roles

    def has_role(self, *roles: Role) -> bool:
        """SYSTEM_ADMIN holds every role."""
        return self.is_system_admin or bool(self.roles.intersection(roles))

    def acts_for(self, organisation_id: str | None) -> bool:
        return self.is_system_admin or (
            organisation_id is not None and self.organisation_id == organisation_id
        )

    @property
    def primary_role(self) -> str | None:
        """The role written into audit events: the most privileged one held."""
        for role in (
            Role.SYSTEM_ADMIN,
            Role.ORG_ADMIN,
            Role.AUDITOR,
            Role.COORDINATOR,
            Role.CASEWORKER,
            Role.COUNSELLOR,
            Role.WELFARE_VOLUNTEER,  # issue 20: the least privileged
        ):
            if role in self.roles:
                return role.value
        return None


# For management commands and tasks: the operator acting on the whole service.
SYSTEM = Actor(username="system", roles=frozenset({Role.SYSTEM_ADMIN}))
