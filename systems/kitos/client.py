"""A small client of KITOS's API v2 (https://kitos.dk/api/v2/…), read only.

Built from KITOS's own source (Strongminds/kitos, Presentation.Web):

- Controllers/API/V2/External/ItSystemUsages/ItSystemUsageV2Controller.cs:
  `GET api/v2/it-system-usages?organizationUuid=…` with the paging of
  Models/External/V2/Request/BoundedPaginationQuery.cs: `page` (0-based) and `pageSize`
  (1–100, default 100). The other lists, `GET api/v2/it-contracts` and
  `GET api/v2/data-processing-registrations` (DataProcessingRegistrationV2Controller.cs),
  page the same way; a system is `GET api/v2/it-systems/{uuid}`.
- A request carries the user's API token as `Authorization: Bearer <token>`.

A list is read page by page until a page is shorter than the page size, and at most
`KITOS_MAX_PAGES` pages (a KITOS that keeps answering full pages is an error, not an endless
loop). Every failure is a `KitosError` whose message says, in the user's language, what went
wrong and where: KITOS cannot be reached, does not answer in time (`KITOS_TIMEOUT` seconds for
each request), answers an HTTP error, or answers something that is not JSON or not a list.
"""

import json
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.utils.translation import gettext as _

PAGE_SIZE = 100
# The largest answer read (bytes): a page of 100 usages is well under a megabyte.
MAX_ANSWER = 50 * 1024 * 1024


class KitosError(Exception):
    """KITOS could not be read; the message is for the user (and names where)."""


def organization_for(slug: str, setting: str | None = None) -> str:
    """The municipality's organisation uuid in KITOS: DIGISTYR_KITOS_ORGANIZATION is one uuid,
    or `slug=uuid` pairs separated by commas when one installation serves several."""
    value = (settings.KITOS_ORGANIZATION if setting is None else setting).strip()
    if "=" not in value:
        return value
    for pair in value.split(","):
        key, _sep, uuid = pair.partition("=")
        if key.strip() == slug:
            return uuid.strip()
    return ""


class KitosClient:
    def __init__(
        self,
        base_url: str,
        token: str,
        organization: str,
        *,
        timeout: float | None = None,
        max_pages: int | None = None,
        page_size: int = PAGE_SIZE,
    ):
        if not token or not organization:
            raise KitosError(
                _(
                    "KITOS is not set up: DIGISTYR_KITOS_TOKEN and DIGISTYR_KITOS_ORGANIZATION "
                    "must be set."
                )
            )
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.organization = organization
        self.timeout = settings.KITOS_TIMEOUT if timeout is None else timeout
        self.max_pages = settings.KITOS_MAX_PAGES if max_pages is None else max_pages
        self.page_size = page_size

    @classmethod
    def from_settings(cls, slug: str, **options) -> "KitosClient":
        return cls(settings.KITOS_URL, settings.KITOS_TOKEN, organization_for(slug), **options)

    # --- One request ---------------------------------------------------------------------

    def get(self, path: str, **query):
        """The JSON of `GET <base>/api/v2/<path>?<query>`."""
        url = f"{self.base_url}/api/v2/{path}"
        if query:
            url += "?" + urllib.parse.urlencode(query)
        request = urllib.request.Request(
            url,
            headers={"Authorization": f"Bearer {self.token}", "Accept": "application/json"},
        )
        where = f"/api/v2/{path}"
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body = response.read(MAX_ANSWER + 1)
        except urllib.error.HTTPError as error:
            if error.code in (401, 403):
                raise KitosError(
                    _(
                        "KITOS refused the API token (HTTP %(status)s) at %(where)s. Check "
                        "DIGISTYR_KITOS_TOKEN and the user's API access in KITOS."
                    )
                    % {"status": error.code, "where": where}
                ) from error
            raise KitosError(
                _("KITOS answered with an error (HTTP %(status)s) at %(where)s.")
                % {"status": error.code, "where": where}
            ) from error
        except TimeoutError as error:
            raise self._timeout(where) from error
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                raise self._timeout(where) from error
            raise KitosError(
                _("KITOS could not be reached at %(url)s: %(reason)s.")
                % {"url": self.base_url, "reason": error.reason}
            ) from error
        except OSError as error:  # the connection broke while reading
            raise KitosError(
                _("The connection to KITOS broke at %(where)s: %(reason)s.")
                % {"where": where, "reason": error}
            ) from error
        if len(body) > MAX_ANSWER:
            raise KitosError(_("KITOS's answer at %(where)s is too large.") % {"where": where})
        try:
            return json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise KitosError(
                _("KITOS's answer at %(where)s is not JSON (it begins “%(start)s”).")
                % {"where": where, "start": body[:40].decode("utf-8", "replace").strip()}
            ) from error

    def _timeout(self, where: str) -> KitosError:
        return KitosError(
            _("KITOS did not answer within %(seconds)s seconds at %(where)s. Try again later.")
            % {"seconds": self.timeout, "where": where}
        )

    # --- Lists ----------------------------------------------------------------------------

    def pages(self, path: str, **query) -> list[dict]:
        """Every row of a paged list of the organisation."""
        rows: list[dict] = []
        where = f"/api/v2/{path}"
        for page in range(self.max_pages):
            answer = self.get(
                path,
                organizationUuid=self.organization,
                page=page,
                pageSize=self.page_size,
                **query,
            )
            if not isinstance(answer, list) or not all(isinstance(row, dict) for row in answer):
                raise KitosError(
                    _("KITOS's answer at %(where)s (page %(page)s) is not a list of records.")
                    % {"where": where, "page": page + 1}
                )
            rows.extend(answer)
            if len(answer) < self.page_size:
                return rows
        raise KitosError(
            _(
                "KITOS kept sending pages at %(where)s: stopped after %(pages)s pages of "
                "%(size)s. Nothing has been imported."
            )
            % {"where": where, "pages": self.max_pages, "size": self.page_size}
        )

    def usages(self) -> list[dict]:
        return self.pages("it-system-usages")

    def contracts(self) -> list[dict]:
        return self.pages("it-contracts")

    def registrations(self) -> list[dict]:
        return self.pages("data-processing-registrations")

    def system(self, uuid: str) -> dict:
        answer = self.get(f"it-systems/{uuid}")
        if not isinstance(answer, dict):
            raise KitosError(
                _("KITOS's answer at %(where)s is not a record.")
                % {"where": f"/api/v2/it-systems/{uuid}"}
            )
        return answer
