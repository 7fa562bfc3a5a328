/** EC2 reads: subnets, security groups, VPCs, instances (the EC2 container instances) and task ENIs. */
import type * as EC2 from "@aws-sdk/client-ec2";
import { type OpHandler, SimError } from "../../types.js";
import { paginate } from "../common.js";
import { statusAt } from "../lifecycle.js";
import { freeIps } from "../network.js";
import type { WorldState } from "../state.js";

type Fields = Record<string, (string | undefined)[]>;

/** EC2 filters: every filter must match one of its values; a value may use * wildcards. */
function matches(filters: EC2.Filter[] | undefined, fields: Fields): boolean {
  return (filters ?? []).every((f) => {
    const values = fields[f.Name ?? ""];
    if (!values) throw new SimError("InvalidParameterValue", `The filter '${f.Name}' is invalid`);
    return (f.Values ?? []).some((pattern) => {
      const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*")}$`);
      return values.some((v) => v !== undefined && re.test(v));
    });
  });
}

function notFound(code: string, noun: string, ids: string[] | undefined, known: (id: string) => boolean): void {
  const missing = (ids ?? []).filter((id) => !known(id));
  if (missing.length === 1) throw new SimError(code, `The ${noun} '${missing[0]}' does not exist`);
  if (missing.length > 1) throw new SimError(code, `The ${noun}s '${missing.join(", ")}' do not exist`);
}

function page<T>(items: T[], input: { NextToken?: string; MaxResults?: number }) {
  if (input.MaxResults !== undefined && (input.MaxResults < 5 || input.MaxResults > 1000)) {
    throw new SimError(
      "InvalidParameterValue",
      `Value ( ${input.MaxResults} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`,
    );
  }
  return paginate(items, input.NextToken, input.MaxResults, 1000, 1000);
}

