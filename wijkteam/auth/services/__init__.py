"""Logging in and out, server-side sessions, lockout, and account management.

The services live in three modules: sessions (login, logout, sessions), password_changes
(changing, resetting and setting a password through a link) and accounts (accounts and teams);
they are all importable from here."""

from __future__ import annotations

from wijkteam.auth.services.accounts import (
    ACCESS_FIELDS,
    change_detail,
    create_team,
    create_user,
    unlock_login,
    update_team,
    update_user,
)
from wijkteam.auth.services.password_changes import (
    change_password,
    check_new_password,
    find_password_link,
    issue_password_link,
    reset_password,
    set_password_from_link,
)
from wijkteam.auth.services.profiles import (
    can_change_team_settings,
    team_members,
    update_profile,
    update_team_settings,
)
from wijkteam.auth.services.sessions import (
    LockedOut,
    LoginFailed,
    TeamInactive,
    authenticate,
    end_session,
    find_session,
    normalise_email,
    revoke_all_sessions,
    start_session,
)

__all__ = [
    "ACCESS_FIELDS",
    "LockedOut",
    "LoginFailed",
    "TeamInactive",
    "authenticate",
    "can_change_team_settings",
    "change_detail",
    "change_password",
    "check_new_password",
    "create_team",
    "create_user",
    "end_session",
    "find_password_link",
    "find_session",
    "issue_password_link",
    "normalise_email",
    "reset_password",
    "revoke_all_sessions",
    "set_password_from_link",
    "start_session",
    "team_members",
    "unlock_login",
    "update_profile",
    "update_team",
    "update_team_settings",
    "update_user",
]
