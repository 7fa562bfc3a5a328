/**
 * Whether a command changed the service: one fact, kept as its calls are answered and as the world is read back,
 * and stated in one sentence where the command concludes. Errors and steps never say it themselves.
 */
import { shortTaskDefinition } from "./labels.js";
import type { Session } from "./session.js";
import type { CommandResult, Target } from "./settings.js";

export type ServiceState =
  /** `readBack`: the service was read and found as it was. */
  | { changed: false; readBack?: true }
  | {
      changed: true;
      /** Seen in the service, not only answered: what it runs now. */
      readBack?: { taskDefinition: string; rolloutState?: string };
      serviceArn?: string;
      deploymentId?: string;
    }
  /** A change was sent and neither its answer nor the service showed what it did. */
  | { changed: "unknown"; why: string };

export class ServiceChange {
  private state: ServiceState = { changed: false };

  get changed(): boolean | "unknown" {
    return this.state.changed;
  }

  get deploymentId(): string | undefined {
    return this.state.changed === true ? this.state.deploymentId : undefined;
  }

  /** UpdateService or CreateService answered: the service took the change. */
  confirmed(deploymentId?: string): void {
    this.state = { changed: true, ...(deploymentId ? { deploymentId } : {}) };
  }

  /** What the service showed when it was read back after its change went unanswered. */
  read(state: ServiceState): void {
    this.state = state;
  }

  /** What is not known when the command stopped before it could read anything back. */
  unknown(why: string): void {
    this.state = { changed: "unknown", why };
  }

  /** The verdict's sentence about the service; `canceled` says ECS goes on with a change that was made. */
  sentence(target: Target, canceled: boolean): string {
    const state = this.state;
    if (state.changed === "unknown") {
      return `Whether the service was changed is not known: ${state.why}. Check its deployments: aws ecs describe-services --cluster ${target.cluster} --services ${target.service}.`;
    }
    if (state.changed === false)
      return state.readBack ? "Read back: the service was not changed." : "The service was not changed.";
    if (state.readBack) {
      const { taskDefinition, rolloutState } = state.readBack;
      const deployment = state.deploymentId
        ? ` with deployment ${state.deploymentId}${rolloutState ? ` (${rolloutState})` : ""}`
        : "";
      return `Read back: the service was changed; it is on ${shortTaskDefinition(taskDefinition)}${deployment}, which ECS goes on with.`;
    }
    if (canceled && state.deploymentId) {
      return `The service was changed: ECS goes on with deployment ${state.deploymentId}.`;
    }
    return "The service was changed.";
  }
}

/** A command's result before the fact about the service is added to it. */
export type Verdict = Omit<CommandResult, "serviceChanged">;

/**
 * The command's verdict: its result with the sentence about the service (unless it succeeded, which says so
 * itself), emitted as the verdict event.
 */
export function concludeWith(session: Session, target: Target, change: ServiceChange, result: Verdict): CommandResult {
  const said =
    result.result === "succeeded" || result.result === "paused"
      ? ""
      : ` ${change.sentence(target, result.result === "canceled")}`;
  const [first = "", ...evidence] = result.message.split("\n");
  const message = [`${first}${said}`, ...evidence].join("\n");
  const concluded = { ...result, message, serviceChanged: change.changed };
  session.emit({ type: "verdict", result: concluded.result, message, serviceChanged: concluded.serviceChanged });
  return concluded;
}