export function ec2Ops(state: WorldState, now: () => number): Record<string, OpHandler> {
  const owner = state.accountId;
  return {
    DescribeSubnets: (input: EC2.DescribeSubnetsCommandInput): EC2.DescribeSubnetsResult => {
      notFound("InvalidSubnetID.NotFound", "subnet ID", input.SubnetIds, (id) => state.subnets.has(id));
      const all = [...state.subnets.values()].filter(
        (s) =>
          (!input.SubnetIds?.length || input.SubnetIds.includes(s.subnetId)) &&
          matches(input.Filters, {
            "subnet-id": [s.subnetId],
            "vpc-id": [s.vpcId],
            "availability-zone": [s.availabilityZone],
            "cidr-block": [s.cidrBlock],
          }),
      );
      const { page: items, nextToken } = page(all, input);
      return {
        Subnets: items.map((s) => ({
          SubnetId: s.subnetId,
          SubnetArn: `arn:aws:ec2:${state.region}:${owner}:subnet/${s.subnetId}`,
          VpcId: s.vpcId,
          CidrBlock: s.cidrBlock,
          AvailabilityZone: s.availabilityZone,
          AvailabilityZoneId: `use1-az${s.availabilityZone.slice(-1).charCodeAt(0) - 96}`,
          AvailableIpAddressCount: freeIps(s, now()),
          State: "available",
          DefaultForAz: false,
          MapPublicIpOnLaunch: false,
          AssignIpv6AddressOnCreation: false,
          Ipv6CidrBlockAssociationSet: [],
          Ipv6Native: false,
          PrivateDnsNameOptionsOnLaunch: {
            HostnameType: "ip-name",
            EnableResourceNameDnsARecord: false,
            EnableResourceNameDnsAAAARecord: false,
          },
          OwnerId: owner,
          Tags: [],
        })),
        NextToken: nextToken,
      };
    },
    DescribeSecurityGroups: (input: EC2.DescribeSecurityGroupsCommandInput): EC2.DescribeSecurityGroupsResult => {
      notFound("InvalidGroup.NotFound", "security group", input.GroupIds, (id) => state.securityGroups.has(id));
      const all = [...state.securityGroups.values()].filter(
        (g) =>
          (!input.GroupIds?.length || input.GroupIds.includes(g.groupId)) &&
          (!input.GroupNames?.length || input.GroupNames.includes(g.groupName)) &&
          matches(input.Filters, { "group-id": [g.groupId], "group-name": [g.groupName], "vpc-id": [g.vpcId] }),
      );
      const { page: items, nextToken } = page(all, input);
      return {
        SecurityGroups: items.map((g) => ({
          GroupId: g.groupId,
          GroupName: g.groupName,
          Description: g.description,
          VpcId: g.vpcId,
          OwnerId: owner,
          SecurityGroupArn: `arn:aws:ec2:${state.region}:${owner}:security-group/${g.groupId}`,
          IpPermissions: g.ingress.map((r) => ({
            IpProtocol: r.protocol ?? "tcp",
            FromPort: r.protocol === "-1" ? undefined : r.fromPort,
            ToPort: r.protocol === "-1" ? undefined : (r.toPort ?? r.fromPort),
            UserIdGroupPairs: r.sourceSecurityGroupId ? [{ GroupId: r.sourceSecurityGroupId, UserId: owner }] : [],
            IpRanges: r.cidr ? [{ CidrIp: r.cidr }] : [],
            Ipv6Ranges: [],
            PrefixListIds: [],
          })),
          IpPermissionsEgress: [
            {
              IpProtocol: "-1",
              IpRanges: [{ CidrIp: "0.0.0.0/0" }],
              UserIdGroupPairs: [],
              Ipv6Ranges: [],
              PrefixListIds: [],
            },
          ],
          Tags: [],
        })),
        NextToken: nextToken,
      };
    },
    AuthorizeSecurityGroupIngress: (
      input: EC2.AuthorizeSecurityGroupIngressCommandInput,
    ): EC2.AuthorizeSecurityGroupIngressResult => {
      const group = state.securityGroups.get(input.GroupId ?? "");
      if (!group) throw new SimError("InvalidGroup.NotFound", `The security group '${input.GroupId}' does not exist`);
      for (const p of input.IpPermissions ?? []) {
        const base = { protocol: p.IpProtocol ?? "tcp", fromPort: p.FromPort, toPort: p.ToPort };
        for (const pair of p.UserIdGroupPairs ?? [])
          group.ingress.push({ ...base, sourceSecurityGroupId: pair.GroupId });
        for (const range of p.IpRanges ?? []) group.ingress.push({ ...base, cidr: range.CidrIp });
      }
      return { Return: true };
    },
    DescribeVpcs: (input: EC2.DescribeVpcsCommandInput): EC2.DescribeVpcsResult => {
      notFound("InvalidVpcID.NotFound", "vpc ID", input.VpcIds, (id) => state.vpcs.has(id));
      const all = [...state.vpcs.values()].filter(
        (v) =>
          (!input.VpcIds?.length || input.VpcIds.includes(v.vpcId)) && matches(input.Filters, { "vpc-id": [v.vpcId] }),
      );
      return {
        Vpcs: all.map((v) => ({
          VpcId: v.vpcId,
          CidrBlock: v.cidrBlock,
          State: "available",
          IsDefault: false,
          OwnerId: owner,
          InstanceTenancy: "default",
          Ipv6CidrBlockAssociationSet: [],
          DhcpOptionsId: "dopt-0a1b2c3d",
          CidrBlockAssociationSet: [
            {
              CidrBlock: v.cidrBlock,
              AssociationId: `vpc-cidr-assoc-${v.vpcId.slice(4)}`,
              CidrBlockState: { State: "associated" },
            },
          ],
          Tags: [],
        })),
      };
    },
    DescribeInstances: (input: EC2.DescribeInstancesCommandInput): EC2.DescribeInstancesResult => {
      const instances = [...state.containerInstances.values()];
      notFound("InvalidInstanceID.NotFound", "instance ID", input.InstanceIds, (id) =>
        instances.some((i) => i.instanceId === id),
      );
      const all = instances.filter(
        (i) =>
          (!input.InstanceIds?.length || input.InstanceIds.includes(i.instanceId)) &&
          matches(input.Filters, {
            "instance-id": [i.instanceId],
            "subnet-id": [i.subnetId],
            "private-ip-address": [i.privateIp],
            "instance-state-name": ["running"],
          }),
      );
      const { page: items, nextToken } = page(all, input);
      return {
        Reservations: items.map((i) => {
          const subnet = state.subnets.get(i.subnetId);
          return {
            ReservationId: `r-${i.instanceId.slice(2)}`,
            OwnerId: owner,
            Instances: [
              {
                InstanceId: i.instanceId,
                InstanceType: i.instanceType as EC2._InstanceType,
                ImageId: "ami-0c55b159cbfafe1f0",
                PrivateIpAddress: i.privateIp,
                PrivateDnsName: `ip-${i.privateIp.replaceAll(".", "-")}.${state.region === "us-east-1" ? "ec2.internal" : `${state.region}.compute.internal`}`,
                SubnetId: i.subnetId,
                VpcId: subnet?.vpcId,
                State: { Code: 16, Name: "running" },
                Placement: { AvailabilityZone: subnet?.availabilityZone, Tenancy: "default" },
                SecurityGroups: i.securityGroups.map((id) => ({
                  GroupId: id,
                  GroupName: state.securityGroups.get(id)?.groupName,
                })),
                LaunchTime: new Date(i.registeredAt),
              },
            ],
          };
        }),
        NextToken: nextToken,
      };
    },
    DescribeNetworkInterfaces: (input: EC2.DescribeNetworkInterfacesCommandInput) => {
      const t = now();
      const live = [...state.tasks.values()].filter((task) => task.eni && statusAt(task, t) !== "STOPPED");
      notFound("InvalidNetworkInterfaceID.NotFound", "networkInterface ID", input.NetworkInterfaceIds, (id) =>
        live.some((task) => task.eni!.id === id),
      );
      const all = live.filter(
        (task) =>
          (!input.NetworkInterfaceIds?.length || input.NetworkInterfaceIds.includes(task.eni!.id)) &&
          matches(input.Filters, {
            "network-interface-id": [task.eni!.id],
            "subnet-id": [task.eni!.subnetId],
            "addresses.private-ip-address": [task.eni!.ip],
            "private-ip-address": [task.eni!.ip],
          }),
      );
      const { page: items, nextToken } = page(all, input);
      return {
        NetworkInterfaces: items.map((task): EC2.NetworkInterface => {
          const eni = task.eni!;
          const subnet = state.subnets.get(eni.subnetId);
          return {
            NetworkInterfaceId: eni.id,
            SubnetId: eni.subnetId,
            VpcId: subnet?.vpcId,
            AvailabilityZone: subnet?.availabilityZone,
            PrivateIpAddress: eni.ip,
            PrivateIpAddresses: [{ PrivateIpAddress: eni.ip, Primary: true }],
            MacAddress: eni.mac,
            Status: "in-use",
            InterfaceType: "interface",
            Description: `arn:aws:ecs:${state.region}:${owner}:attachment/${eni.attachmentId}`,
            Groups: eni.securityGroups.map((id) => ({
              GroupId: id,
              GroupName: state.securityGroups.get(id)?.groupName,
            })),
            RequesterId: "578734482556",
            RequesterManaged: true,
            OwnerId: owner,
          };
        }),
        NextToken: nextToken,
      };
    },
  };
}
