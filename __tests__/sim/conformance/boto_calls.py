"""Runs a list of boto3 calls against an endpoint and prints each outcome as JSON.

stdin: [{"service": "ecs", "op": "describe_tasks", "params": {...}}, ...]; argv[1]: endpoint URL.
A call may also give "region" (default us-east-1) and "validate": false to send parameters botocore would refuse.
stdout: [{"result": {...}} | {"error": {"code", "message", "status"}}, ...]
"""
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError


def main():
    endpoint = sys.argv[1]
    calls = json.load(sys.stdin)
    session = boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1")
    out = []
    for call in calls:
        config = Config(
            retries={"max_attempts": 1, "mode": "standard"},
            parameter_validation=call.get("validate", True),
        )
        region = call.get("region", "us-east-1")
        client = session.client(call["service"], endpoint_url=endpoint, config=config, region_name=region)
        try:
            result = getattr(client, call["op"])(**call.get("params", {}))
            result.pop("ResponseMetadata", None)
            out.append({"result": result})
        except ClientError as e:
            err = e.response.get("Error", {})
            status = e.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            out.append({"error": {"code": err.get("Code"), "message": err.get("Message"), "status": status}})
    json.dump(out, sys.stdout, default=lambda v: {"$type": type(v).__name__, "value": str(v)})


main()
