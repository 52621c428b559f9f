"""An organisation's admin runs its members: invite by e-mail with a role, see who has a
second factor, reset a member's factors, remove a member. Each change is audited in
Neo4j inside the SQL transaction that makes it (a failed audit undoes the change), and
asks for a second factor proved in the last few minutes (reauthentication.py).

A system administrator's factors are reset only from the command line
(`manage.py reset_second_factor`), never by an organisation's admin.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from graph import audit_log
from referral_hub.accounts import services
from referral_hub.accounts.actor import Actor
from referral_hub.accounts.models import ApiToken, Invitation, Membership
from referral_hub.accounts.reauthentication import require_recent_second_factor
from referral_hub.accounts.roles import Role
from referral_hub.core import ratelimit
from referral_hub.core.audit import audit_record
from referral_hub.core.errors import ErrorCode, FieldError, PublicError, ValidationFailed
from referral_hub.core.validation import row_id

if TYPE_CHECKING:
    # settings.AUTH_USER_MODEL is Django's own User, and mypy types the foreign keys to it
    # as that model, so a user stored in one is annotated with it (not AbstractBaseUser).
    from django.contrib.auth.models import User

log = logging.getLogger(__name__)
# An organisation's admin gives any role of the organisation; SYSTEM_ADMIN is the
# operator's alone (manage.py grant_role).
INVITABLE_ROLES = (
    Role.COUNSELLOR,
    Role.CASEWORKER,
    Role.COORDINATOR,
    Role.AUDITOR,
    Role.ORG_ADMIN,
    Role.WELFARE_VOLUNTEER,
)
# They see across the area (aggregates, the access log): given only by someone who has them.
OVERSIGHT_ROLES = frozenset({Role.COORDINATOR, Role.AUDITOR})
INVITATION_PATH = "/accounts/invitation/"
USERNAME_MAX = 150


@dataclass(frozen=True)
class Member:
    user_id: int
    username: str
    email: str
    roles: tuple[str, ...]
    active: bool
    second_factor: bool
    last_login: datetime | None


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _organisation(actor: Actor) -> str:
    """The organisation an admin acts for; anyone else is refused."""
    if actor.machine or actor.organisation_id is None or not actor.has_role(Role.ORG_ADMIN):
        raise PublicError(ErrorCode.FORBIDDEN, "Members are run by the organisation's ORG_ADMIN.")
    return actor.organisation_id


def members(*, actor: Actor) -> list[Member]:
    """Everyone with a role here, by username; three queries whatever their number."""
    organisation = _organisation(actor)
    rows = Membership.objects.filter(organisation_id=organisation).select_related("user")
    roles: dict[int, list[str]] = {}
    users: dict[int, Any] = {}
    for row in rows:
        roles.setdefault(row.user_id, []).append(row.role)
        users[row.user_id] = row.user
    with_factor = set(
        Authenticator.objects.filter(user_id__in=users)
        .exclude(type=Authenticator.Type.RECOVERY_CODES)
        .values_list("user_id", flat=True)
    )
    return sorted(
        (
            Member(
                user_id=user_id,
                username=user.get_username(),
                email=user.email,
                roles=tuple(sorted(roles[user_id])),
                active=user.is_active,
                second_factor=user_id in with_factor,
                last_login=user.last_login,
            )
            for user_id, user in users.items()
        ),
        key=lambda member: member.username,
    )


def invitations_pending(*, actor: Actor) -> list[Invitation]:
    return list(
        Invitation.objects.filter(
            organisation_id=_organisation(actor),
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).order_by("-created_at")
    )


def invite(*, actor: Actor, email: str, role: str) -> Invitation:
    """Send a single-use link that expires after HUB_INVITATION_HOURS. The e-mail is sent
    inside the transaction: if it cannot be sent, no invitation exists (MAIL_UNAVAILABLE)."""
    organisation = _organisation(actor)
    email = (email or "").strip()
    errors = _invitation_errors(actor, email, role)
    if errors:
        raise ValidationFailed(errors)
    require_recent_second_factor(actor)
    ratelimit.hit("member-invite", str(actor.user_id), limit=30, window_seconds=3600)
    secret = secrets.token_urlsafe(32)
    # _organisation admitted only a person, and a person's actor carries their user id.
    assert actor.user_id is not None
    with transaction.atomic():
        invitation = Invitation.objects.create(
            email=email,
            organisation_id=organisation,
            role=role,
            digest=_digest(secret),
            invited_by_id=actor.user_id,
            expires_at=timezone.now() + timedelta(hours=settings.HUB_INVITATION_HOURS),
        )
        _send_invitation(actor, email, role, secret)
        # After the e-mail: an invitation that was not sent is neither kept nor logged. (If
        # this write fails, the row is undone and the mailed link answers "cannot be used".)
        audit_log.record_and_return(
            audit_record(actor, "MEMBER_INVITE", "Invitation", str(invitation.pk))
        )
    return invitation


def _invitation_errors(actor: Actor, email: str, role: str) -> list[FieldError]:
    errors = []
    try:
        validate_email(email)
    except ValidationError:
        errors.append(FieldError("email", ErrorCode.INVALID, "Give an e-mail address."))
    if role not in {r.value for r in INVITABLE_ROLES}:
        errors.append(
            FieldError(
                "role",
                ErrorCode.INVALID,
                "role must be one of " + ", ".join(r.value for r in INVITABLE_ROLES) + ".",
            )
        )
    elif Role(role) in OVERSIGHT_ROLES and not actor.has_role(Role(role)):
        # Like a token, an invitation never carries more than its issuer holds here.
        errors.append(
            FieldError("role", ErrorCode.FORBIDDEN, f"You do not hold the role {role} here.")
        )
    return errors


def _send_invitation(actor: Actor, email: str, role: str, secret: str) -> None:
    """The link by e-mail, or MAIL_UNAVAILABLE (the caller's transaction then undoes the
    invitation)."""
    context = {
        "link": f"{settings.HUB_PUBLIC_URL}{INVITATION_PATH}{secret}/",
        "role": role,
        "hours": settings.HUB_INVITATION_HOURS,
        "inviter": actor.username,
    }
    try:
        send_mail(
            render_to_string("accounts/invitation_subject.txt", context).strip(),
            render_to_string("accounts/invitation_body.txt", context),
            None,
            [email],
        )
    except (OSError, smtplib.SMTPException):
        log.warning("invitation e-mail not sent; nothing kept", exc_info=True)
        raise PublicError(
            ErrorCode.MAIL_UNAVAILABLE, "The e-mail could not be sent; try again later."
        ) from None


def invitation_for(secret: str) -> Invitation | None:
    """The invitation a link names, if it can still be accepted."""
    if not secret or len(secret) > 100:
        return None
    return Invitation.objects.filter(
        digest=_digest(secret),
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).first()


def accept(
    secret: str,
    *,
    user: User | None = None,
    username: str = "",
    password: str = "",
    password2: str = "",
) -> User:
    """Join the organisation: as the signed-in `user`, or as a new account with this
    username and password. The link works once (the row is locked while it is used)."""
    username = (username or "").strip()
    with transaction.atomic():
        invitation = invitation_for(secret)
        if invitation is not None:
            invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation is None or not _open(invitation):
            raise ValidationFailed.one(
                None, ErrorCode.NOT_FOUND, "This invitation link is used up or expired."
            )
        if user is None:
            user = _new_account(invitation, username, password, password2)
        _, joined_now = Membership.objects.get_or_create(
            user=user, organisation_id=invitation.organisation_id, role=invitation.role
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        joined = Actor(
            username=user.get_username(),
            user_id=user.pk,
            organisation_id=str(invitation.organisation_id),
            roles=frozenset({Role(invitation.role)}),
        )
        if joined_now:  # someone who already held the role joined nothing
            audit_log.record_and_return(
                audit_record(joined, "MEMBER_JOIN", "Invitation", str(invitation.pk))
            )
    return user


def _open(invitation: Invitation) -> bool:
    return (
        invitation.accepted_at is None
        and invitation.revoked_at is None
        and invitation.expires_at > timezone.now()
    )


def _new_account(invitation: Invitation, username: str, password: str, password2: str) -> User:
    users = get_user_model()
    errors = []
    if not username or len(username) > USERNAME_MAX:
        errors.append(FieldError("username", ErrorCode.REQUIRED, "Choose a username."))
    elif users.objects.filter(username__iexact=username).exists():
        errors.append(FieldError("username", ErrorCode.CONFLICT, "That username is taken."))
    if password != password2:
        errors.append(FieldError("password2", ErrorCode.INVALID, "The passwords differ."))
    else:
        try:
            password_validation.validate_password(
                password, users(username=username, email=invitation.email)
            )
        except ValidationError as refused:
            errors.append(FieldError("password", ErrorCode.INVALID, " ".join(refused.messages)))
    if errors:
        raise ValidationFailed(errors)
    return users.objects.create_user(username=username, email=invitation.email, password=password)


def _member(actor: Actor, user_id: Any) -> Any:
    """A member of the admin's organisation, or NOT_FOUND (others' ids stay secret)."""
    organisation = _organisation(actor)
    found = (
        get_user_model()
        .objects.filter(
            pk=row_id(user_id),
            memberships__organisation_id=organisation,
        )
        .distinct()
        .first()
    )
    if found is None:
        raise ValidationFailed.one("userId", ErrorCode.NOT_FOUND, "No such member.")
    return found


def _not_a_system_administrator(member: Any, message: str) -> None:
    if member.is_superuser or member.memberships.filter(role=Role.SYSTEM_ADMIN.value).exists():
        raise ValidationFailed.one("userId", ErrorCode.FORBIDDEN, message)


def reset_factors(*, actor: Actor, user_id: Any) -> int:
    """A member lost their phone or key: remove their factors and end their sessions; they
    enrol anew at the next sign-in. Never a system administrator's (command line only)."""
    member = _member(actor, user_id)
    _not_a_system_administrator(
        member, "A system administrator's factors are reset from the command line."
    )
    if member.memberships.exclude(organisation_id=actor.organisation_id).exists():
        # Their factors guard their work elsewhere too: not one organisation's to reset.
        raise ValidationFailed.one(
            "userId",
            ErrorCode.FORBIDDEN,
            "They are a member of other organisations too; the operator resets their factors.",
        )
    require_recent_second_factor(actor)
    return services.second_factors_reset(actor=actor, user=member)


