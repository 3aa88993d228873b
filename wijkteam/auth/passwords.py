"""Password hashing with argon2id (argon2-cffi's defaults follow RFC 9106), and the check that
refuses common and breached passwords (zxcvbn, with Dutch words added)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext as _l
from zxcvbn import zxcvbn

from wijkteam.auth.dutch_words import DUTCH_WORDS

_hasher = PasswordHasher()
# Verified against when an account does not exist, so the answer takes as long either way.
_DUMMY_HASH = _hasher.hash("not-a-real-password-just-for-timing")

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
# zxcvbn's score 0-4; 4 means "very unguessable" (about 10^10 guesses or more): three unrelated
# words pass, a word with a year and '!' does not. Below that the password is refused.
MIN_SCORE = 4
# zxcvbn refuses longer input (its matching grows quickly with length); the rest of a longer
# password only adds strength, so the first 72 characters are what is judged.
_ZXCVBN_MAX = 72


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def _pieces(text: str) -> list[str]:
    text = text.lower()
    for sep in "@.-_+'":
        text = text.replace(sep, " ")
    return [w for w in text.split() if len(w) >= 3]


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why this password is refused (a message for the form), or None when it is good enough.

    Length first; then the person's own name or e-mail name in it; then zxcvbn: it knows
    passwords from public breaches (the most common tens of thousands), English words and
    names, keyboard patterns, repeats, sequences and dates, and with DUTCH_WORDS and the
    person's own details it catches 'welkom123456' and 'Zomer2026Zomer' too."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return str(_l("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))
    if len(password) > MAX_PASSWORD_LENGTH:
        return str(_l("Use at most %(n)d characters.", n=MAX_PASSWORD_LENGTH))
    local, _, domain = email.lower().partition("@")
    own = [w for w in _pieces(local) + _pieces(name) if len(w) >= 4]
    if any(word in password.lower() for word in own):
        return str(_l("Do not use your own name or e-mail address in your password."))
    inputs = [*own, *_pieces(domain), *DUTCH_WORDS]
    result = zxcvbn(password[:_ZXCVBN_MAX], user_inputs=inputs)
    if result["score"] < MIN_SCORE:
        return str(
            _l(
                "This password is too easy to guess: it is common, appears in known data "
                "breaches, or is built from a word, name or pattern. Try a few unrelated words "
                "together, such as a short sentence only you would think of."
            )
        )
    return None
