"""WSGI entry point (gunicorn stepahead.config.wsgi).

In production the static files must have been collected first (`manage.py collectstatic`): the
manifest storage cannot name a stylesheet without its manifest, and every page would answer 500.
Refusing to start says so at once instead.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stepahead.config.settings")
application = get_wsgi_application()


def _require_collected_static() -> None:
    from pathlib import Path

    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    if settings.PRODUCTION and not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        raise ImproperlyConfigured(
            f"No collected static files in {settings.STATIC_ROOT}: run "
            "`python manage.py collectstatic --noinput` before starting the server."
        )


_require_collected_static()
