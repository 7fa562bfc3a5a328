/** The error codes each service itself uses for failures the wire layer produces (not the world's). */
import type { ServiceId } from "../types.js";

export type WireFailure =
  | "unknownOperation"
  | "malformed"
  | "missing"
  | "type"
  | "throttle"
  | "serverError"
  | "unavailable"
  | "accessDenied";

export interface ErrorSpec {
  code: string;
  status: number;
  message: string;
}

const json: Record<WireFailure, ErrorSpec> = {
  unknownOperation: { code: "UnknownOperationException", status: 400, message: "Unknown operation" },
  malformed: { code: "SerializationException", status: 400, message: "Malformed request body" },
  missing: { code: "InvalidParameterException", status: 400, message: "Missing required parameter" },
  type: { code: "SerializationException", status: 400, message: "Wrong parameter type" },
  throttle: { code: "ThrottlingException", status: 400, message: "Rate exceeded" },
  serverError: { code: "ServerException", status: 500, message: "Service encountered an internal error" },
  unavailable: { code: "ServiceUnavailableException", status: 503, message: "Service is unavailable" },
  accessDenied: { code: "AccessDeniedException", status: 400, message: "Access denied" },
};

const specs: Record<ServiceId, Record<WireFailure, ErrorSpec>> = {
  ecs: json,
  ecr: json,
  elbv2: {
    unknownOperation: { code: "InvalidAction", status: 400, message: "The action is not valid for this endpoint" },
    malformed: { code: "ValidationError", status: 400, message: "Malformed request" },
    missing: { code: "ValidationError", status: 400, message: "Missing required parameter" },
    type: { code: "ValidationError", status: 400, message: "Wrong parameter type" },
    throttle: { code: "Throttling", status: 400, message: "Rate exceeded" },
    serverError: { code: "InternalFailure", status: 500, message: "The request processing has failed" },
    unavailable: { code: "ServiceUnavailable", status: 503, message: "The service is unavailable" },
    accessDenied: { code: "AccessDenied", status: 403, message: "Access denied" },
  },
  cloudwatch: {
    unknownOperation: { code: "InvalidAction", status: 400, message: "The action is not valid for this endpoint" },
    malformed: { code: "InvalidParameterValue", status: 400, message: "Malformed request" },
    missing: { code: "MissingParameter", status: 400, message: "Missing required parameter" },
    type: { code: "InvalidParameterValue", status: 400, message: "Wrong parameter type" },
    throttle: { code: "Throttling", status: 400, message: "Rate exceeded" },
    serverError: { code: "InternalServiceError", status: 500, message: "Internal service error" },
    unavailable: { code: "ServiceUnavailable", status: 503, message: "The service is unavailable" },
    accessDenied: { code: "AccessDenied", status: 403, message: "Access denied" },
  },
  ec2: {
    unknownOperation: { code: "InvalidAction", status: 400, message: "The action is not valid for this web service" },
    malformed: { code: "InvalidParameterValue", status: 400, message: "Malformed request" },
    missing: { code: "MissingParameter", status: 400, message: "Missing required parameter" },
    type: { code: "InvalidParameterValue", status: 400, message: "Wrong parameter type" },
    throttle: { code: "RequestLimitExceeded", status: 503, message: "Request limit exceeded." },
    serverError: { code: "InternalError", status: 500, message: "An internal error has occurred" },
    unavailable: { code: "Unavailable", status: 503, message: "The server is overloaded" },
    accessDenied: { code: "UnauthorizedOperation", status: 403, message: "You are not authorized" },
  },
};

export function wireError(service: ServiceId, failure: WireFailure, message?: string): ErrorSpec {
  const spec = specs[service][failure];
  return message === undefined ? spec : { ...spec, message };
}
