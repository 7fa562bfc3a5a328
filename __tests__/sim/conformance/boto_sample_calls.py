"""Calls each operation with an input filled from botocore's own model; prints what boto3 parsed.

stdin: [{"service": "ecs", "op": "DescribeTasks"}, ...]; argv[1]: endpoint URL.
stdout: [{"result": {...}, "modelPaths": [...]} | {"error": {...}}, ...] (datetimes and bytes as {"$type", "value"}).
"""
import datetime
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError


def sample(shape, name, depth):
    if shape.type_name == "structure":
        if depth > 12:
            return None
        out = {}
        for member, sub in shape.members.items():
            value = sample(sub, member, depth + 1)
            if value is not None:
                out[member] = value
                if getattr(shape, "is_tagged_union", False):
                    break
        return out
    if shape.type_name == "list":
        item = sample(shape.member, name, depth + 1)
        return None if item is None else [item, item]
    if shape.type_name == "map":
        value = sample(shape.value, name, depth + 1)
        return None if value is None else {"k1": value}
    if shape.type_name == "timestamp":
        return datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    if shape.type_name == "blob":
        return b"\x01\x02"
    if shape.type_name == "boolean":
        return True
    if shape.type_name in ("integer", "long", "float", "double"):
        return 7
    if shape.type_name == "string":
        return shape.enum[0] if shape.enum else f"{name}-x"
    return None


def model_paths(shape, path, depth, out):
    """Every member path botocore's model knows, in the test's notation (`a.b[].c`)."""
    if depth > 14:
        return out
    if shape.type_name == "structure":
        for member, sub in shape.members.items():
            child = f"{path}.{member}" if path else member
            out.append(child)
            model_paths(sub, child, depth + 1, out)
    elif shape.type_name == "list":
        out.append(f"{path}[]")
        model_paths(shape.member, f"{path}[]", depth + 1, out)
    elif shape.type_name == "map":
        out.append(f"{path}.k1")
        model_paths(shape.value, f"{path}.k1", depth + 1, out)
    return out


def main():
    endpoint = sys.argv[1]
    calls = json.load(sys.stdin)
    session = boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1")
    config = Config(retries={"max_attempts": 1, "mode": "standard"}, parameter_validation=False)
    out = []
    for call in calls:
        client = session.client(call["service"], endpoint_url=endpoint, config=config)
        model = client.meta.service_model.operation_model(call["op"])
        params = sample(model.input_shape, "in", 0) if model.input_shape else {}
        params.pop("DryRun", None)
        try:
            method = {api: m for m, api in client.meta.method_to_api_mapping.items()}[call["op"]]
            result = getattr(client, method)(**params)
            result.pop("ResponseMetadata", None)
            known = model_paths(model.output_shape, "", 0, []) if model.output_shape else []
            out.append({"result": result, "modelPaths": known})
        except ClientError as e:
            out.append({"error": e.response.get("Error", {})})
    json.dump(out, sys.stdout, default=lambda v: {"$type": type(v).__name__, "value": str(v)})


main()
