/**
 * The control API under `/_sim/` (never faulted, never journaled):
 *   GET  /_sim/health            200 {"ok":true}
 *   GET  /_sim/state             the world's snapshot with "now" (ISO) added
 *   POST /_sim/advance           {"seconds": N} → {"now": ISO}
 *   GET  /_sim/calls             the call journal
 *   POST /_sim/faults            a list of fault rules (or {"faults": [...]}), added to the active ones
 *   DELETE /_sim/faults          clears every rule
 *   POST /_sim/world[?variant=V] a world file body; replaces the world (journal and clock carry on)
 *   POST /_sim/alarms            {"name", "state": "OK"|"ALARM"|"INSUFFICIENT_DATA", "reason"?}: sets an alarm
 */
import type { SimClock } from "./clock.js";
import { parseFaultRules } from "./faults.js";
import type { WireResponse } from "./protocols/index.js";
import type { Simulator, WorldLike } from "./simulator.js";

/**
 * Builds a world from a parsed world file, optionally one of its named variants; throws with the source name
 * and JSON path when it is invalid.
 */
export type WorldLoader = (json: unknown, sourceName: string, clock: SimClock, variant?: string) => WorldLike;

function reply(status: number, value: unknown): WireResponse {
  const body = `${JSON.stringify(value, null, 2)}\n`;
  return {
    status,
    headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) },
    body,
  };
}

const problem = (status: number, message: string) => reply(status, { error: message });

function parseBody(body: string): unknown {
  try {
    return body.trim() === "" ? undefined : JSON.parse(body);
  } catch (e) {
    throw new Error(`the request body is not valid JSON: ${(e as Error).message}`);
  }
}

/** The longest single advance: ten years of simulated time. */
export const MAX_ADVANCE_SECONDS = 10 * 365 * 24 * 3600;
/** Simulated time stays within four-digit years, as AWS's timestamps do. */
const LAST_MOMENT = Date.UTC(9999, 11, 31);

/** Why `seconds` cannot be advanced by, checked before the clock moves; undefined when it can. */
function advanceProblem(seconds: unknown, now: number, body: string): string | undefined {
  const form = `body must be {"seconds": N} with N a number from 0 to ${MAX_ADVANCE_SECONDS} (ten years)`;
  if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds < 0 || seconds > MAX_ADVANCE_SECONDS) {
    return `${form}, got ${body.trim().slice(0, 200) || "nothing"}`;
  }
  if (now + seconds * 1000 > LAST_MOMENT) {
    return `advancing ${seconds} s would take the simulated clock past 9999-12-31; the clock stays at ${new Date(now).toISOString()}`;
  }
  return undefined;
}

export async function control(
  sim: Simulator,
  loadWorld: WorldLoader | undefined,
  method: string,
  path: string,
  body: string,
): Promise<WireResponse> {
  const at = `${method} ${path.split("?")[0]}`;
  const iso = () => new Date(sim.clock.now()).toISOString();
  try {
    switch (at) {
      case "GET /_sim/health":
        return reply(200, { ok: true, now: iso() });
      case "GET /_sim/state": {
        const snapshot = sim.world.snapshot();
        const state = typeof snapshot === "object" && snapshot !== null ? snapshot : { world: snapshot };
        return reply(200, { now: iso(), ...state });
      }
      case "POST /_sim/advance": {
        const req = parseBody(body) as { seconds?: unknown } | undefined;
        const refused = advanceProblem(req?.seconds, sim.clock.now(), body);
        if (refused) return problem(400, refused);
        await sim.clock.advance((req!.seconds as number) * 1000);
        return reply(200, { now: iso() });
      }
      case "GET /_sim/calls":
        return reply(200, sim.journal.toJSON());
      case "POST /_sim/faults": {
        const req = parseBody(body);
        const list = Array.isArray(req) ? req : (req as { faults?: unknown } | undefined)?.faults;
        sim.faults.add(parseFaultRules(list, "faults"));
        return reply(200, { faults: sim.faults.rules });
      }
      case "DELETE /_sim/faults":
        sim.faults.clear();
        return reply(200, { faults: [] });
      case "POST /_sim/world": {
        if (!loadWorld) return problem(501, "this simulator was started without a world loader");
        const variant = new URLSearchParams(path.split("?")[1] ?? "").get("variant") ?? undefined;
        sim.replaceWorld(loadWorld(parseBody(body), "POST /_sim/world", sim.clock, variant));
        return reply(200, { ok: true, now: iso() });
      }
      case "POST /_sim/alarms": {
        const req = (parseBody(body) ?? {}) as { name?: unknown; state?: unknown; reason?: unknown };
        const world = sim.world as { setAlarm?: (name: string, state: string, reason: string) => boolean };
        if (!world.setAlarm) return problem(501, "this world has no alarms");
        if (typeof req.name !== "string" || !["OK", "ALARM", "INSUFFICIENT_DATA"].includes(String(req.state))) {
          return problem(400, 'POST /_sim/alarms takes {"name": "...", "state": "OK" | "ALARM" | "INSUFFICIENT_DATA"}');
        }
        const reason = typeof req.reason === "string" ? req.reason : "Set through the control API.";
        if (!world.setAlarm(req.name, String(req.state), reason)) {
          return problem(404, `no alarm named ${JSON.stringify(req.name)} in the world's alarms`);
        }
        return reply(200, { name: req.name, state: req.state, now: iso() });
      }
      default:
        return problem(404, `unknown control endpoint ${at}; see GET /_sim/health, /_sim/state, /_sim/calls`);
    }
  } catch (e) {
    return problem(400, e instanceof Error ? e.message : String(e));
  }
}