def remove(*, actor: Actor, user_id: Any) -> bool:
    """Take a member's roles here away at once: their sessions end, and the tokens they
    issued for this organisation are revoked. Someone left with no organisation at all is
    deactivated, with every token of theirs revoked. Returns whether they were
    deactivated. An admin does not remove themselves (another admin does)."""
    organisation = _organisation(actor)  # what _member checks first; typed as present
    member = _member(actor, user_id)
    if member.pk == actor.user_id:
        raise ValidationFailed.one("userId", ErrorCode.INVALID, "Another admin removes you.")
    _not_a_system_administrator(member, "A system administrator is removed by the operator.")
    require_recent_second_factor(actor)
    now = timezone.now()
    with transaction.atomic():
        Membership.objects.filter(user=member, organisation_id=organisation).delete()
        deactivated = not Membership.objects.filter(user=member).exists()
        tokens = ApiToken.objects.filter(user=member, revoked_at__isnull=True)
        if not deactivated:
            tokens = tokens.filter(organisation_id=organisation)
        tokens.update(revoked_at=now)
        if deactivated:
            member.is_active = False
            member.save(update_fields=["is_active"])
        services.end_sessions(member)
        audit_log.record_and_return(
            audit_record(
                actor,
                "MEMBER_DEACTIVATE" if deactivated else "MEMBER_REMOVE",
                "User",
                str(member.pk),
            )
        )
    return deactivated


