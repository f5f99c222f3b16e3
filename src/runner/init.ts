// `gws-conformance init`: a starter configuration and waivers file for testing one's own server. It asks nothing
// (so it runs the same in CI), writes nothing when either file exists, and every secret in what it writes is a
// ${ENV} reference, so the files can be committed as they are.
import { existsSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { DEFAULT_CONFIG_FILE, DEFAULT_FEATURES, DEFAULT_RESOURCES, DEFAULT_TIMEOUTS } from "./config.js";

export const DEFAULT_WAIVERS_FILE = "gws-conformance.waivers.json";

/** The starter configuration: target-contract section 1, every member explained in its $comment. */
export function starterConfig(profile: "seed" | "gws"): Record<string, unknown> {
  return {
    $schema: "./node_modules/gws-conformance/schemas/config/config.json",
    $comment: [
      "Written by `gws-conformance init`. JSON has no comments; these lines are ignored. Fill in, then run",
      "`npx gws-conformance run` (it reads this file from the current directory; --config names another).",
      "Every ${NAME} is replaced by that environment variable; an unset one is reported before anything is sent,",
      "so passwords and keys stay in your CI's secret store, never in this file.",
      "target.baseUrl: the server's root (the API is under {baseUrl}/api/v2); notificationsUrl (CometD) defaults",
      "  to {baseUrl}/api/v2/notifications.",
      "profile: seed (the spec page as printed) or gws (the documented GWS behaviour): see docs/ambiguities.md.",
      "accounts: agent and agent2 hold the Agent role; agent2.id / agent2.uri name the transfer target; admin",
      "  holds Contact Center Admin and not Agent; unprivileged (optional) holds neither. agentPool (optional):",
      "  more Agent accounts, two per extra --workers.",
      "resources: queues and workbins that exist on the server (PlaceInQueue, Transfer to a queue, workbins).",
      "provisioning: the hook that offers a new interaction to an agent (target-contract section 2):",
      '  POST {url} {"agent","mediaType","userData"} -> {"id"}; DELETE {url}/{id} cleans up (optional).',
      "features: what the server offers; a check that needs a feature turned off is reported not applicable.",
      "timeouts: per HTTP request and per awaited notification, in milliseconds.",
      "waivers: accepted failures, each with a reason, an owner and an expiry date (see the waivers file).",
    ],
    target: { baseUrl: "${GWS_BASE_URL}" },
    profile,
    accounts: {
      agent: { username: "agent1", password: "${GWS_AGENT_PASSWORD}" },
      agent2: {
        username: "agent2",
        password: "${GWS_AGENT2_PASSWORD}",
        id: "${GWS_AGENT2_ID}",
        uri: "${GWS_BASE_URL}/api/v2/users/${GWS_AGENT2_ID}",
      },
      admin: { username: "ccadmin", password: "${GWS_ADMIN_PASSWORD}" },
    },
    resources: DEFAULT_RESOURCES,
    provisioning: { url: "${GWS_HOOK_URL}", headers: { "X-Hook-Key": "${GWS_HOOK_KEY}" } },
    features: DEFAULT_FEATURES,
    timeouts: DEFAULT_TIMEOUTS,
    waivers: DEFAULT_WAIVERS_FILE,
  };
}

export const STARTER_WAIVERS = {
  $schema: "./node_modules/gws-conformance/schemas/config/waivers.json",
  $comment: [
    "Written by `gws-conformance init`. Each waiver accepts the failure of one check until a date, e.g.",
    '{ "check": "transfer.success", "reason": "TICKET-123", "owner": "team-gws", "expires": "2027-03-31" }.',
    "An expired waiver, or one whose check now passes, fails the run, so waivers cannot rot.",
  ],
  waivers: [],
};

export interface InitResult {
  ok: boolean;
  /** What was written, or why nothing was. */
  lines: string[];
}

/** Writes the starter files into `dir`, or nothing at all when either exists. */
export function init(dir: string, profile: "seed" | "gws" = "gws"): InitResult {
  const root = resolve(dir);
  if (!existsSync(root)) return { ok: false, lines: [`The directory ${root} does not exist; nothing was written.`] };
  const files = [DEFAULT_CONFIG_FILE, DEFAULT_WAIVERS_FILE].map((f) => join(root, f));
  const present = files.filter((f) => existsSync(f));
  if (present.length > 0)
    return {
      ok: false,
      lines: [`${present.join(" and ")} already exist${present.length === 1 ? "s" : ""}; init overwrites nothing.`],
    };
  writeFileSync(files[0]!, `${JSON.stringify(starterConfig(profile), null, 2)}\n`, { flag: "wx" });
  writeFileSync(files[1]!, `${JSON.stringify(STARTER_WAIVERS, null, 2)}\n`, { flag: "wx" });
  return {
    ok: true,
    lines: [
      `Wrote ${files[0]} and ${files[1]}.`,
      "Next: set GWS_BASE_URL, GWS_AGENT_PASSWORD, GWS_AGENT2_PASSWORD, GWS_AGENT2_ID, GWS_ADMIN_PASSWORD,",
      "GWS_HOOK_URL and GWS_HOOK_KEY (or edit the file), then run `npx gws-conformance run`.",
    ],
  };
}
