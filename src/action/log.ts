/** The step log: one collapsible group per phase, one line per event. */

import * as core from "@actions/core";
import type { CageEvent } from "../engine/events.js";
import { eventLine } from "../report/text.js";

export class GroupedLog {
  private start: number | undefined;
  private open = false;

  readonly write = (event: CageEvent): void => {
    this.start ??= event.at;
    if (event.type === "phase-started") {
      // The runner does not nest groups: a phase that starts inside another closes it.
      this.close();
      core.startGroup(`${event.phase}${event.detail ? `: ${event.detail}` : ""}`);
      this.open = true;
      return;
    }
    const line = eventLine(event, this.start);
    if (event.type === "notice" && event.level === "warning") core.warning(line);
    else core.info(line);
    if (event.type === "phase-finished") this.close();
  };

  close(): void {
    if (!this.open) return;
    core.endGroup();
    this.open = false;
  }
}
