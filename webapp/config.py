"""Configuration defaults; the instance folder and the environment override them."""
import os
import secrets
from pathlib import Path


class ConfigError(RuntimeError):
    """The app cannot start with this configuration."""


def default_database_url(instance_path: str) -> str:
    """Return the embedded SQLite database in the instance folder."""
    return 'sqlite:///' + str(Path(instance_path) / 'traject.db')


def load_secret_key(instance_path: str, *, create: bool) -> str | None:
    """Read `instance/secret_key`, generating it first when `create` is set (as `make run` does)."""
    path = Path(instance_path) / 'secret_key'
    if not path.exists() and create:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip() if path.exists() else None


def apply_environment(config: dict) -> None:
    """Let the environment override the database and the secret key."""
    if os.environ.get('DATABASE_URL'):
        config['DATABASE_URL'] = os.environ['DATABASE_URL']
    if os.environ.get('SECRET_KEY'):
        config['SECRET_KEY'] = os.environ['SECRET_KEY']
