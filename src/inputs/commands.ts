/**
 * Each command with the fields it takes, as ecspresso declares a command's options with the command. A front end
 * offers a command's fields that it offers at all (the table says which); the others keep their defaults.
 */
import { ACTION, BOTH, CLI, type Field, type FrontEnd } from "./field.js";
import { FIELDS as F } from "./fields.js";

export type Command =
  | "rollout"
  | "up"
  | "run"
  | "audit"
  | "verify"
  | "setup"
  | "cleanup"
  | "demo"
  | "diff"
  | "continue"
  | "rollback"
  | "plan";

export interface CommandSpec {
  offeredBy: readonly FrontEnd[];
  fields: readonly Field[];
  /** Fields read only as given, never from a variable. */
  givenOnly?: readonly Field[];
  /** Another command's fields that must stay empty here: set, they would be ignored, which is never what was meant. */
  refuses?: readonly Field[];
}

/** Every command but the action's setup. */
const EVERY = [F.timeout, F.ci, F.noColor, F.help];
/** Commands that call AWS for a deploy context, or for services. */
const AWS = [F.region, F.cluster, F.service, F.endpointUrl, F.json, F.summaryFile];
/** The action's step around such a command. */
const STEP = [F.deployContext, F.summary];
const CANARY = [
  F.canaryInstanceArn,
  F.updateService,
  F.canaryTaskIdleDuration,
  F.canarySoak,
  F.canaryAlarms,
  F.canaryAlarmsInsufficient,
  F.canaryMetrics,
  F.taskRunningTimeout,
  F.containerHealthTimeout,
  F.targetHealthTimeout,
  F.taskStoppedTimeout,
  F.deploymentTimeout,
  F.onDeploymentFailure,
  F.waitUntil,
  F.waitIfBusy,
];
const GITHUB_DEPLOYMENT = [F.githubToken, F.createDeployment, F.environment];
const GATE = [F.failOn, F.failOnFixableOnly, F.ignoreFile, F.scanWaitTimeout];
const RUN = [F.runContainer, F.runCommand];
/** Images by container name, over task-definition.json's. */
const IMAGES = [F.images, F.image];

export const COMMANDS: Record<Command, CommandSpec> = {
  rollout: {
    offeredBy: BOTH,
    fields: [
      ...EVERY,
      ...AWS,
      ...STEP,
      F.taskDefinitionArn,
      ...CANARY,
      F.keepRevisions,
      F.runId,
      ...GITHUB_DEPLOYMENT,
      ...IMAGES,
      F.dryRun,
    ],
    refuses: RUN,
  },
  up: {
    offeredBy: BOTH,
    fields: [
      ...EVERY,
      ...AWS,
      ...STEP,
      F.taskDefinitionArn,
      F.deploymentTimeout,
      F.runId,
      ...GITHUB_DEPLOYMENT,
      ...IMAGES,
      F.dryRun,
    ],
    refuses: RUN,
  },
  run: {
    offeredBy: BOTH,
    fields: [
      ...EVERY,
      ...AWS,
      ...STEP,
      F.taskRunningTimeout,
      F.taskStoppedTimeout,
      F.runId,
      ...RUN,
      ...IMAGES,
      F.dryRun,
    ],
  },
  audit: {
    offeredBy: BOTH,
    fields: [
      ...EVERY,
      ...AWS,
      ...STEP,
      F.auditSource,
      ...GATE,
      F.failOnUnscanned,
      F.detail,
      F.sarif,
      F.sarifFile,
      F.githubToken,
      F.prComment,
      F.auditIssue,
    ],
    refuses: RUN,
  },
  /** Read calls only: for a rollout of the context (`up --dry-run` verifies for a service not yet created). */
  verify: {
    offeredBy: BOTH,
    fields: [
      ...EVERY,
      ...AWS,
      ...STEP,
      F.taskDefinitionArn,
      F.canaryInstanceArn,
      F.updateService,
      ...GATE,
      F.failOnUnscanned,
    ],
    refuses: RUN,
  },
  setup: { offeredBy: ACTION, fields: [] },
  /** What a rollout of the deploy context would change, from read calls only. */
  diff: {
    offeredBy: BOTH,
    fields: [...EVERY, ...AWS, ...STEP, F.taskDefinitionArn, F.updateService, ...IMAGES, F.exitCode, F.failOnChanges],
    refuses: RUN,
  },
  /** A native deployment's current (or named) service deployment: continued at its PAUSE hook, or rolled back. */
  continue: {
    offeredBy: BOTH,
    fields: [...EVERY, ...AWS, ...STEP, F.serviceDeploymentArn, F.deploymentTimeout, F.waitUntil],
    refuses: RUN,
  },
  /** On a ROLLING service with nothing in flight it rolls the previous revision out: a rollout's canary fields. */
  rollback: {
    offeredBy: BOTH,
    fields: [
      ...EVERY,
      ...AWS,
      ...STEP,
      F.serviceDeploymentArn,
      ...CANARY.filter((f) => f !== F.updateService),
      F.runId,
    ],
    refuses: RUN,
  },
  /** A pull request's deploy plan: diff, verify and the audit of its images, in one sticky comment. */
  plan: {
    offeredBy: ACTION,
    fields: [
      F.timeout,
      F.region,
      F.cluster,
      F.service,
      ...STEP,
      F.taskDefinitionArn,
      F.canaryInstanceArn,
      F.updateService,
      F.images,
      ...GATE,
      F.failOnUnscanned,
      F.githubToken,
      F.prComment,
    ],
    refuses: RUN,
  },
  /** GITHUB_RUN_ID would narrow a cleanup to the current run: a cleanup takes a run only as given. */
  cleanup: { offeredBy: CLI, fields: [...EVERY, ...AWS, F.taskStoppedTimeout, F.runId], givenOnly: [F.runId] },
  /** A rollout and an audit of deploy-example/: its world sets the region, the endpoint and the service. */
  demo: { offeredBy: CLI, fields: [...EVERY, F.summaryFile, ...CANARY, F.runId, ...GATE, F.variant] },
};

export function commandsOf(frontEnd: FrontEnd): Command[] {
  return (Object.keys(COMMANDS) as Command[]).filter((c) => COMMANDS[c].offeredBy.includes(frontEnd));
}

/** The fields a front end offers for a command, in the order the command declares them. */
export function fieldsOf(command: Command, frontEnd: FrontEnd): Field[] {
  return COMMANDS[command].fields.filter((f) => f.offeredBy.includes(frontEnd));
}

export function commandsTaking(field: Field): Command[] {
  return (Object.keys(COMMANDS) as Command[]).filter((c) => COMMANDS[c].fields.includes(field));
}
