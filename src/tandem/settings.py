"""Tandem's one settings module. Every knob is an environment variable (docs/configuration.md).

The defaults suit a laptop: SQLite under ./var, debug on, console e-mail. Production sets
TANDEM_DEBUG=false, TANDEM_SECRET_KEY, TANDEM_ALLOWED_HOSTS and DATABASE_URL; the secure
defaults below switch on by themselves when debug is off.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from tandem.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
WORK_DIR = Path.cwd()
VAR_DIR = Path(env_str("TANDEM_VAR_DIR", str(WORK_DIR / "var")))

DEBUG = env_bool("TANDEM_DEBUG", True)
TESTING = env_bool("TANDEM_TESTING", False)

_DEV_SECRET = "dev-only-secret-key-do-not-use-in-production-0123456789abcdefghijklmnop"  # noqa: S105 (debug only; production must set its own)
SECRET_KEY = env_str("TANDEM_SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("TANDEM_SECRET_KEY must be set when TANDEM_DEBUG is false")

# The key that marks who already wrote anonymously (docs/anonymity.md); never kept in the
# database, so a copy of the database cannot be tested against it. Unset: a random key
# generated on first use into ANONYMITY_KEY_PATH, on this server; with more than one server,
# give every server the same TANDEM_ANONYMITY_KEY (or TANDEM_ANONYMITY_KEY_FILE).
ANONYMITY_KEY = env_str("TANDEM_ANONYMITY_KEY", "")
ANONYMITY_KEY_PATH = VAR_DIR / "anonymity.key"
if ANONYMITY_KEY and len(ANONYMITY_KEY) < 32:
    raise ImproperlyConfigured("TANDEM_ANONYMITY_KEY must be at least 32 random characters")

# The key that encrypts secrets kept in the database (chat webhook addresses), with AES-GCM
# under a key derived per purpose (HKDF). Unset: derived from SECRET_KEY, so changing
# SECRET_KEY then makes stored webhook addresses unreadable (IT pastes them again).
ENCRYPTION_KEY = env_str("TANDEM_ENCRYPTION_KEY", "")
if ENCRYPTION_KEY and len(ENCRYPTION_KEY) < 32:
    raise ImproperlyConfigured("TANDEM_ENCRYPTION_KEY must be at least 32 random characters")

ALLOWED_HOSTS = env_list("TANDEM_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("TANDEM_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("TANDEM_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "heroicons",
    "template_partials",
    "axes",
    "csp",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    # The Redis task backend (TANDEM_TASK_BACKEND=rq) and its worker command, `tandem
    # rqworker`; both stay idle, and open no connection, under the database backend.
    "django_rq",
    "django_tasks_rq",
    "tandem.core",
    "tandem.org",
    "tandem.access",
    "tandem.audit",
    "tandem.program",
    "tandem.notifications",
    "tandem.coach",
    "tandem.integrations",
    "tandem.integrations.sso",
    "tandem.integrations.saml",
    "tandem.integrations.scim",
    "tandem.integrations.webhooks",
    "tandem.exports",
    "tandem.goals",
    "tandem.feedback",
    "tandem.meetings",
    "tandem.reviews",
    "tandem.fairness",
    "tandem.calibration",
    "tandem.growth",
    "tandem.team",
    "tandem.site",
]

MIDDLEWARE = [
    # First, so every response carries the header: the HTTPS redirect and static files too.
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication (the API counts per token or signed-in person), before anything
    # does real work: a refused request costs a cache increment (docs/api.md).
    "tandem.core.ratelimit.RateLimitMiddleware",
    # Before anything reads the body (CSRF does, for forms): an oversized one is a 413.
    "tandem.core.middleware.BodyLimitMiddleware",
    "tandem.core.middleware.QueryTextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: a timed-out session is told why it was signed out.
    "tandem.access.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tandem.core.middleware.RequestContextMiddleware",
    "tandem.core.middleware.NoStoreMiddleware",
    # Axes goes last so it sees the outcome of authentication (its documented order).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tandem.urls"
WSGI_APPLICATION = "tandem.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tandem.site.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
_default_sqlite = f"sqlite:///{VAR_DIR / 'tandem.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", _default_sqlite))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if str(DATABASES["default"]["NAME"]) != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers run beside a writer; IMMEDIATE takes the write lock at BEGIN so two
    # writers queue on busy_timeout instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("TANDEM_DB_CONN_MAX_AGE", 60, minimum=0)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Behind PgBouncer in transaction mode a server-side cursor (QuerySet.iterator() on
    # PostgreSQL) would outlive the server connection it was opened on (docs/deployment.md).
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool(
        "TANDEM_DB_TRANSACTION_POOLING", False
    )
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env_bool(
        "TANDEM_DB_JIT", False
    ):
        # PostgreSQL's JIT compiler pays off for long analytic queries, not for pages: the
        # team hub's flag order over 100,000 people spent 5.5 of its 5.9 s compiling
        # (docs/benchmarks.md). Off for Tandem's own connections unless asked for.
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and sessions -----------------------------------------------------------
AUTH_USER_MODEL = "org.Person"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
if TESTING:
    # Tests sign people in thousands of times; a slow hash there only slows the suite.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_IDLE_TIMEOUT_MINUTES = env_int("TANDEM_SESSION_IDLE_MINUTES", 120, minimum=1)
SESSION_ABSOLUTE_TIMEOUT_HOURS = env_int("TANDEM_SESSION_MAX_HOURS", 12, minimum=1)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT_HOURS * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
PASSWORD_RESET_TIMEOUT = env_int("TANDEM_PASSWORD_RESET_MINUTES", 60, minimum=5) * 60
# An invitation (a link at which someone without a password chooses one) lives longer than a
# reset link: it is read when a welcome e-mail is, often days later (access.tokens).
INVITATION_TIMEOUT = env_int("TANDEM_INVITATION_DAYS", 7, minimum=1) * 24 * 3600
# Throttling of password reset e-mails: at most so many per e-mail address and per client
# address within a sliding window (access.services.request_password_reset).
PASSWORD_RESET_PER_ADDRESS = env_int("TANDEM_PASSWORD_RESET_PER_ADDRESS", 3, minimum=1)
PASSWORD_RESET_PER_IP = env_int("TANDEM_PASSWORD_RESET_PER_IP", 20, minimum=1)
PASSWORD_RESET_WINDOW_MINUTES = env_int("TANDEM_PASSWORD_RESET_WINDOW_MINUTES", 60, minimum=1)

# Throttling of failed sign-ins (django-axes): lock the email+address pair, cool off after.
AXES_FAILURE_LIMIT = env_int("TANDEM_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("TANDEM_LOGIN_COOLOFF_MINUTES", 15, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Renders locked_out.html with the time the next try can succeed.
AXES_LOCKOUT_CALLABLE = "tandem.access.views.locked_out"
# A try during the cool-off restarts it (axes' default, set here so it is a decision).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
AXES_VERBOSE = False
AXES_ENABLED = env_bool("TANDEM_LOGIN_THROTTLING", True)
# The client's address for throttling and the audit trail. X-Forwarded-For is only
# believed for the number of reverse proxies we were told about: otherwise anyone could
# dodge the throttle, or forge the audit trail's address, by sending the header.
BEHIND_PROXY = env_bool("TANDEM_BEHIND_PROXY", False)
PROXY_COUNT = env_int("TANDEM_PROXY_COUNT", 1 if BEHIND_PROXY else 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "tandem.access.auth.client_ip"

# --- Security headers -----------------------------------------------------------------
_HTTPS = env_bool("TANDEM_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = _HTTPS and env_bool("TANDEM_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = _HTTPS
CSRF_COOKIE_SECURE = _HTTPS
SECURE_HSTS_SECONDS = env_int("TANDEM_HSTS_SECONDS", 31536000 if _HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _HTTPS
SECURE_HSTS_PRELOAD = env_bool("TANDEM_HSTS_PRELOAD", _HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

# No inline scripts anywhere: htmx and our own JS are files under /static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Tandem uses none of the browser's powerful features: every one is switched off, for Tandem
# and for anything it could ever embed, so injected code could not use them either.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "clipboard-read",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "gamepad",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "interest-cohort",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "web-share",
        "xr-spatial-tracking",
    )
}

# --- E-mail ----------------------------------------------------------------------------
EMAIL_HOST = env_str("TANDEM_EMAIL_HOST", "")
EMAIL_BACKEND = env_str(
    "TANDEM_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("TANDEM_EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("TANDEM_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("TANDEM_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("TANDEM_EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("TANDEM_FROM_EMAIL", "Tandem <tandem@localhost>")
# Where django.core.mail.backends.filebased.EmailBackend writes (a staging server's outbox).
EMAIL_FILE_PATH = env_str("TANDEM_EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks -------------------------------------------------------------------
# Friendly names for the two production backends; a full dotted path works too.
TASK_BACKEND_ALIASES = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
}
_task_backend = env_str("TANDEM_TASK_BACKEND", "database")
if "." not in _task_backend and _task_backend not in TASK_BACKEND_ALIASES:
    raise ImproperlyConfigured(
        "TANDEM_TASK_BACKEND must be database, rq or a backend's dotted path; "
        f"got {_task_backend!r}"
    )
TASKS = {
    "default": {
        "BACKEND": TASK_BACKEND_ALIASES.get(_task_backend, _task_backend),
    }
}
# The Redis database of the RQ task queue (worker: `tandem rqworker`); nothing connects to it
# under the database backend.
REDIS_URL = env_str("TANDEM_REDIS_URL", "redis://127.0.0.1:6379/0")
# A job runs at most this long before RQ stops it: an export of 100,000 rows or a launch to
# the whole company takes minutes, never an hour.
RQ_QUEUES = {
    "default": {
        "URL": REDIS_URL,
        "DEFAULT_TIMEOUT": 3600,
    }
}
# django-tasks-rq's job class runs the django-tasks function; set here so that a plain
# `tandem rqworker` uses it (otherwise every worker needs `--job-class`).
RQ = {"JOB_CLASS": "django_tasks_rq.Job"}

# --- Cache ---------------------------------------------------------------------------------
# Sessions, sign-in lockouts and password-reset throttles live in the database
# (docs/deployment.md). The rate-limit counters (core.ratelimit) live here: unset, each process
# has its own memory cache and counts alone; a redis:// URL makes one cache every process
# shares, so a limit holds whichever process a request lands on.
CACHE_URL = env_str("TANDEM_CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "tandem",
        }
    }
elif not CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(
        f"TANDEM_CACHE_URL must be a redis:// (or rediss://) URL, or unset; got {CACHE_URL!r}"
    )

# --- Exports (docs/operations.md) ---------------------------------------------------------
# An Excel export of more rows than this is prepared in the background and the person is
# notified; smaller ones (and every CSV, which streams) are sent at once. A workbook is sent
# only once it is finished: 1,000 rows take a few tenths of a second, the review exports of
# a 10,000-person company 1.4-2.4 s of silence (docs/benchmarks.md).
EXPORT_BACKGROUND_ROWS = env_int("TANDEM_EXPORT_BACKGROUND_ROWS", 1000, minimum=0)
# Days a prepared export is kept before the daily clean-up deletes its file.
EXPORT_KEEP_DAYS = env_int("TANDEM_EXPORT_KEEP_DAYS", 7, minimum=1)

# --- Chat webhooks (docs/integrations.md) ------------------------------------------------
# Webhook addresses must be HTTPS on the provider's own hosts; with debug on (and in tests)
# plain http and any host are allowed too, so a local test receiver can stand in.
CHAT_ALLOW_LOCAL_WEBHOOKS = env_bool("TANDEM_CHAT_ALLOW_LOCAL_WEBHOOKS", DEBUG or TESTING)

# --- Outgoing webhooks (docs/integrations.md#outgoing-webhooks) -------------------------------
# Endpoint addresses must be HTTPS and resolve only to public addresses (checked when saved
# and again at each delivery: no requests into the company's own network). With debug on
# (and in tests) plain http and private addresses are allowed, for a local receiver.
WEBHOOKS_ALLOW_LOCAL = env_bool("TANDEM_WEBHOOKS_ALLOW_LOCAL", DEBUG or TESTING)

# --- Internationalisation ---------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TANDEM_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static files ------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("TANDEM_STATIC_ROOT", str(VAR_DIR / "static")))
# tandem/static is not inside an app, so the app finder alone never serves tandem.css/js.
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Files Tandem writes: prepared exports (docs/operations.md), under TANDEM_VAR_DIR.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "files"), "base_url": "/no-public-files/"},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# --- Request bodies and uploads ------------------------------------------------------------
# The largest body Tandem reads into memory: a JSON body, or a form's fields (files not
# counted). A bigger one is answered 413 (core.middleware.BodyLimitMiddleware). 4 MB holds the
# largest form there is (a review of 20 questions, each 10,000 characters of non-Latin text)
# with room to spare.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("TANDEM_MAX_BODY_MB", 4, minimum=1) * 1024 * 1024
# Uploaded files (the HRIS import) are not counted above; they have their own limit, checked
# by the import form and the importer.
IMPORT_MAX_BYTES = env_int("TANDEM_IMPORT_MAX_MB", 20, minimum=1) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_BYTES + 1024 * 1024

# --- API ---------------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 50
# Published rate limits (docs/api.md, core.ratelimit): requests a minute per API token (or
# signed-in person, or client address), and sign-in and password reset posts per client
# address. Counted in the cache: set TANDEM_CACHE_URL to Redis when there is more than one
# web process, or each counts on its own.
API_RATE_LIMIT = env_int("TANDEM_API_RATE_LIMIT", 600, minimum=1)
SIGNIN_RATE_LIMIT = env_int("TANDEM_SIGNIN_RATE_LIMIT", 30, minimum=1)
PASSWORD_RESET_RATE_LIMIT = env_int("TANDEM_PASSWORD_RESET_RATE_LIMIT", 10, minimum=1)
RATELIMIT_USE_CACHE = "default"
API_TOKEN_PREFIX = "tdm_"  # noqa: S105 (a public prefix, not a secret)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("TANDEM_LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},
        # pysaml2's schema loader says "Resource 'XMLSchema.xsd' is already loaded" at INFO.
        "xmlschema": {"level": "WARNING"},
    },
}
LOGIN_URL_PATH = "/login/"
