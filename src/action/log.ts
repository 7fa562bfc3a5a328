/**
 * The step log: one collapsible group per phase, one line per event. Every line the action writes goes through
 * the functions here, which make it inert (`inertLines`): @actions/core escapes only % CR LF in a command's data,
 * and % CR LF : , in its properties, so a message from AWS could still carry "##[", controls or a "::" line.
 */

import * as core from "@actions/core";
import type { CageEvent } from "../engine/events.js";
import { eventLine } from "../report/text.js";
import { inert, inertLines } from "../shared/inert.js";

export function info(message: string): void {
  core.info(inertLines(message));
}

function props(properties: core.AnnotationProperties | undefined): core.AnnotationProperties | undefined {
  if (!properties) return undefined;
  return {
    ...properties,
    ...(properties.title !== undefined ? { title: inert(properties.title) } : {}),
    ...(properties.file !== undefined ? { file: inert(properties.file) } : {}),
  };
}

export function notice(message: string, properties?: core.AnnotationProperties): void {
  core.notice(inertLines(message), props(properties));
}

export function warning(message: string, properties?: core.AnnotationProperties): void {
  core.warning(inertLines(message), props(properties));
}

export function error(message: string, properties?: core.AnnotationProperties): void {
  core.error(inertLines(message), props(properties));
}

export function setFailed(message: string): void {
  core.setFailed(inertLines(message));
}

export function group<T>(name: string, work: () => Promise<T>): Promise<T> {
  return core.group(inert(name), work);
}

export class GroupedLog {
  private start: number | undefined;
  private open = false;

  readonly write = (event: CageEvent): void => {
    this.start ??= event.at;
    if (event.type === "phase-started") {
      // The runner does not nest groups: a phase that starts inside another closes it.
      this.close();
      core.startGroup(inert(`${event.phase}${event.detail ? `: ${event.detail}` : ""}`));
      this.open = true;
      return;
    }
    const line = eventLine(event, this.start);
    if (event.type === "notice" && event.level === "warning") warning(line);
    else info(line);
    if (event.type === "phase-finished") this.close();
  };

  close(): void {
    if (!this.open) return;
    core.endGroup();
    this.open = false;
  }
}
