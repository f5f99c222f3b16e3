// One CometD client per account for the suite file running in this worker, connected before the checks act
// (subscribe before acting) and always disconnected at the end.
import { NotificationClient } from "../client/notifications.js";
import type { AccountRole } from "../runner/config.js";
import { runContext } from "./run-context.js";

const clients = new Map<AccountRole, Promise<NotificationClient>>();

/** The connected client of `role` (connecting it on first use). */
export function agentNotifications(role: AccountRole): Promise<NotificationClient> {
  let client = clients.get(role);
  if (!client) {
    const config = runContext();
    const account = config.accounts[role];
    if (!account) return Promise.reject(new Error(`No ${role} account is configured.`));
    client = NotificationClient.connect({
      url: config.target.notificationsUrl,
      username: account.username,
      password: account.password,
      handshakeTimeoutMs: config.timeouts.requestMs,
      label: role,
    });
    clients.set(role, client);
    // A failed connection is not cached, so a later check can report it again instead of reusing the failure.
    client.catch(() => clients.delete(role));
  }
  return client;
}

/** Every client connected so far, for collecting evidence. */
export async function connectedAgents(): Promise<[AccountRole, NotificationClient][]> {
  const settled = await Promise.allSettled(
    [...clients].map(async ([role, c]) => [role, await c] as [AccountRole, NotificationClient]),
  );
  return settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
}

export async function disconnectAgents(): Promise<void> {
  const all = await connectedAgents();
  clients.clear();
  await Promise.all(all.map(([, c]) => c.disconnect()));
}
