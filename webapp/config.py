"""Configuration defaults; the instance folder and the environment override them."""
import os
import secrets
from datetime import timedelta
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
        make_private_dir(path.parent)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip() if path.exists() else None


def apply_environment(config: dict) -> None:
    """Let the environment override the database, the secret key, the environment and the second factor."""
    for name in ('DATABASE_URL', 'SECRET_KEY', 'TRAJECT_ENV', 'TRAJECT_MFA', 'TRAJECT_BASE_URL', 'TRAJECT_MAIL_URL',
                 'TRAJECT_MAIL_FROM'):
        if os.environ.get(name):
            config[name] = os.environ[name]
    if os.environ.get('TRAJECT_IDLE_MINUTES'):
        config['IDLE_TIMEOUT'] = timedelta(minutes=float(os.environ['TRAJECT_IDLE_MINUTES']))


# A key shorter than this is not a real key (production refuses it).
MIN_SECRET_KEY_LENGTH = 32


def check_secret_key(config: dict, *, require: bool) -> None:
    """Refuse to serve without a real key; in debug without one, use a random key of this process, never a constant.

    Production (TRAJECT_ENV=production) needs a key of at least 32 characters whatever else is set.
    """
    key = config.get('SECRET_KEY')
    if config.get('TRAJECT_ENV') == 'production' and (not key or len(key) < MIN_SECRET_KEY_LENGTH):
        raise ConfigError(f'TRAJECT_ENV=production vraagt een SECRET_KEY van minstens {MIN_SECRET_KEY_LENGTH} '
                          'willekeurige tekens (bv. python -c "import secrets; print(secrets.token_hex(32))").')
    if key:
        return
    if require:
        raise ConfigError('SECRET_KEY ontbreekt: zet SECRET_KEY of maak instance/secret_key aan (make run doet dat).')
    # Cookies signed with it die with the process: nobody can forge them from a value in the source code.
    config['SECRET_KEY'] = secrets.token_hex(32)


def make_private_dir(path: Path) -> None:
    """Create `path` (the instance folder) readable by its owner only, and tighten it if it exists."""
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o700)
