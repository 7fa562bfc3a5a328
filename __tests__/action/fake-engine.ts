/** A stand-in for the engine behind the action's seam: replays a timeline and returns a result. */
import type { Engine } from "../../src/action/engine.js";
import type { AwsPorts } from "../../src/aws/ports.js";
import type { DeployContext } from "../../src/context/types.js";
import type { CageEvent } from "../../src/engine/events.js";
import type { CommandResult } from "../../src/engine/settings.js";

export const context: DeployContext = {
  dir: "deploy",
  serviceFile: "deploy/service.json",
  service: { serviceName: "web", cluster: "prod", desiredCount: 2 },
  taskDefinitionFile: "deploy/task-definition.json",
  taskDefinition: {
    family: "web",
    containerDefinitions: [
      {
        name: "app",
        image: "123456789012.dkr.ecr.us-west-2.amazonaws.com/web:v43",
        logConfiguration: {
          logDriver: "awslogs",
          options: { "awslogs-group": "/ecs/web", "awslogs-stream-prefix": "web" },
        },
      },
    ],
  },
};

export interface Replay {
  events: CageEvent[];
  result?: CommandResult;
  /** Thrown after the events, as an engine crash. */
  error?: Error;
}

export function replayEngine(replay: Replay, calls: { command: string; settings: unknown }[] = []): Engine {
  const run = (command: string) => async (settings: unknown, deps: { events: (e: CageEvent) => void }) => {
    calls.push({ command, settings });
    for (const event of replay.events) deps.events(event);
    if (replay.error) throw replay.error;
    if (!replay.result) throw new Error("replay has no result");
    return replay.result;
  };
  return {
    loadContext: async () => context,
    rollout: run("rollout"),
    up: run("up"),
    runTask: run("run"),
    native: (command, settings, deps) => run(command)(settings, deps),
    audit: async () => {
      throw new Error("no audit in this replay");
    },
  };
}

/** AWS ports that record the calls the post step makes. */
export function recordingAws(calls: string[], fail: string[] = []): AwsPorts {
  const record = (name: string) => async (input: unknown) => {
    calls.push(`${name} ${JSON.stringify(input)}`);
    if (fail.includes(name)) throw new Error(`${name} denied`);
    return {};
  };
  const ports = {
    ecs: { stopTask: record("ecs.stopTask") },
    elbv2: { deregisterTargets: record("elbv2.deregisterTargets") },
  };
  return ports as unknown as AwsPorts;
}