MAX_ROLES_ASKED = len(INVITABLE_ROLES)


def set_roles(*, actor: Actor, user_id: Any, roles: Sequence[str]) -> Member:
    """Give a member exactly these roles here, in place (no new invitation). The change
    counts from their next request: roles are read per request, and organisation tokens
    they issued stop working for a role they no longer hold (authentication.py). An admin
    does not take ORG_ADMIN from themselves (another admin does: the organisation is never
    left without one by accident), and an oversight role is given only by someone who holds
    it, as with invitations. No change, no audit event."""
    wanted = _roles_asked(roles)
    organisation = _organisation(actor)  # what _member checks first; typed as present
    member = _member(actor, user_id)
    _not_a_system_administrator(member, "A system administrator's roles are the operator's.")
    held = set(
        Membership.objects.filter(user=member, organisation_id=organisation).values_list(
            "role", flat=True
        )
    )
    if member.pk == actor.user_id and Role.ORG_ADMIN.value not in wanted:
        raise ValidationFailed.one(
            "roles", ErrorCode.INVALID, "Another admin takes ORG_ADMIN from you."
        )
    granted = {Role(role) for role in wanted - held}
    if not_held := sorted(r.value for r in granted & OVERSIGHT_ROLES if not actor.has_role(r)):
        raise ValidationFailed.one(
            "roles", ErrorCode.FORBIDDEN, f"You do not hold the role {', '.join(not_held)} here."
        )
    if wanted != held:
        require_recent_second_factor(actor)
        _replace_roles(actor, member, wanted)
    found = [m for m in members(actor=actor) if m.user_id == member.pk]
    if not found:  # removed meanwhile
        raise ValidationFailed.one("userId", ErrorCode.NOT_FOUND, "No such member.")
    return found[0]


