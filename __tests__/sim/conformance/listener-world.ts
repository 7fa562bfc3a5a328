/** The demo world with a second target group and a listener whose production and test rules forward to both. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const BLUE_TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/6d0ecf831eec9f09";
export const GREEN_TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-green/0a1b2c3d4e5f6789";
export const LB = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web-alb/50dc6c495c0c9188";
export const LISTENER =
  "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web-alb/50dc6c495c0c9188/f2f7dc8efc522ab2";
export const PROD_RULE =
  "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web-alb/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee";
export const TEST_RULE =
  "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web-alb/50dc6c495c0c9188/f2f7dc8efc522ab2/1a2b3c4d5e6f7a8b";

/** The web service's load balancer as a user switches it to a native strategy: blue live, green idle. */
export const BLUE_GREEN_LOAD_BALANCERS = [
  {
    targetGroupArn: BLUE_TG,
    containerName: "app",
    containerPort: 8080,
    advancedConfiguration: {
      alternateTargetGroupArn: GREEN_TG,
      productionListenerRule: PROD_RULE,
      testListenerRule: TEST_RULE,
      roleArn: "arn:aws:iam::123456789012:role/ecsInfrastructureRole",
    },
  },
];

const demo = fileURLToPath(new URL("../../../deploy-example/world.json", import.meta.url));

export function listenerWorldJson(change: (world: any) => void = () => {}): any {
  const world = JSON.parse(readFileSync(demo, "utf8"));
  const blue = world.targetGroups[0];
  world.targetGroups.push({ ...blue, name: "web-green", arn: GREEN_TG, loadBalancers: [] });
  world.listeners = [
    {
      name: "http",
      loadBalancer: "web-alb",
      arn: LISTENER,
      port: 80,
      actions: [{ Type: "fixed-response", FixedResponseConfig: { StatusCode: "404" } }],
      rules: [
        {
          name: "production",
          arn: PROD_RULE,
          priority: 10,
          conditions: [{ Field: "path-pattern", Values: ["/*"] }],
          forward: [
            { targetGroup: "web-tg", weight: 100 },
            { targetGroup: "web-green", weight: 0 },
          ],
        },
        {
          name: "test",
          arn: TEST_RULE,
          priority: 5,
          conditions: [{ Field: "http-header", HttpHeaderConfig: { HttpHeaderName: "X-Test", Values: ["1"] } }],
          forward: [
            { targetGroup: "web-tg", weight: 100 },
            { targetGroup: "web-green", weight: 0 },
          ],
        },
      ],
    },
  ];
  change(world);
  return world;
}

/** The demo world with web:2 (image v2) registered too. */
export function withWebV2(world: any): void {
  const v1 = world.taskDefinitions[0];
  world.taskDefinitions.push({
    ...v1,
    containerDefinitions: v1.containerDefinitions.map((c: any) =>
      c.name === "app" ? { ...c, image: c.image.replace(":v1", ":v2") } : c,
    ),
  });
}

/** Writes the world to a fresh temporary file and returns its path. */
export function writeListenerWorld(change?: (world: any) => void): string {
  const file = join(mkdtempSync(join(tmpdir(), "cage-listeners-")), "world.json");
  writeFileSync(file, JSON.stringify(listenerWorldJson(change)));
  return file;
}
