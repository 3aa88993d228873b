"""Outcomes (issue 20): goal attainment, drop-out and satisfaction, and the eigen-kracht
process, per quarter, aggregated and with small numbers hidden (docs/outcomes.md)."""