def _replace_roles(actor: Actor, member: Any, wanted: set[str]) -> None:
    """Inside one transaction that holds the organisation's memberships (row locks on
    PostgreSQL; SQLite's write lock, taken at BEGIN), so two admins demoting each other at
    once cannot leave the organisation without one: the second finds it is no longer an
    admin, or that it would remove the last."""
    organisation = _organisation(actor)  # checked by set_roles already; typed as present
    admin = Role.ORG_ADMIN.value
    with transaction.atomic():
        rows = list(
            Membership.objects.select_for_update()
            .filter(organisation_id=organisation)
            .values_list("user_id", "role")
        )
        if not actor.is_system_admin and (actor.user_id, admin) not in rows:
            raise PublicError(ErrorCode.FORBIDDEN, "You are no longer ORG_ADMIN here.")
        held = {role for user, role in rows if user == member.pk}
        admins = {user for user, role in rows if role == admin and user != member.pk}
        if admin not in wanted and not admins:
            raise ValidationFailed.one(
                "roles", ErrorCode.INVALID, "The organisation keeps an ORG_ADMIN."
            )
        Membership.objects.filter(
            user=member, organisation_id=organisation, role__in=held - wanted
        ).delete()
        Membership.objects.bulk_create(
            [
                Membership(user=member, organisation_id=organisation, role=role)
                for role in sorted(wanted - held)
            ],
            ignore_conflicts=True,  # an invitation accepted meanwhile gave it already
        )
        audit_log.record_and_return(
            audit_record(actor, "MEMBER_ROLES_CHANGE", "User", str(member.pk))
        )


def _roles_asked(roles: Sequence[str] | None) -> set[str]:
    """The roles asked for, checked: at least one (removeMember takes them all), each an
    organisation role, none twice."""
    roles = list(roles or [])
    allowed = {r.value for r in INVITABLE_ROLES}
    message = None
    if not roles:
        message = "Give at least one role (to take every role away, remove the member)."
    elif len(roles) > MAX_ROLES_ASKED or len(set(roles)) != len(roles):
        message = f"Give each role once, at most {MAX_ROLES_ASKED}."
    elif not set(roles) <= allowed:
        message = "roles must be among " + ", ".join(r.value for r in INVITABLE_ROLES) + "."
    if message:
        raise ValidationFailed.one("roles", ErrorCode.INVALID, message)
    return set(roles)


def revoke_invitation(*, actor: Actor, invitation_id: Any) -> Invitation:
    organisation = _organisation(actor)
    invitation = Invitation.objects.filter(
        pk=row_id(invitation_id),
        organisation_id=organisation,
    ).first()
    if invitation is None or not _open(invitation):
        # Accepted, withdrawn or expired already: nothing to withdraw.
        raise ValidationFailed.one("id", ErrorCode.NOT_FOUND, "No open invitation with that id.")
    with transaction.atomic():
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit_log.record_and_return(
            audit_record(actor, "MEMBER_INVITE_REVOKE", "Invitation", str(invitation.pk))
        )
    return invitation
