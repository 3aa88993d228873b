"""Load the fictional demo data in seed/ through the same services the UI uses.

`load_seed` (loader.py) reads seed/demo.yaml and creates what is missing: teams and accounts,
each team's resource catalogue (resources.py), the families with their cases and work
(families.py, which replays each family's network and meetings (network.py), plan (plans.py),
safety concerns (safety.py), conversation notes (notes.py) and referrals (resources.py) in
the order their dates need), and last the case discussions (discussions.py).
"""

from wijkteam.seed.loader import SeedRefused, load_seed
from wijkteam.seed.summary import SEED_KINDS, SeedSummary

__all__ = ["SEED_KINDS", "SeedRefused", "SeedSummary", "load_seed"]
