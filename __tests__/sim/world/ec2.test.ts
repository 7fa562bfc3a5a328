import { describe, expect, it } from "vitest";
import { Harness, REPO, SUBNETS, TASK_SG } from "./harness.js";

const VPC = "vpc-0a1b2c3d4e5f67890";

describe("EC2 networking", () => {
  it("describes subnets with AZ, CIDR and free IPs that task ENIs use up", () => {
    const h = Harness.demo();
    const free = () =>
      h.call("ec2", "DescribeSubnets", { SubnetIds: SUBNETS }).Subnets.map((s: any) => s.AvailableIpAddressCount);
    expect(free()).toEqual([250, 250]);
    const subnet = h.call("ec2", "DescribeSubnets", {
      Filters: [{ Name: "availability-zone", Values: ["us-east-1b"] }],
    }).Subnets;
    expect(subnet).toMatchObject([{ SubnetId: SUBNETS[1], CidrBlock: "10.0.2.0/24", VpcId: VPC }]);
    h.runCanary(h.registerWeb("v2"), { count: 2 });
    expect(free()).toEqual([249, 249]);
    expect(() => h.call("ec2", "DescribeSubnets", { SubnetIds: ["subnet-404"] })).toThrow(
      expect.objectContaining({
        code: "InvalidSubnetID.NotFound",
        message: "The subnet ID 'subnet-404' does not exist",
      }),
    );
  });

  it("describes security groups with their ingress rules", () => {
    const h = Harness.demo();
    const sg = h.call("ec2", "DescribeSecurityGroups", { GroupIds: [TASK_SG] }).SecurityGroups[0];
    expect(sg.IpPermissions).toEqual([
      expect.objectContaining({
        IpProtocol: "tcp",
        FromPort: 8080,
        ToPort: 8080,
        UserIdGroupPairs: [{ GroupId: "sg-0fedcba9876543210", UserId: "123456789012" }],
      }),
    ]);
    expect(() => h.call("ec2", "DescribeSecurityGroups", { GroupIds: ["sg-404"] })).toThrow(
      expect.objectContaining({ code: "InvalidGroup.NotFound" }),
    );
    expect(h.call("ec2", "DescribeVpcs", {}).Vpcs[0]).toMatchObject({ VpcId: VPC, CidrBlock: "10.0.0.0/16" });
  });

  it("describes the ENI of a running task by its address", () => {
    const h = Harness.demo();
    const arn = h.runCanary(h.registerWeb("v2")).tasks[0].taskArn;
    h.advance(30);
    const ip = h.ipOf(h.task(arn));
    const eni = h.call("ec2", "DescribeNetworkInterfaces", {
      Filters: [{ Name: "addresses.private-ip-address", Values: [ip] }],
    }).NetworkInterfaces[0];
    expect(eni).toMatchObject({
      PrivateIpAddress: ip,
      Status: "in-use",
      Groups: [{ GroupId: TASK_SG, GroupName: "web-tasks" }],
    });
  });
});

describe("EC2 container instances", () => {
  const bridge = {
    family: "web-ec2",
    networkMode: "bridge",
    containerDefinitions: [
      { name: "app", image: `${REPO}:v1`, memory: 512, portMappings: [{ containerPort: 8080, hostPort: 0 }] },
    ],
  };

  it("fails placement with RESOURCE:MEMORY when no instance has the memory the image needs", () => {
    const h = Harness.demo("placement-memory");
    const td = h.registerWeb("v2");
    const instances = h.call("ecs", "ListContainerInstances", { cluster: "production" }).containerInstanceArns;
    expect(instances).toHaveLength(2);
    const out = h.call("ecs", "StartTask", {
      cluster: "production",
      taskDefinition: td,
      containerInstances: [instances[0]],
      networkConfiguration: { awsvpcConfiguration: { subnets: SUBNETS, securityGroups: [TASK_SG] } },
    });
    expect(out.tasks).toEqual([]);
    expect(out.failures).toEqual([{ arn: instances[0], reason: "RESOURCE:MEMORY" }]);
    const run = h.call("ecs", "RunTask", {
      cluster: "production",
      taskDefinition: td,
      launchType: "EC2",
      networkConfiguration: { awsvpcConfiguration: { subnets: SUBNETS, securityGroups: [TASK_SG] } },
    });
    expect(run.failures.map((f: any) => f.reason)).toEqual(["RESOURCE:MEMORY", "RESOURCE:MEMORY"]);
  });

  it("binds dynamic host ports in bridge mode and checks instance targets on them", () => {
    const h = Harness.demo("placement-memory");
    h.call("ecs", "RegisterTaskDefinition", bridge);
    const tg = h.call("elbv2", "CreateTargetGroup", {
      Name: "web-ec2-tg",
      Port: 8080,
      Protocol: "HTTP",
      VpcId: VPC,
      TargetType: "instance",
      HealthCheckIntervalSeconds: 10,
      HealthyThresholdCount: 2,
    }).TargetGroups[0];
    const instance = h.call("ecs", "ListContainerInstances", { cluster: "production" }).containerInstanceArns[0];
    const memory = () =>
      h
        .call("ecs", "DescribeContainerInstances", { cluster: "production", containerInstances: [instance] })
        .containerInstances[0].remainingResources.find((r: any) => r.name === "MEMORY").integerValue;
    const before = memory();
    const task = h.call("ecs", "StartTask", {
      cluster: "production",
      taskDefinition: "web-ec2",
      containerInstances: [instance],
    }).tasks[0];
    h.advance(30);
    const described = h.task(task.taskArn);
    const binding = described.containers[0].networkBindings[0];
    expect(binding).toMatchObject({ containerPort: 8080, hostPort: 32768 });
    const ci = h.call("ecs", "DescribeContainerInstances", { cluster: "production", containerInstances: [instance] })
      .containerInstances[0];
    expect(memory()).toBe(before - 512);
    const ec2 = h.call("ec2", "DescribeInstances", { InstanceIds: [ci.ec2InstanceId] }).Reservations[0].Instances[0];
    expect(ec2.State.Name).toBe("running");
    const alb = h.call("elbv2", "DescribeLoadBalancers", { Names: ["web-alb"] }).LoadBalancers[0];
    h.call("elbv2", "CreateListener", {
      LoadBalancerArn: alb.LoadBalancerArn,
      Port: 8081,
      Protocol: "HTTP",
      DefaultActions: [{ Type: "forward", TargetGroupArn: tg.TargetGroupArn }],
    });
    const target = { Id: ci.ec2InstanceId, Port: binding.hostPort };
    h.call("elbv2", "RegisterTargets", { TargetGroupArn: tg.TargetGroupArn, Targets: [target] });
    h.advance(20);
    const health = () =>
      h.call("elbv2", "DescribeTargetHealth", { TargetGroupArn: tg.TargetGroupArn, Targets: [target] })
        .TargetHealthDescriptions[0].TargetHealth;
    // The instance's group lets the ALB in on 8080 only, not on the dynamic host port.
    expect(health()).toMatchObject({ State: "unhealthy", Reason: "Target.Timeout" });
    h.call("ec2", "AuthorizeSecurityGroupIngress", {
      GroupId: TASK_SG,
      IpPermissions: [
        { IpProtocol: "tcp", FromPort: 32768, ToPort: 65535, UserIdGroupPairs: [{ GroupId: alb.SecurityGroups[0] }] },
      ],
    });
    h.advance(20);
    expect(health().State).toBe("healthy");
  });
});
