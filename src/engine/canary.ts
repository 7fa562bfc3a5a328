/** What the engine knows about the canary it started: enough for cleanup to undo all of it. */

export interface Registration {
  targetGroupArn: string;
  id: string;
  port: number;
  availabilityZone?: string;
  /** The last health state seen; a target that never became healthy carries no traffic and needs no drain. */
  lastState?: string;
}

export interface Canary {
  cluster: string;
  service: string;
  taskArn: string;
  /** Targets registered (or being registered) for it. */
  registrations: Registration[];
  /** StopTask was sent (or the task was found already stopped). */
  stopRequested: boolean;
}
