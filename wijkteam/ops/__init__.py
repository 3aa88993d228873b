"""Operations: backups and restores (backup.py), the retention purge (retention/).

The `flask backup`, `flask restore` and `flask purge-closed-cases` commands in cli.py call these;
docs/backup-and-retention.md explains them."""
