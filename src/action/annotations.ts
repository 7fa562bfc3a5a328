/** Annotations on task-definition.json at the line of each image whose findings reach `fail-on`. */

import { type AuditReport, countsOf, type FailOn, failingSeverities, imageLines } from "../audit/index.js";
import type { DeployContext } from "../context/types.js";
import * as stepLog from "./log.js";

/** GitHub shows 10 error annotations per step; one is kept for the verdict. */
const MAX_ANNOTATIONS = 9;

export interface ImageAnnotation {
  file: string;
  line: number;
  title: string;
  message: string;
}

/** The 1-based line of the `"image"` of the container (the one SARIF results point at too). */
export function imageLine(text: string, container: string): number | undefined {
  return imageLines(text).get(container);
}

export function imageAnnotations(
  report: AuditReport,
  targets: { cluster: string; service: string; context?: DeployContext }[],
  failOn: FailOn,
): ImageAnnotation[] {
  const severities = failingSeverities(failOn);
  const annotations: ImageAnnotation[] = [];
  for (const service of report.services) {
    const context = targets.find((t) => t.cluster === service.cluster && t.service === service.service)?.context;
    if (!context?.taskDefinitionFile || !context.taskDefinitionText) continue;
    for (const container of service.containers) {
      const found = countsOf(container).severities;
      const counts = severities.filter((s) => found[s] > 0).map((s) => `${found[s]} ${s}`);
      if (counts.length === 0) continue;
      const line = imageLine(context.taskDefinitionText, container.name);
      if (line === undefined) continue;
      annotations.push({
        file: context.taskDefinitionFile,
        line,
        title: `${container.name}: ${counts.join(", ")}`,
        message: `${container.image} has ${counts.join(", ")} findings (fail-on: ${failOn}). Rebuild it on a patched base image or update the affected packages.`,
      });
    }
  }
  return annotations;
}

export function annotate(annotations: ImageAnnotation[], asErrors: boolean): void {
  const emit = asErrors ? stepLog.error : stepLog.warning;
  for (const a of annotations.slice(0, MAX_ANNOTATIONS))
    emit(a.message, { title: a.title, file: a.file, startLine: a.line });
  const more = annotations.length - MAX_ANNOTATIONS;
  if (more > 0) stepLog.info(`${more} more images have findings at or above fail-on; the job summary lists them all.`);
}
