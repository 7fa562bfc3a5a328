/** One HTTP port for all four services plus the `/_sim/` control API. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { control, type WorldLoader } from "../control.js";
import type { WireResponse } from "../protocols/index.js";
import type { Simulator } from "../simulator.js";

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Header names as AWS spells them on the wire; the in-process transport keeps them lower-case for the SDK. */
const wireNames: Record<string, string> = { "x-amzn-requestid": "x-amzn-RequestId", "content-type": "Content-Type" };

function send(res: ServerResponse, r: WireResponse): void {
  const headers = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [wireNames[k] ?? k, v]));
  res.writeHead(r.status, headers);
  res.end(r.bytes ?? r.body);
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(",") : v;
  }
  return out;
}

export interface SimServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export async function startHttpServer(
  sim: Simulator,
  options: { host?: string; port?: number; loadWorld?: WorldLoader } = {},
): Promise<SimServer> {
  const server = createServer(async (req, res) => {
    try {
      const path = req.url ?? "/";
      const bytes = await readBody(req);
      const body = bytes.toString("utf8");
      if (path.startsWith("/_sim/")) {
        send(res, await control(sim, options.loadWorld, req.method ?? "GET", path, body));
        return;
      }
      const result = await sim.dispatch({ method: req.method ?? "POST", path, headers: headersOf(req), body, bytes });
      if (result.dropped) {
        req.socket.destroy();
        return;
      }
      send(res, result);
    } catch (e) {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(`simulator transport failure: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return {
    server,
    url: `http://${shownHost}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
