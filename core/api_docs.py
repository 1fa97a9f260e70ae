"""The API reference as an ordinary, accessible page, generated from the OpenAPI schema.

Swagger UI fails axe-core (contrast, nested controls, landmarks) and loads from a CDN; this
page shows the same schema in the design system, readable with a keyboard and screen reader.
"""

from dataclasses import dataclass, field

from drf_spectacular.generators import SchemaGenerator

METHODS = ["get", "post", "put", "patch", "delete"]


@dataclass
class Field:
    name: str
    type: str
    required: bool
    read_only: bool
    description: str


@dataclass
class Operation:
    method: str
    path: str
    anchor: str
    description: str
    parameters: list[Field] = field(default_factory=list)
    body: list[Field] = field(default_factory=list)
    responses: list[tuple[str, str]] = field(default_factory=list)


def _resolve(schema: dict, components: dict) -> dict:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return {
            **_resolve(schema["allOf"][0], components),
            **{k: v for k, v in schema.items() if k != "allOf"},
        }
    return schema


def _type(schema: dict, components: dict) -> str:
    schema = _resolve(schema, components)
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"] if v not in ("", None)) or "string"
    if "oneOf" in schema:
        return " | ".join(_type(s, components) for s in schema["oneOf"])
    kind = schema.get("type", "object")
    if kind == "array":
        return f"array of {_type(schema.get('items', {}), components)}"
    if schema.get("format"):
        kind = f"{kind} ({schema['format']})"
    if schema.get("nullable"):
        kind += ", null"
    return kind


def _fields(schema: dict, components: dict) -> list[Field]:
    schema = _resolve(schema, components)
    required = set(schema.get("required", []))
    return [
        Field(
            name=name,
            type=_type(prop, components),
            required=name in required,
            read_only=bool(_resolve(prop, components).get("readOnly") or prop.get("readOnly")),
            description=prop.get("description") or prop.get("title") or "",
        )
        for name, prop in schema.get("properties", {}).items()
    ]


def operations() -> list[Operation]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema.get("components", {}).get("schemas", {})
    result = []
    for path, item in schema["paths"].items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            operation = Operation(
                method=method.upper(),
                path=path,
                anchor=op["operationId"],
                description=op.get("description", ""),
                parameters=[
                    Field(
                        name=p["name"],
                        type=f"{p['in']}: {_type(p.get('schema', {}), components)}",
                        required=p.get("required", False),
                        read_only=False,
                        description=p.get("description", ""),
                    )
                    for p in op.get("parameters", [])
                ],
            )
            content = op.get("requestBody", {}).get("content", {})
            body = content.get("application/json") or next(iter(content.values()), None)
            if body:
                operation.body = [f for f in _fields(body["schema"], components) if not f.read_only]
            operation.responses = [
                (code, response.get("description", ""))
                for code, response in op["responses"].items()
            ]
            result.append(operation)
    return result
