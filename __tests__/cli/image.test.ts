/** `--image container=image` on the deploy commands: the image is deployed as given, over task-definition.json's. */
import { describe, expect, it } from "vitest";
import { parseCommandLine } from "../../src/cli/args.js";
import { deployCommand } from "../../src/cli/commands/deploy.js";
import { demoWorld } from "./sim-io.js";

const IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v2";

describe("cage rollout --image", () => {
  it("registers and rolls out the image given for the container, the rest of the file as templated", async () => {
    const { sim, io, ports } = demoWorld();
    io.env.IMAGE_TAG = "v1";
    const argv = ["rollout", "--region", "us-east-1", "--image", `app=${IMAGE}`, "deploy-example"];
    expect(await deployCommand(parseCommandLine(argv, io.env), io, ports)).toBe(0);
    const ecs = sim.ports("us-east-1").ecs;
    const service = (await ecs.describeServices({ cluster: "production", services: ["web"] })).services?.[0];
    const td = (await ecs.describeTaskDefinition({ taskDefinition: service?.taskDefinition })).taskDefinition;
    const app = td?.containerDefinitions?.find((c) => c.name === "app");
    expect(td?.revision).toBe(2);
    expect(app?.image).toBe(IMAGE);
    expect(app?.environment).toContainEqual({ name: "RELEASE", value: "v1" });
  });

  it("refuses a container the file does not have before any AWS call", async () => {
    const { sim, io, ports } = demoWorld();
    const argv = ["rollout", "--region", "us-east-1", "--image", `api=${IMAGE}`, "deploy-example"];
    await expect(deployCommand(parseCommandLine(argv, io.env), io, ports)).rejects.toThrow(
      "--image: container 'api' is not in deploy-example/task-definition.json; its containers are: app, log-router",
    );
    expect(sim.journal.calls()).toEqual([]);
  });

  it.each([["app"], ["=x:1"], ["app=a b"]])("refuses the entry %j, saying the form", (entry) => {
    const { io } = demoWorld();
    const values = parseCommandLine(["rollout", "--image", entry, "deploy-example"], io.env).values;
    expect(() => values.checkAll()).toThrow(/--image takes container=image entries like app=/);
  });
});
