"""The API's paging (`DEFAULT_PAGINATION_CLASS`), in a module of its own: DRF imports the
default paging class while `rest_framework.generics` is being imported, so this module
imports nothing that imports that."""

from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

from core.paging import keys_of, rows_for


class TenantPagination(LimitOffsetPagination):
    """Limit/offset paging with bounds, so huge numbers never reach the database.

    `limit` is 1 to `max_limit`, `offset` 0 to `max_offset`; anything else (not a whole
    number, negative, no rows, past the bounds) is answered 400 naming the parameter, where
    DRF would quietly use its default. The schema says the same bounds.
    """

    max_limit = 500
    max_offset = 2**31 - 1

    def paginate_queryset(self, queryset, request, view=None):
        """Ordered by a related row's column (the decision log by its meetings' dates), the
        page is read by keys, as the pages do (`core.paging.page_by_keys`): the page's keys
        by the filters and order alone, then those rows with their related rows."""
        if not isinstance(queryset, QuerySet) or not any(
            "__" in str(field) for field in queryset.query.order_by
        ):
            return super().paginate_queryset(queryset, request, view)
        page = super().paginate_queryset(keys_of(queryset), request, view)
        return None if page is None else rows_for(queryset, page)

    def get_limit(self, request):
        limit = self._bounded(request, self.limit_query_param, 1, self.max_limit)
        return self.default_limit if limit is None else limit

    def get_offset(self, request):
        offset = self._bounded(request, self.offset_query_param, 0, self.max_offset)
        return 0 if offset is None else offset

    @staticmethod
    def _bounded(request, name: str, low: int, high: int) -> int | None:
        """The whole number in the query parameter `name`; None when absent; 400 when it is
        not one from `low` to `high` (`?limit=` is none)."""
        raw = request.query_params.get(name)
        if raw is None:
            return None
        field = serializers.IntegerField(min_value=low, max_value=high)
        try:
            return field.run_validation(raw)
        except ValidationError as exc:
            raise ValidationError({name: exc.detail}) from exc

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.limit_query_param: {"minimum": 1, "maximum": self.max_limit},
            self.offset_query_param: {"minimum": 0, "maximum": self.max_offset},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters
