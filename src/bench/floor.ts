// The floor of a conformance run: a bare script that replays the run's own evidence (the same HTTP exchanges,
// in the same order per check, with the same concurrency) and waits for the same notifications, with no test
// framework, no schema validation and no evidence keeping. What the suite spends beyond it is its overhead.
import type { ConformanceResults } from "../generated/schema-types.js";
import { basicAuth } from "../client/basic-auth.js";
import { NotificationClient } from "../client/notifications.js";
import { REDACTED } from "../runner/redact.js";
import type { AccountRole } from "../runner/config.js";
import { interactionOf } from "../suite/interactions.js";
import type { TargetConfig } from "../suite/run-context.js";
import { inParallel } from "../load/stats.js";

export interface FloorTimes {
  wallMs: number;
  /** Summed over all requests (they overlap: checks run concurrently). */
  requestMs: number;
  /** Summed over all notification waits, from the HTTP answer to the arrival. */
  waitMs: number;
  requests: number;
  waits: number;
  /** Replayed requests whose status differed from the run's (a sign the replay diverged), and waits that timed out. */
  divergences: number;
  /** Each divergence: the check and what differed. */
  diverged: string[];
}

type Check = ConformanceResults["checks"][number];

const swap = (text: string, ids: Map<string, string>) => {
  let out = text;
  for (const [from, to] of ids) out = out.split(from).join(to);
  return out;
};

/**
 * The index of the request after which the replay waits for a notification recorded at `at`: the last one sent
 * in or before its millisecond. Times are whole milliseconds, so a notification that shares its millisecond
 * with a request (a cleanup DELETE and the Revoked it caused) waits after that request: waiting later is always
 * safe, since a wait looks at everything since the check began.
 */
function follows(exchanges: { at: number }[], at: number): number {
  let owner = 0;
  exchanges.forEach((x, i) => {
    if (x.at <= at) owner = i;
  });
  return owner;
}

export async function replayFloor(results: ConformanceResults, config: TargetConfig, width = 8): Promise<FloorTimes> {
  const roles: AccountRole[] = ["agent", "agent2"];
  const clients = new Map<string, NotificationClient>();
  for (const role of roles) {
    const a = config.accounts[role]!;
    clients.set(
      role,
      await NotificationClient.connect({
        url: config.target.notificationsUrl,
        username: a.username,
        password: a.password,
        label: role,
      }),
    );
  }
  const times: FloorTimes = { wallMs: 0, requestMs: 0, waitMs: 0, requests: 0, waits: 0, divergences: 0, diverged: [] };
  const diverge = (check: Check, what: string) => {
    times.divergences++;
    times.diverged.push(`${check.id}: ${what}`);
  };
  const hook = config.provisioning!;

  const replay = async (check: Check) => {
    const ids = new Map<string, string>();
    // Waits look at everything since the check began: a message may beat the request the check sent after it.
    const cursors = new Map([...clients].map(([role, c]) => [role, c.cursor()]));
    /** Messages already matched to a recorded one, per agent (the same state can come twice). */
    const used = new Set<string>();
    const { exchanges, notifications } = check.evidence;
    const followed = notifications.map((m) => follows(exchanges, m.at));
    const about = notifications.map((m) => interactionOf(m.data));
    const waited = new Set<number>();
    const wait = async (k: number, since: number) => {
      const n = notifications[k]!;
      const seen = about[k];
      const client = clients.get(n.agent);
      if (!seen || !client || waited.has(k)) return;
      waited.add(k);
      const mapped = ids.get(seen.id);
      const parent = seen.parentId ? ids.get(seen.parentId) : undefined;
      const got = await client
        .waitFor(
          (m) => {
            const i2 = interactionOf(m.data);
            return (
              !used.has(`${n.agent}:${m.seq}`) &&
              !!i2 &&
              i2.state === seen.state &&
              (mapped ? i2.id === mapped : !!parent && i2.parentId === parent)
            );
          },
          { since: cursors.get(n.agent)!, within: config.timeouts.notificationMs },
        )
        .catch(() => undefined);
      if (!got) {
        diverge(
          check,
          `no ${seen.state} notification about ${mapped ?? `a child of ${parent ?? seen.parentId}`} for ${n.agent} within ${config.timeouts.notificationMs} ms`,
        );
        return;
      }
      used.add(`${n.agent}:${got.seq}`);
      if (!mapped) ids.set(seen.id, interactionOf(got.data)!.id);
      times.waitMs += Math.max(0, got.receivedAt - since);
      times.waits++;
    };
    for (const [i, x] of exchanges.entries()) {
      // A request about an interaction the check learned from a notification (a Reply's child) needs that
      // notification first, whatever millisecond it was recorded in.
      const mentions = `${x.url} ${JSON.stringify(x.requestBody ?? "")}`;
      for (const [k, seen] of about.entries()) {
        if (seen && followed[k]! >= i && !ids.has(seen.id) && mentions.includes(seen.id))
          await wait(k, performance.now());
      }
      const url = swap(x.url, ids);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(x.requestHeaders))
        if (v !== REDACTED && k.toLowerCase() !== "content-length") headers[k] = v;
      if (x.as) headers.Authorization = basicAuth(config.accounts[x.as]!.username, config.accounts[x.as]!.password);
      if (url.startsWith(hook.url)) Object.assign(headers, hook.headers);
      const body =
        x.requestBody === undefined
          ? undefined
          : typeof x.requestBody === "string"
            ? x.requestBody
            : swap(JSON.stringify(x.requestBody), ids);
      const started = performance.now();
      let status = 0;
      let answer: unknown;
      try {
        const res = await fetch(url, {
          method: x.method,
          headers,
          body,
          signal: AbortSignal.timeout(config.timeouts.requestMs),
        });
        status = res.status;
        const text = await res.text();
        try {
          answer = JSON.parse(text);
        } catch {
          answer = undefined;
        }
      } catch {
        status = 0;
      }
      const answeredAt = performance.now();
      times.requestMs += answeredAt - started;
      times.requests++;
      if (status !== x.status)
        diverge(check, `${x.method} ${x.url} answered ${status || "nothing"}, in the run ${x.status}`);
      const recordedId = (x.responseBody as { id?: unknown } | undefined)?.id;
      const newId = (answer as { id?: unknown } | undefined)?.id;
      if (typeof recordedId === "string" && typeof newId === "string") ids.set(recordedId, newId);

      // The notifications that followed this request and came before the check's next one: the ones it
      // waited for. None after the last request.
      if (i === exchanges.length - 1) continue;
      for (const [k, after] of followed.entries()) if (after === i) await wait(k, answeredAt);
    }
  };

  const started = performance.now();
  await inParallel(
    results.checks.filter((c) => c.evidence.exchanges.length > 0),
    width,
    replay,
  );
  times.wallMs = performance.now() - started;
  await Promise.all([...clients.values()].map((c) => c.disconnect()));
  return times;
}
