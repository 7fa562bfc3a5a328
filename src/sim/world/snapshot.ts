/** The whole world as plain JSON, as the API would describe it at the current time. */

import { alarmView } from "./alarms.js";
import type { EcrState } from "./ecr-state.js";
import { listenerView, rulesOf, ruleView } from "./listeners.js";
import { freeIps } from "./network.js";
import { taskDefinitionView } from "./ops/ecs-definitions.js";
import { loadBalancerView, targetGroupView } from "./ops/elbv2.js";
import type { WorldState } from "./state.js";
import { healthOf } from "./targets.js";
import { serviceView, taskView } from "./views.js";

/** The home region's resources, the other regions' under `otherRegions`, and the registries. */
export function snapshotOf(state: WorldState, otherRegions: WorldState[], ecr: EcrState): object {
  const now = state.time;
  const json = (value: unknown) => JSON.parse(JSON.stringify(value));
  const others = otherRegions.map((r) => ({ region: r.region, ...regionSnapshot(r, now) }));
  return json({
    now: new Date(now).toISOString(),
    region: state.region,
    accountId: state.accountId,
    ...regionSnapshot(state, now),
    ecr: [...ecr.repositories.values()].map((r) => ({
      name: r.name,
      region: r.region,
      registryId: r.registryId,
      uri: r.uri,
      scanType: r.scanType,
      images: r.images.map((i) => ({
        digest: i.digest,
        tags: i.tags,
        mediaType: i.mediaType,
        scanStatus: ecr.scanStatusAt(i, now),
      })),
    })),
    ...(others.length > 0 ? { otherRegions: others } : {}),
  });
}

/** One region's ECS, ELBv2 and EC2 resources. */
function regionSnapshot(state: WorldState, now: number): object {
  return {
    vpcs: [...state.vpcs.values()],
    subnets: [...state.subnets.values()].map((s) => ({
      subnetId: s.subnetId,
      vpcId: s.vpcId,
      availabilityZone: s.availabilityZone,
      cidrBlock: s.cidrBlock,
      availableIpAddressCount: freeIps(s, now),
    })),
    securityGroups: [...state.securityGroups.values()],
    clusters: [...state.clusters.values()].map((c) => ({
      ...c,
      containerInstances: [...state.containerInstances.values()].filter((ci) => ci.clusterName === c.name),
    })),
    taskDefinitions: [...state.taskDefinitions.values()].map((td) => taskDefinitionView(state, td)),
    services: [...state.services.values()].map((svc) => serviceView(state, svc, now)),
    tasks: [...state.tasks.values()].map((t) => taskView(state, t, now)),
    loadBalancers: [...state.loadBalancers.values()].map((lb) => loadBalancerView(state, lb)),
    alarms: state.alarms.list().map(alarmView),
    listeners: [...state.listeners.values()].map((l) => ({ ...listenerView(l), Rules: rulesOf(l).map(ruleView) })),
    targetGroups: [...state.targetGroups.values()].map((tg) => ({
      ...targetGroupView(tg),
      Attributes: Object.fromEntries(tg.attributes),
      TargetHealthDescriptions: tg.registrations.map((r) => healthOf(tg, r)),
    })),
  };
}
