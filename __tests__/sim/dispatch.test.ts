import { describe, expect, it } from "vitest";
import { createSimulator } from "../../src/sim/simulator.js";
import { TG_ARN, testWorld } from "./fixtures.js";

const sim = () => createSimulator({ world: testWorld() });
const json = (target: string, body: string) => ({
  method: "POST",
  path: "/",
  headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": target },
  body,
});
const form = (body: string, scope?: string) => ({
  method: "POST",
  path: "/",
  headers: {
    "content-type": "application/x-www-form-urlencoded; charset=utf-8",
    ...(scope ? { authorization: `AWS4-HMAC-SHA256 Credential=test/20260101/eu-west-1/${scope}/aws4_request, x` } : {}),
  },
  body,
});

describe("routing and wire errors", () => {
  it.each([
    [
      "an ECS operation the SDK does not know",
      json("AmazonEC2ContainerServiceV20141113.Nope", "{}"),
      400,
      "UnknownOperationException",
    ],
    [
      "an ECS operation the world does not implement",
      json("AmazonEC2ContainerServiceV20141113.CreateCluster", "{}"),
      400,
      "UnknownOperationException",
    ],
    ["an unknown target prefix", json("Foo_2020.Bar", "{}"), 400, "UnknownOperationException"],
    [
      "malformed JSON",
      json("AmazonEC2ContainerServiceV20141113.DescribeTasks", "{oops"),
      400,
      "SerializationException",
    ],
    [
      "a wrongly typed member",
      json("AmazonEC2ContainerServiceV20141113.DescribeTasks", '{"tasks":"a"}'),
      400,
      "SerializationException",
    ],
    [
      "a missing required member",
      json("AmazonEC2ContainerServiceV20141113.DescribeTasks", "{}"),
      400,
      "InvalidParameterException",
    ],
  ])("answers %s with a JSON error", async (_, req, status, code) => {
    const res = await sim().dispatch(req);
    expect(res.status).toBe(status);
    expect(res.headers["content-type"]).toBe("application/x-amz-json-1.1");
    expect(res.headers["x-amzn-requestid"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(res.body).__type).toBe(code);
  });

  it.each([
    ["an unknown ELBv2 action", "Action=Nope&Version=2015-12-01", "<Code>InvalidAction</Code>", "<ErrorResponse"],
    [
      "a missing ELBv2 parameter",
      "Action=DescribeTargetHealth&Version=2015-12-01",
      "<Code>ValidationError</Code>",
      "<ErrorResponse",
    ],
    [
      "a non-numeric ELBv2 number",
      `Action=DescribeTargetGroups&Version=2015-12-01&PageSize=ten`,
      "<Code>ValidationError</Code>",
      "<ErrorResponse",
    ],
    ["an unknown EC2 action", "Action=Nope&Version=2016-11-15", "<Code>InvalidAction</Code>", "<Response><Errors>"],
    [
      "an unknown API version",
      "Action=DescribeSubnets&Version=1999-01-01",
      "<Code>InvalidAction</Code>",
      "<ErrorResponse",
    ],
  ])("answers %s with the protocol's XML error", async (_, body, code, root) => {
    const res = await sim().dispatch(form(body));
    expect(res.status).toBe(400);
    expect(res.headers["content-type"]).toBe("text/xml");
    expect(res.body).toContain(code);
    expect(res.body).toContain(root);
  });

  it("routes a form without Version by the credential scope, and reads the region from it", async () => {
    const s = sim();
    const res = await s.dispatch(form("Action=DescribeSubnets&SubnetId.1=subnet-x", "ec2"));
    expect(res.status).toBe(200);
    expect(res.body).toContain("<subnetId>subnet-x</subnetId>");
    expect(s.journal.calls()[0]).toMatchObject({ service: "ec2", operation: "DescribeSubnets" });
  });

  it("accepts the CLI's spaced JSON and an empty body", async () => {
    const s = sim();
    const spaced = await s.dispatch(
      json("AmazonEC2ContainerServiceV20141113.DescribeTasks", '{"tasks": ["a"], "cluster": "c"}'),
    );
    expect(spaced.status).toBe(200);
    const empty = await s.dispatch(json("AmazonEC2ContainerServiceV20141113.ListTasks", ""));
    expect(JSON.parse(empty.body).taskArns).toHaveLength(3);
  });

  it("writes JSON timestamps as epoch seconds of simulated time", async () => {
    const s = sim();
    const res = await s.dispatch(json("AmazonEC2ContainerServiceV20141113.DescribeTasks", '{"tasks":["a"]}'));
    expect(JSON.parse(res.body).tasks[0].createdAt).toBe(s.clock.now() / 1000);
  });

  it("never puts simulated time in a Date header", async () => {
    const res = await sim().dispatch(form(`Action=DescribeTargetHealth&Version=2015-12-01&TargetGroupArn=${TG_ARN}`));
    expect(Object.keys(res.headers).map((h) => h.toLowerCase())).not.toContain("date");
  });
});
