import { describe, expect, it } from "vitest";
import { type InstanceFacts, matches, parseFilter } from "../../../src/sim/world/query.js";

const facts: InstanceFacts = {
  agentConnected: true,
  agentVersion: "1.89.0",
  attributes: new Map([
    ["ecs.instance-type", "t3.large"],
    ["ecs.availability-zone", "us-east-1b"],
  ]),
  ec2InstanceId: "i-0abc",
  registeredAt: Date.parse("2026-01-01T00:00:00Z"),
  runningTasksCount: 2,
  taskGroups: ["service:web", "family:batch"],
};

describe("the cluster query language", () => {
  it.each([
    ["attribute:ecs.instance-type == t3.large", true],
    ["attribute:ecs.instance-type equals m5.large", false],
    ["attribute:ecs.instance-type != m5.large", true],
    ["attribute:ecs.availability-zone in [us-east-1a, us-east-1b]", true],
    ["attribute:ecs.availability-zone in (us-east-1a)", false],
    ["attribute:ecs.availability-zone !in [us-east-1a]", true],
    ["attribute:ecs.instance-type =~ t3.*", true],
    ["attribute:ecs.instance-type !~ t3.*", false],
    ["attribute:ecs.instance-type matches t2.*", false],
    ["attribute:stack exists", false],
    ["attribute:stack !exists", true],
    ["attribute:stack not_exists", true],
    ["runningTasksCount > 1", true],
    ["runningTasksCount >= 3", false],
    ["runningTasksCount == 2", true],
    ["runningTasksCount less_than 2", false],
    ["agentVersion >= 1.9.0", true],
    ["agentVersion < 1.100.0", true],
    ["registeredAt < 2026-06-01", true],
    ["registeredAt > 2026-01-01T00:00:00Z", false],
    ["ec2InstanceId == i-0abc", true],
    ["agentConnected == true", true],
    ["task:group == service:web", true],
    ["task:group == service:api", false],
    ["attribute:ecs.instance-type == t3.large and runningTasksCount < 2", false],
    ["attribute:ecs.instance-type == t3.large && runningTasksCount <= 2", true],
    ["runningTasksCount == 0 or attribute:ecs.availability-zone == us-east-1b", true],
    ["runningTasksCount == 0 || ec2InstanceId == i-other", false],
    ["not (runningTasksCount == 0 or ec2InstanceId == i-other)", true],
    ["!(attribute:ecs.instance-type == t3.large)", false],
  ])("%s → %s", (filter, expected) => {
    expect(matches(parseFilter(filter), facts)).toBe(expected);
  });

  it.each([
    ["", "the expression is empty"],
    ["attribute:ecs.instance-type ==", "the expression ends too early"],
    ["instanceType == t3.large", 'unknown subject "instanceType"'],
    ["runningTasksCount is 2", 'unknown operator "is"'],
    ["ec2InstanceId > i-0abc", "ec2InstanceId cannot be compared with >"],
    ["attribute:ecs.availability-zone in us-east-1a", "in needs a list like [a, b]"],
    ["(runningTasksCount == 2", 'expected ")"'],
    ["runningTasksCount == 2 runningTasksCount == 3", 'unexpected "runningTasksCount"'],
    ["runningTasksCount == 2 and", "the expression ends too early"],
  ])("rejects %j as ECS does: %s", (filter, why) => {
    expect(() => parseFilter(filter)).toThrow(
      expect.objectContaining({
        code: "InvalidParameterException",
        message: `Invalid filter expression "${filter}": ${why}.`,
      }),
    );
  });
});
