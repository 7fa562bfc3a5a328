/** As on AWS, the service revision a deployment makes ends in that deployment's number: `ecs-svc/<N>` → `…/<N>`. */
import { describe, expect, it } from "vitest";
import { Harness } from "./harness.js";

describe("a ROLLING deployment's service deployment", () => {
  it("targets the revision numbered as the deployment, and lists with ListServiceDeployments", () => {
    const h = Harness.demo();
    const web2 = h.registerWeb("v2");
    const svc = h.call("ecs", "UpdateService", { cluster: "production", service: "web", taskDefinition: web2 }).service;
    const primary = svc.deployments.find((d: any) => d.status === "PRIMARY");
    const n = primary.id.replace("ecs-svc/", "");
    const listed = h.call("ecs", "ListServiceDeployments", {
      cluster: "production",
      service: "web",
    }).serviceDeployments;
    const own = listed.find((d: any) => d.serviceDeploymentArn === svc.currentServiceDeployment);
    expect(own.targetServiceRevisionArn).toBe(
      `arn:aws:ecs:us-east-1:123456789012:service-revision/production/web/${n}`,
    );
    const revision = h.call("ecs", "DescribeServiceRevisions", { serviceRevisionArns: [own.targetServiceRevisionArn] })
      .serviceRevisions[0];
    expect(revision.taskDefinition).toBe(web2);
  });
});
