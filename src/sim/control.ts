/**
 * The control API under `/_sim/` (never faulted, never journaled):
 *   GET  /_sim/health            200 {"ok":true}
 *   GET  /_sim/state             the world's snapshot with "now" (ISO) added
 *   POST /_sim/advance           {"seconds": N} → {"now": ISO}
 *   GET  /_sim/calls             the call journal
 *   POST /_sim/faults            a list of fault rules (or {"faults": [...]}), added to the active ones
 *   DELETE /_sim/faults          clears every rule
 *   POST /_sim/world[?variant=V] a world file body; replaces the world (journal and clock carry on)
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
        const seconds = req?.seconds;
        if (typeof seconds !== "number" || !(seconds >= 0)) {
          return problem(400, `body must be {"seconds": N} with N >= 0, got ${body.trim() || "nothing"}`);
        }
        await sim.clock.advance(seconds * 1000);
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
      default:
        return problem(404, `unknown control endpoint ${at}; see GET /_sim/health, /_sim/state, /_sim/calls`);
    }
  } catch (e) {
    return problem(400, e instanceof Error ? e.message : String(e));
  }
}
