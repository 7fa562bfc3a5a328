/**
 * Which service and operation a request is for: `X-Amz-Target` (ECS, ECR; CloudWatch from the JS SDK), else
 * an RPC v2 CBOR path `/service/<name>/operation/<op>` (CloudWatch from botocore), else the form's `Action` and
 * `Version` (ELBv2, EC2; CloudWatch from older clients), else the SigV4 credential scope's signing name. Signatures are never checked.
 * The region is the credential scope's, else the one in an AWS endpoint host name (`ecs.us-west-2.amazonaws.com`),
 * else left to the world (its own region).
 */
import { type ServiceModel, serviceIds, services, speaking } from "./models.js";
import { decodeCbor } from "./protocols/cbor.js";
import type { WireFailure } from "./protocols/errors.js";
import { formTree } from "./protocols/form.js";
import type { WireRequest } from "./protocols/index.js";

export type Route =
  | { ok: true; model: ServiceModel; action: string; payload: unknown; region?: string }
  | { ok: false; model: ServiceModel; action: string; failure: WireFailure; message: string; region?: string };

function credentialScope(headers: Record<string, string>): { region?: string; service?: string } {
  const m = /Credential=[^/,\s]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(headers.authorization ?? "");
  return m ? { region: m[1], service: m[2] } : {};
}

/** `ecs.us-west-2.amazonaws.com`, `api.ecr.eu-west-1.amazonaws.com`, `elasticloadbalancing.us-east-2.amazonaws.com`. */
const ENDPOINT_HOST =
  /^(?:[a-z0-9-]+\.)*(?:ecs|ecr|elasticloadbalancing|ec2|monitoring)\.([a-z0-9-]+)\.amazonaws\.com(?::\d+)?$/;

function regionOf(headers: Record<string, string>): string | undefined {
  return credentialScope(headers).region ?? ENDPOINT_HOST.exec(headers.host ?? "")?.[1];
}

const bySigningName = (name: string | undefined) =>
  serviceIds.map((id) => services[id]).find((s) => s.signingName === name);

function routeJson(req: WireRequest, region: string | undefined): Route {
  const target = req.headers["x-amz-target"] ?? "";
  const dot = target.indexOf(".");
  const prefix = dot < 0 ? target : target.slice(0, dot);
  const action = dot < 0 ? "" : target.slice(dot + 1);
  const known = serviceIds.map((id) => services[id]).find((s) => s.target === prefix);
  const model = known && speaking(known, "json");
  if (!model) {
    const fallback = bySigningName(credentialScope(req.headers).service) ?? services.ecs;
    const json = fallback.protocol === "json" ? fallback : services.ecs;
    return {
      ok: false,
      model: json,
      action,
      failure: "unknownOperation",
      message: `Unknown target '${target}'`,
      region,
    };
  }
  let payload: unknown;
  try {
    payload = req.body.trim() === "" ? {} : JSON.parse(req.body);
  } catch {
    return { ok: false, model, action, failure: "malformed", message: "The request body is not valid JSON", region };
  }
  return { ok: true, model, action, payload, region };
}

function routeForm(req: WireRequest, region: string | undefined): Route {
  const params = new URLSearchParams(req.body);
  const query = req.path.indexOf("?");
  if (query >= 0) for (const [k, v] of new URLSearchParams(req.path.slice(query + 1))) params.append(k, v);
  const action = params.get("Action") ?? "";
  const version = params.get("Version");
  const byVersion = serviceIds.map((id) => services[id]).find((s) => s.version !== undefined && s.version === version);
  const scoped = bySigningName(credentialScope(req.headers).service);
  const model = byVersion ?? (scoped?.protocol !== "json" ? scoped : undefined);
  if (!model) {
    const message = `Unknown API version '${version ?? ""}' for action '${action}'`;
    return { ok: false, model: services.elbv2, action, failure: "unknownOperation", message, region };
  }
  params.delete("Action");
  params.delete("Version");
  return { ok: true, model, action, payload: formTree(params), region };
}

const CBOR_PATH = /^\/service\/([^/?]+)\/operation\/([^/?]+)/;

function routeCbor(req: WireRequest, path: RegExpExecArray, region: string | undefined): Route {
  const [, name = "", action = ""] = path;
  const known = serviceIds.map((id) => services[id]).find((s) => s.target === name);
  if (!known) {
    const model = speaking(services.cloudwatch, "cbor");
    return { ok: false, model, action, failure: "unknownOperation", message: `Unknown service '${name}'`, region };
  }
  const model = speaking(known, "cbor");
  try {
    return { ok: true, model, action, payload: decodeCbor(req.bytes ?? Buffer.from(req.body, "utf8")), region };
  } catch (e) {
    return { ok: false, model, action, failure: "malformed", message: (e as Error).message, region };
  }
}

export function route(req: WireRequest): Route {
  const region = regionOf(req.headers);
  if (req.headers["x-amz-target"] !== undefined) return routeJson(req, region);
  const cborPath = req.headers["smithy-protocol"] === "rpc-v2-cbor" ? CBOR_PATH.exec(req.path) : null;
  if (cborPath) return routeCbor(req, cborPath, region);
  const type = req.headers["content-type"] ?? "";
  if (type.startsWith("application/x-www-form-urlencoded") || req.path.includes("Action=")) {
    return routeForm(req, region);
  }
  const model = bySigningName(credentialScope(req.headers).service) ?? services.ecs;
  const message = "The request has neither an X-Amz-Target header nor a form-encoded Action";
  return { ok: false, model, action: "", failure: "unknownOperation", message, region };
}
