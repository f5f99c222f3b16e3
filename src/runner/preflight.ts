// Preflight: before any check, the target answers, every account authenticates, CometD handshake and subscribe
// work, and the hook answers. Each problem becomes one sentence saying what to fix, and no check runs.
import { basicAuth } from "../client/basic-auth.js";
import { HandshakeFailed, NotificationClient } from "../client/notifications.js";
import { ConnectionPool, HttpClient, type HttpAnswer } from "../suite/http.js";
import type { Account, AccountRole, RunConfig } from "./config.js";
import type { Redactor } from "./redact.js";

export interface PreflightStep {
  name: string;
  ok: boolean;
  message: string;
}

type Add = (name: string, ok: boolean, message: string) => boolean;
type Target = RunConfig & { target: NonNullable<RunConfig["target"]> };

/** `pool`: the accounts.agentPool accounts the run's workers will use (each must authenticate as an agent). */
export async function preflight(
  config: Target,
  redactor: Redactor,
  log: (line: string) => void = () => {},
  pool: Account[] = [],
): Promise<PreflightStep[]> {
  const steps: PreflightStep[] = [];
  const add = (name: string, ok: boolean, message: string) => {
    const step = { name, ok, message: redactor.text(message) };
    steps.push(step);
    log(`  ${ok ? "ok  " : "FAIL"} ${name}: ${step.message}`);
    return ok;
  };
  const connections = new ConnectionPool();
  const http = new HttpClient({
    baseUrl: config.target.baseUrl,
    timeoutMs: config.timeouts.requestMs,
    redactor,
    since: performance.now(),
    agent: (protocol) => connections.for(protocol),
  });
  const describe = (a: HttpAnswer) => (a.status === 0 ? a.error! : `HTTP ${a.status}`);

  // 1. Reachable at all: without an answer nothing else can be learned.
  const agent = config.accounts.agent!;
  const probe = await http.send("GET", "/api/v2/me/interactions", {
    headers: { Authorization: basicAuth(agent.username, agent.password) },
  });
  if (probe.status === 0) {
    add(
      "target",
      false,
      `${config.target.baseUrl} did not answer (${probe.error}); check target.baseUrl and that the server is running.`,
    );
    connections.close();
    return steps;
  }
  add("target", true, `${config.target.baseUrl} answers.`);

  const accounts = async (add: Add): Promise<void> => {
    // 2. Every configured account authenticates (the unprivileged one may be refused for its role, not its password).
    const paths: Record<AccountRole, string> = {
      agent: "/api/v2/me/interactions",
      agent2: "/api/v2/me/interactions",
      admin: "/api/v2/interactions",
      unprivileged: "/api/v2/me/interactions",
    };
    for (const role of ["agent", "agent2", "admin", "unprivileged"] as AccountRole[]) {
      const account = config.accounts[role];
      if (!account) continue;
      const answer =
        role === "agent"
          ? probe
          : await http.send("GET", paths[role], {
              headers: { Authorization: basicAuth(account.username, account.password) },
            });
      const authenticated =
        answer.status !== 401 &&
        !(
          answer.status === 403 &&
          role !== "unprivileged" &&
          (answer.body as { statusCode?: number })?.statusCode === 20
        );
      if (answer.status === 0 || answer.status >= 500)
        add(
          `account ${role}`,
          false,
          `GET ${paths[role]} as ${account.username} answered ${describe(answer)}; the target must answer it for the run to be meaningful.`,
        );
      else if (!authenticated)
        add(
          `account ${role}`,
          false,
          `${account.username} was refused (${describe(answer)}); check accounts.${role}.username and its password.`,
        );
      else if (role !== "unprivileged" && answer.status !== 200)
        add(
          `account ${role}`,
          false,
          `${account.username} cannot GET ${paths[role]} (${describe(answer)}); check that it holds the ${role === "admin" ? "Contact Center Admin" : "Agent"} role.`,
        );
      else add(`account ${role}`, true, `${account.username} authenticates.`);
    }
  };

  const poolAccounts = async (add: Add): Promise<void> => {
    // 2b. The pool accounts the workers will use, side by side.
    if (pool.length > 0) {
      const answers = await Promise.all(
        pool.map((a) =>
          http.send("GET", "/api/v2/me/interactions", {
            headers: { Authorization: basicAuth(a.username, a.password) },
          }),
        ),
      );
      const refused = answers.map((answer, i) => [answer, i] as const).filter(([answer]) => answer.status !== 200);
      if (refused.length === 0)
        add("agent pool", true, `the ${pool.length} pool accounts the workers use authenticate as agents.`);
      else
        add(
          "agent pool",
          false,
          refused
            .map(
              ([answer, i]) =>
                `accounts.agentPool[${i}] (${pool[i]!.username}) cannot GET /api/v2/me/interactions (${describe(answer)}); check its password and that it holds the Agent role.`,
            )
            .join(" "),
        );
    }
  };

  const notifications = async (add: Add): Promise<void> => {
    // 3. CometD: handshake and subscribe for each agent.
    for (const role of ["agent", "agent2"] as AccountRole[]) {
      const account = config.accounts[role];
      if (!account) continue;
      try {
        const client = await NotificationClient.connect({
          url: config.target.notificationsUrl,
          username: account.username,
          password: account.password,
          handshakeTimeoutMs: config.timeouts.requestMs,
          label: role,
        });
        await client.disconnect();
        add(`notifications ${role}`, true, "CometD handshake and subscription to /v2/me/interactions work.");
      } catch (e) {
        // A refusal, whatever its form (Bayeux successful:false, HTTP 401 or 403), is about the account, not the URL.
        if (e instanceof HandshakeFailed && e.refused)
          add(
            `notifications ${role}`,
            false,
            `${account.username}'s CometD handshake at ${config.target.notificationsUrl} was refused (${e.reason}); check accounts.${role}.username and its password, and that the endpoint takes the same credentials as the REST API.`,
          );
        else
          add(
            `notifications ${role}`,
            false,
            `${e instanceof HandshakeFailed ? e.message : String(e)} Check target.notificationsUrl (${config.target.notificationsUrl}).`,
          );
      }
    }
  };

  const provisioning = async (add: Add): Promise<void> => {
    // 4. The provisioning hook creates an interaction (removed again at once).
    const hook = config.provisioning;
    if (!hook) {
      add(
        "provisioning hook",
        false,
        "No provisioning.url is configured; every check needs it to create interactions.",
      );
    } else {
      const answer = await http.send("POST", hook.url, {
        headers: hook.headers,
        body: { agent: agent.username, mediaType: "email", userData: { ConformancePreflight: "true" } },
      });
      const id = (answer.body as { id?: unknown } | undefined)?.id;
      if (answer.status >= 200 && answer.status < 300 && typeof id === "string") {
        await http.send("DELETE", `${hook.url}/${encodeURIComponent(id)}`, { headers: hook.headers });
        add("provisioning hook", true, `${hook.url} creates interactions.`);
      } else {
        add(
          "provisioning hook",
          false,
          `${hook.url} answered ${describe(answer)}${answer.status >= 200 && answer.status < 300 ? " without an id" : ""}; check provisioning.url and provisioning.headers.`,
        );
      }
    }
  };

  // 2 to 4 need only the target's answer: they run side by side, their lines in this order.
  const sections = await Promise.all(
    [accounts, poolAccounts, notifications, provisioning].map(async (section) => {
      const lines: [string, boolean, string][] = [];
      await section((name, ok, message) => (lines.push([name, ok, message]), ok));
      return lines;
    }),
  );
  for (const lines of sections) for (const [name, ok, message] of lines) add(name, ok, message);
  connections.close();
  return steps;
}
