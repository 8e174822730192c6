#!/usr/bin/env python3
"""Validates a JSON file against a JSON Schema, with only the standard library.

Supports the keywords docs/report.schema.json uses: type, const, enum, required, properties,
additionalProperties, propertyNames (pattern), items, minimum, maximum. An unsupported keyword
is an error, so the schema cannot silently outgrow the checker.
Usage: check_schema.py SCHEMA FILE
"""
import json
import re
import sys

KNOWN = {"$schema", "$id", "title", "description", "type", "const", "enum", "required",
         "properties", "additionalProperties", "propertyNames", "items", "minimum", "maximum",
         "pattern"}
TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


def type_ok(value, name):
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, TYPES[name])


def check(value, schema, path, errors):
    unknown = set(schema) - KNOWN
    if unknown:
        raise SystemExit(f"schema keyword(s) not supported at {path}: {sorted(unknown)}")
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(type_ok(value, n) for n in names):
            errors.append(f"{path}: expected {'/'.join(names)}, got {type(value).__name__}")
            return
    if "const" in schema and value != schema["const"]:
        errors.append(f"{path}: expected {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: expected one of {schema['enum']}")
    if "minimum" in schema and type_ok(value, "number") and value < schema["minimum"]:
        errors.append(f"{path}: {value} < minimum {schema['minimum']}")
    if "maximum" in schema and type_ok(value, "number") and value > schema["maximum"]:
        errors.append(f"{path}: {value} > maximum {schema['maximum']}")
    if "pattern" in schema and isinstance(value, str) and not re.search(schema["pattern"], value):
        errors.append(f"{path}: {value!r} does not match {schema['pattern']}")
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                errors.append(f"{path}: missing required field '{key}'")
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if "propertyNames" in schema:
                check(key, schema["propertyNames"], f"{path} key {key!r}", errors)
            if key in props:
                check(item, props[key], f"{path}.{key}", errors)
            elif extra is False:
                errors.append(f"{path}: unexpected field '{key}'")
            elif isinstance(extra, dict):
                check(item, extra, f"{path}.{key}", errors)
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            check(item, schema["items"], f"{path}[{i}]", errors)


def main():
    schema_path, file_path = sys.argv[1], sys.argv[2]
    with open(schema_path) as f:
        schema = json.load(f)
    with open(file_path) as f:
        value = json.load(f)
    errors = []
    check(value, schema, "$", errors)
    for e in errors[:20]:
        print(f"{file_path}: {e}", file=sys.stderr)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
