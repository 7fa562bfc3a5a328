/** Reads back what a main step recorded as it went (its `resource` events), for a cleanup in another process. */
import type { Registration } from "./canary.js";
import type { CageEvent } from "./events.js";

export interface RecordedCanary {
  taskArn: string;
  cluster?: string;
  registrations: Registration[];
}

export function recordedCanaries(events: readonly CageEvent[]): RecordedCanary[] {
  const canaries = new Map<string, RecordedCanary>();
  for (const event of events) {
    if (event.type !== "resource") continue;
    if (event.kind === "canary-task") {
      const cluster = event.detail?.cluster;
      canaries.set(event.id, {
        taskArn: event.id,
        ...(typeof cluster === "string" ? { cluster } : {}),
        registrations: canaries.get(event.id)?.registrations ?? [],
      });
    }
    if (event.kind === "target-registration") {
      const taskArn = String(event.detail?.taskArn ?? "");
      const targetGroupArn = String(event.detail?.targetGroupArn ?? "");
      const id = String(event.detail?.targetId ?? "");
      const port = Number(event.detail?.port);
      if (!taskArn || !targetGroupArn || !id || !Number.isFinite(port)) continue;
      const canary = canaries.get(taskArn) ?? { taskArn, registrations: [] };
      canary.registrations.push({ targetGroupArn, id, port });
      canaries.set(taskArn, canary);
    }
  }
  return [...canaries.values()];
}
