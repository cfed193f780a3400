"""The task worker: `manage.py db_worker` (django_tasks_db's), made to outlast a locked database.

Listed before `django_tasks_db` in INSTALLED_APPS so that its `db_worker` command wins.
"""
