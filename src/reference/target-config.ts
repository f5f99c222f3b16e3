// The configuration file (target-contract section 1) that points the runner at a running reference server.
import type { ConformanceConfig } from "../generated/schema-types.js";
import type { Profile } from "../model/catalog.js";
import type { ReferenceServer } from "./server.js";

/** A configuration file whose accounts, resources, hook and features are all given. */
export type ServerConfig = ConformanceConfig &
  Required<Pick<ConformanceConfig, "accounts" | "resources" | "provisioning" | "features">>;
type PoolAccounts = NonNullable<NonNullable<ConformanceConfig["accounts"]>["agentPool"]>;

export function configForServer(
  server: ReferenceServer,
  profile: Profile = server.profile,
  timeouts = { requestMs: 2000, notificationMs: 1500 },
): ServerConfig {
  const account = (name: string) => {
    const a = server.account(name);
    return { username: a.username, password: a.password, id: a.id, uri: `${server.url}/api/v2/users/${a.id}` };
  };
  // Every other Agent account (agent3, agent4, ... when started with `agents`) is the pool for parallel workers.
  const pool = server.accounts
    .filter((a) => a.roles.includes("Agent") && a.username !== "agent1" && a.username !== "agent2")
    .map((a) => account(a.username)) as PoolAccounts;
  return {
    target: { baseUrl: server.url },
    profile,
    accounts: {
      agent: account("agent1"),
      agent2: account("agent2"),
      admin: account("admin"),
      unprivileged: account("nobody"),
      ...(pool.length >= 2 ? { agentPool: pool } : {}),
    },
    resources: { queues: server.queues as [string, ...string[]], workbins: server.workbins as [string, ...string[]] },
    provisioning: { url: server.hookUrl, headers: { [server.hookHeader]: server.hookKey } },
    features: { ...server.features },
    timeouts,
  };
}
