"""The API's schema: what every operation answers when it fails, and the schema class that
says so (`DEFAULT_SCHEMA_CLASS`).

A module of its own: `extend_schema` asks for the schema class while the modules that use it
are being imported, so this one imports none of them.
"""

from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent

# --- The errors --------------------------------------------------------------------

MESSAGES = {"type": "array", "items": {"type": "string"}}

VALIDATION_ERROR = {
    "type": "object",
    "description": "What is wrong with the request: the messages of each field by its name "
    "(of each value for a field of several: by position, or one object per row); "
    "`non_field_errors` for the request as a whole; `detail` when the request could not be "
    "read at all.",
    "properties": {"non_field_errors": MESSAGES, "detail": {"type": "string"}},
    "additionalProperties": {
        "anyOf": [
            MESSAGES,
            {"type": "array", "items": {"type": "object", "additionalProperties": True}},
            {"type": "object", "additionalProperties": True},
        ]
    },
}
ERROR = {
    "type": "object",
    "description": "Why the request was refused.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
REFUSAL = {
    "type": "object",
    "description": "Why the request was refused, and the permission the user lacks.",
    "properties": {
        "detail": {"type": "string", "description": "The refusal, in the user's language."},
        "permission": {
            "type": "string",
            "description": "The permission the user lacks, as app.name (meetings.edit); "
            "absent when the refusal is not about a right (a read-only API key).",
        },
    },
    "required": ["detail"],
}

WRITES = {"POST", "PUT", "PATCH", "DELETE"}

# Status code: (component, its schema, description, when the operation can answer it).
ERRORS = {
    "400": (
        "ValidationErrorResponse",
        VALIDATION_ERROR,
        "Bad input: nothing was written; the messages per field.",
        lambda method, parameters: (
            method in WRITES or any(parameter["in"] == "query" for parameter in parameters)
        ),
    ),
    "401": (
        "ErrorResponse",
        ERROR,
        "Not logged in, or the API key is not valid.",
        lambda method, parameters: True,
    ),
    "403": (
        "RefusalResponse",
        REFUSAL,
        "The user may not do this.",
        lambda method, parameters: True,
    ),
    "404": (
        "ErrorResponse",
        ERROR,
        "No such row in the user's municipality, or one the user may not see.",
        lambda method, parameters: any(parameter["in"] == "path" for parameter in parameters),
    ),
}


class AutoSchema(openapi.AutoSchema):
    """The schema of every operation (`DEFAULT_SCHEMA_CLASS`), with the errors it can answer:
    400 with the messages per field for every write and every operation with query parameters;
    401 and 403 for all; 404 for those of one row. An error an operation declares itself keeps
    its description and gets the body's shape when it declares none."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        parameters = operation.get("parameters", [])
        responses = operation.setdefault("responses", {})
        for code, (name, schema, description, applies) in ERRORS.items():
            declared = responses.get(code)
            if declared is None and not applies(self.method, parameters):
                continue
            component = ResolvedComponent(
                name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema
            )
            self.registry.register_on_missing(component)
            response = declared if declared is not None else {"description": description}
            if not response.get("content"):
                response["content"] = {"application/json": {"schema": component.ref}}
            responses[code] = response
        operation["responses"] = dict(sorted(responses.items()))
        return operation


class WithheldCharFieldSchema(OpenApiSerializerFieldExtension):
    """`core.api.WithheldCharField`: a string, which an answer may give as null."""

    target_class = "core.api.WithheldCharField"

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if direction == "response":
            schema["nullable"] = True
        return schema
