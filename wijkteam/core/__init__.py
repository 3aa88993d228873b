"""The domain core: database, settings, errors, permissions, the clock and edit rules.

Nothing here knows about requests or pages (see wijkteam.web)."""
