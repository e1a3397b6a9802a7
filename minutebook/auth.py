"""Authentication backend: Django's ``ModelBackend`` reading a login's permissions in one query.

``ModelBackend`` reads a login's own permissions and its groups' permissions in two queries,
the first time a request asks (``has_perm``), and keeps them on the user object for that
request. Every signed-in page asks (the reader's class is a permission), so this backend reads
both in one query, a union, and keeps them the same way: nothing outlives the request, so a
permission taken away counts from the next request, as with ``ModelBackend``. Knows no app.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission


class ModelBackendOneQuery(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        """Each "app_label.codename" permission the login holds, its own and its groups'
        (every permission for an active superuser); none for an inactive or anonymous login or
        an object. One query the first time per user object, then none."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            names = ("content_type__app_label", "codename")
            if user_obj.is_superuser:
                rows = Permission.objects.values_list(*names)
            else:
                own = Permission.objects.filter(user=user_obj).values_list(*names).order_by()
                held = Permission.objects.filter(group__user=user_obj).values_list(*names)
                rows = own.union(held.order_by())
            user_obj._perm_cache = {f"{label}.{codename}" for label, codename in rows}
        return user_obj._perm_cache
