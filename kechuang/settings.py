"""Settings, read from environment variables (every one is listed in README.md).

Defaults are the safe production ones; `make run` and the tests turn DEBUG on explicitly.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0/true/false), not {value!r}")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from exc


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# The demo loader, the benchmark generator and the bench-only view (kechuang/devtools): never in production.
DEVTOOLS = env_bool("DEVTOOLS", DEBUG)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # the TemplatesSetting form renderer finds Django's widget templates through this app
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_otp",  # the administrators' second factor (kechuang/accounts/second_factor.py)
    "django_otp.plugins.otp_totp",
    "csp",
    "ninja",  # django-ninja: its bundled Swagger UI files (static) for /api/v1/docs
    "kechuang.accounts",
    "kechuang.workflow",
    "kechuang.portal",
    "kechuang.filings",
    "kechuang.review",
    "kechuang.registration",  # 单位注册, 个人注册, 人员管理, 忘记密码
    "kechuang.statistics",  # 统计分析
    "kechuang.publicity",  # 公示 and 异议
    "kechuang.api",  # 开放接口 /api/v1/
    "kechuang.documents",  # 备案表/完整备案材料 PDF, 验真, 导出Excel, 推荐汇总表
    "django_tasks",  # the task runner (docs/tasks.md)
    "django_tasks_db",
    "kechuang.audit",
    "kechuang.security",
    "kechuang.outbox",  # mail queued in the transaction that causes it, sent by send_outbox / the task runner
    "kechuang.permissions",  # the named rules (kechuang/permissions/rules.py)
    "kechuang.devtools",  # its commands refuse to run and its URLs are absent unless DEVTOOLS
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kechuang.security.middleware.RequestSizeLimitMiddleware",  # 413 before anything reads a huge body
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kechuang.security.signin.NoStoreMiddleware",  # Cache-Control: no-store on every signed-in response
    "kechuang.security.middleware.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kechuang.accounts.middleware.AccountLanguageMiddleware",  # a signed-in person's User.language wins
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified()
    "django.contrib.messages.middleware.MessageMiddleware",
    "kechuang.security.signin.SecondFactorMiddleware",  # administrators: nothing before the TOTP code
    "kechuang.security.signin.PasswordChangeRequiredMiddleware",  # must_change_password: 修改密码 first
    "kechuang.security.login_throttle.LoginThrottleMiddleware",  # 429 + Retry-After before the password
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "kechuang.audit.middleware.AuditMiddleware",  # records 403s, probes and downloads (docs/security.md)
]

ROOT_URLCONF = "kechuang.urls"
WSGI_APPLICATION = "kechuang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "kechuang" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kechuang.portal.context_processors.site",
            ],
        },
    }
]
FORM_RENDERER = "kechuang.forms.FormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has no row locks: writers take the database lock at BEGIN, so two simultaneous review steps queue
    # (or the second is refused) instead of both reading and then failing mid-transaction (W8).
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
elif CACHE_URL in ("", "locmem://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(f"CACHE_URL must be redis://… or locmem://, not {CACHE_URL!r}")

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "kechuang.accounts.roles.RoleModelBackend",  # ModelBackend; admin permissions from the role only (三员分立)
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:center"
LOGOUT_REDIRECT_URL = "portal:home"
# 忘记密码 / 重置密码 links (Django's token generator) expire after 30 minutes and work once.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 30 * 60)
# Throttles of 单位注册/个人注册 (posts per client address per window) and 忘记密码 (per address, account, email per hour).
REGISTRATION_POSTS_PER_ADDRESS = env_int("REGISTRATION_POSTS_PER_ADDRESS", 30)
REGISTRATION_WINDOW = env_int("REGISTRATION_WINDOW", 600)
PASSWORD_RESET_PER_ADDRESS = env_int("PASSWORD_RESET_PER_ADDRESS", 10)
PASSWORD_RESET_PER_ACCOUNT = env_int("PASSWORD_RESET_PER_ACCOUNT", 3)
PASSWORD_RESET_PER_EMAIL = env_int("PASSWORD_RESET_PER_EMAIL", 3)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # 等保2.0 口令复杂度: ≥ 8 characters, 3 of 4 classes, not containing the account name (Chinese messages).
    {"NAME": "kechuang.accounts.password_validation.ComplexityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Failed-login throttling (django-axes): lock the account+address pair after 5 failures for 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Truncates over-long submitted account names to axes' column size (an overflow was a 500 on PostgreSQL).
AXES_USERNAME_CALLABLE = "kechuang.security.throttling.client_username"
AXES_LOCKOUT_CALLABLE = "kechuang.accounts.views.lockout"  # the login page with a Chinese message, HTTP 429
CSRF_FAILURE_VIEW = "kechuang.portal.views.csrf_failure"

AXES_VERBOSE = False
# The client address behind the reverse proxy (kechuang/security/clientip.py), for axes, the audit log and every
# throttle: TRUSTED_PROXY_COUNT proxies append to X-Forwarded-For (0: no proxy), or CLIENT_IP_HEADER is set by the
# proxy. With DEBUG off and neither set, the system check kechuang.W001 warns.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", None)
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "")
AXES_CLIENT_IP_CALLABLE = "kechuang.security.clientip.client_ip"
# Login throttles beside axes (kechuang/security/login_throttle.py): per account across addresses after this many
# failures one attempt per doubling window (capped); per address at most this many distinct accounts per window.
LOGIN_ACCOUNT_FREE_FAILURES = env_int("LOGIN_ACCOUNT_FREE_FAILURES", 10)
LOGIN_ACCOUNT_MAX_WINDOW = env_int("LOGIN_ACCOUNT_MAX_WINDOW_SECONDS", 15 * 60)
LOGIN_ADDRESS_MAX_ACCOUNTS = env_int("LOGIN_ADDRESS_MAX_ACCOUNTS", 30)
LOGIN_ADDRESS_WINDOW = env_int("LOGIN_ADDRESS_WINDOW_SECONDS", 15 * 60)
# 修改密码: wrong old passwords per account per 15 minutes before the form answers 429.
PASSWORD_CHANGE_ATTEMPTS = env_int("PASSWORD_CHANGE_ATTEMPTS", 5)
# The three administrators log in with a TOTP second factor (django-otp).
OTP_TOTP_ISSUER = "黑龙江省科技创新服务平台"
OTP_REQUIRED_FOR_ADMINISTRATORS = True
# The key of the backups' HMAC-sealed manifest (kechuang/security/manifest.py); empty: derived from SECRET_KEY.
BACKUP_HMAC_KEY = os.environ.get("BACKUP_HMAC_KEY", "")
# Caps (issue 11): drafts (填报中, never submitted) per person and attachments per filing.
MAX_DRAFTS_PER_PERSON = env_int("MAX_DRAFTS_PER_PERSON", 20)
MAX_ATTACHMENTS_PER_FILING = env_int("MAX_ATTACHMENTS_PER_FILING", 30)

LANGUAGE_CODE = "zh-hans"
# Chinese is the default; English is complete (kechuang/locale/en, docs/i18n.md). The header's 中文 | English
# switch sets the language cookie and, for a signed-in person, User.language (accounts.middleware applies it).
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "kechuang" / "locale"]
# Dates in each language's format: templates use SHORT_DATE_FORMAT & co., defined per language here.
FORMAT_MODULE_PATH = ["kechuang.formats"]
# 国别（地区） lists (kechuang/countries.py): offer 中国香港, 中国澳门 and 中国台湾 (as regions, in their own group).
OFFER_CHINESE_REGIONS = env_bool("OFFER_CHINESE_REGIONS", True)
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# The project's own site.css/site.js live outside any app's static/ folder, so the finders need this.
STATICFILES_DIRS = [BASE_DIR / "kechuang" / "static"]
# Attachments are private: MEDIA_ROOT is never served by URL, only through the access-checked download view.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {
        "BACKEND": os.environ.get("STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": {"location": str(MEDIA_ROOT)}
        if "FileSystemStorage" in os.environ.get("STORAGE_BACKEND", "FileSystemStorage")
        else {},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
if STORAGES["default"]["BACKEND"] == "storages.backends.s3.S3Storage":
    # Several app servers share one S3-compatible object store (docs/deployment.md). The bucket is private:
    # objects are read only by the app or through short-lived presigned URLs (download view, X-Accel-Redirect).
    for _name in ("AWS_STORAGE_BUCKET_NAME", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        if not os.environ.get(_name):
            raise ImproperlyConfigured(f"{_name} must be set when STORAGE_BACKEND is S3Storage")
    STORAGES["default"]["OPTIONS"] = {
        "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
        "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
        "access_key": os.environ["AWS_ACCESS_KEY_ID"],
        "secret_key": os.environ["AWS_SECRET_ACCESS_KEY"],
        "addressing_style": "path",
        "signature_version": "s3v4",
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": env_int("DOWNLOAD_URL_SECONDS", 60),
        "file_overwrite": False,
        # Reads larger than this spool to a temporary file instead of memory.
        "max_memory_size": 2 * 1024 * 1024,
    }
# Set (e.g. "/_object_store/") when nginx serves attachment bytes: the download view checks access, then answers
# X-Accel-Redirect to this internal location plus a presigned URL's path and query (deploy/nginx-*.conf).
DOWNLOAD_ACCEL_PREFIX = os.environ.get("DOWNLOAD_ACCEL_PREFIX", "")
# Uploads larger than this go to a temporary file, never into memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@kjt.hlj.gov.cn")

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 30 * 60)
# Inactivity expiry: requests extend the session, rewritten at most once a minute (security.SessionRefreshMiddleware).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True  # shared office computers: closing the browser ends the session
# 安全审计 (kechuang/audit): rows older than this are removed by `manage.py purge_audit` (minimum 180 days).
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 180)
# 开放接口: calls per token and minute (shared by every app server through the cache), and how long the API
# call log is kept (`manage.py purge_api_log`, minimum 180 days).
API_RATE_LIMIT = env_int("API_RATE_LIMIT", 60)
API_LOG_RETENTION_DAYS = env_int("API_LOG_RETENTION_DAYS", 180)
# Requests declaring a larger body are refused with 413 before it is read (largest attachment: 20 MB).
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", 21 * 1024 * 1024)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading binds every subdomain of the whole domain, for good: the domain owner decides, not the app
        # (docs/security.md). Without it HSTS still applies from the first visit on.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

# A strict Content-Security-Policy: no inline scripts or styles anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

SITE_NAME = _("黑龙江省科技创新服务平台")
PAGE_SIZE = env_int("PAGE_SIZE", 20)

# The task runner (django-tasks, database backend; docs/tasks.md): `manage.py db_worker` runs what is enqueued.
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.backend.DatabaseBackend")}}
# 导出Excel: up to this many rows the file comes straight back; larger exports are written by the task runner.
EXPORT_SYNC_LIMIT = env_int("EXPORT_SYNC_LIMIT", 10_000)
# 验真 (public): requests per minute and client address.
VERIFY_RATE_LIMIT = env_int("VERIFY_RATE_LIMIT", 30)
# The site address printed in the 备案表's QR code (e.g. https://kjt.example.gov.cn); empty: the request's own.
SITE_URL = os.environ.get("SITE_URL", "")
LOGGING["loggers"]["weasyprint.progress"] = {"level": "WARNING"}  # one line per rendered page otherwise
