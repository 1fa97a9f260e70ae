"""The search box's results page: `/soeg/?q=…` grouped by kind, ten hits of each with a link
to all of that kind (`&type=…`, paged)."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.permissions import permission_required
from search import fulltext, services
from search.models import Kind

PAGE_SIZE = 50


@permission_required("core.view")
def results(request: HttpRequest) -> HttpResponse:
    query = fulltext.clean_query(request.GET.get("q"))
    kind = request.GET.get("type")
    context = {
        "query": query,
        "searched": bool(query),
        "has_words": bool(fulltext.query_words(query)),
    }
    if kind in Kind.values:
        page = Paginator(services.matching(request.user, query, kind), PAGE_SIZE).get_page(
            request.GET.get("side")
        )
        context |= {
            "kind": kind,
            "kind_label": Kind(kind).label,
            "page": page,
            "hits": list(page.object_list),
        }
    else:
        groups = services.search(request.user, query)
        context |= {"groups": groups, "total": sum(group.count for group in groups)}
    return render(request, "search/results.html", context)
