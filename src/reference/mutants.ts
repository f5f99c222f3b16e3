// Deliberately broken variants of the reference server, switched on by name (`--mutant NAME`). Each breaks one
// rule in one family; `npm run mutation` shows that some check catches every one of them. A surviving mutant
// is a missing check: add the check, never delete the mutant.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { basicAuth } from "../client/basic-auth.js";
import type { Profile } from "../model/catalog.js";
import type { EngineContext } from "./operations.js";
import type { InteractionRecord } from "./store.js";

export interface Mutant {
  name: string;
  /** What it breaks, in one sentence. */
  description: string;
  family: "status" | "envelope" | "shape" | "notifications" | "state" | "capabilities" | "preconditions" | "userData" | "ownership" | "permissions" | "bad-input" | "channel";
  /** The profiles in which the behaviour is non-conformant (default both). */
  profiles?: Profile[];
  /**
   * The profiles in which the rule it breaks is only decided by the register (a warning, not a failure): there a
   * warning kills it. Everywhere else it must fail a check.
   */
  decided?: Profile[];
  /**
   * Set when only load shows the fault (a rare drop no single check can meet): `npm run mutation` leaves it
   * to the test named here, which runs `gws-conformance load` against it.
   */
  killedByLoad?: string;
  apply(app: FastifyInstance, engine: EngineContext): void;
}

type Json = Record<string, unknown>;
const opName = (request: FastifyRequest) => (request.body as { operationName?: string } | undefined)?.operationName;
const interactionId = (request: FastifyRequest) => (request.params as { id?: string } | undefined)?.id;
const user = (request: FastifyRequest) => request.principal?.account.username;
const isOperation = (request: FastifyRequest) => request.method === "POST" && request.url.startsWith("/api/v2/me/interactions/");

/** Rewrites JSON answers: `edit` returns the new body, or undefined to leave it. */
function rewrite(app: FastifyInstance, edit: (request: FastifyRequest, reply: FastifyReply, body: Json) => unknown): void {
  app.addHook("onSend", async (request, reply, payload) => {
    if (typeof payload !== "string" || !payload.startsWith("{")) return payload;
    const changed = edit(request, reply, JSON.parse(payload) as Json);
    return changed === undefined ? payload : JSON.stringify(changed);
  });
}

/** Runs after a successful operation named `name` (or any, when name is "*"). */
function after(app: FastifyInstance, engine: EngineContext, name: string, fn: (record: InteractionRecord, request: FastifyRequest) => void): void {
  app.addHook("onResponse", async (request, reply) => {
    if (!isOperation(request) || reply.statusCode !== 200 || (name !== "*" && opName(request) !== name)) return;
    const record = engine.store.get(interactionId(request) ?? "");
    if (record) fn(record, request);
  });
}

/** After a successful `name`, the acting agent holds the interaction again, in `state`. */
function keeps(app: FastifyInstance, engine: EngineContext, name: string, state: InteractionRecord["state"]): void {
  after(app, engine, name, (r, request) => {
    r.owner = r.lastHolder = user(request) ?? null;
    r.state = state;
  });
}

/** Runs before an operation is handled. */
function before(app: FastifyInstance, engine: EngineContext, fn: (record: InteractionRecord | undefined, request: FastifyRequest) => void): void {
  app.addHook("preHandler", async (request) => {
    if (isOperation(request)) fn(engine.store.get(interactionId(request) ?? ""), request);
  });
}

/** Replaces the notifier with `fn`, which may call the real one. */
function notifier(engine: EngineContext, fn: (username: string, data: unknown, deliver: EngineContext["deliver"]) => void): void {
  const deliver = engine.deliver;
  engine.deliver = (username, data) => fn(username, data, deliver);
}

/** The interaction a notification carries, in either form. */
function carried(data: unknown): Json | undefined {
  const d = data as Json;
  if (!d || typeof d !== "object" || Array.isArray(d)) return undefined;
  return d.messageTypeName ? d : ((d.email ?? d.chat ?? d.workitem ?? d.interaction) as Json | undefined);
}

const isSuccess = (body: Json) => body.status === "ok" || body.status === 0 || body.statusCode === 0;
const isError = (body: Json) => body.status === "error" || (typeof body.statusCode === "number" && body.statusCode > 0);

export const MUTANTS: Mutant[] = [
  {
    name: "accept-answers-201",
    description: "A successful Accept answers HTTP 201 instead of 200.",
    family: "status",
    apply: (app) => app.addHook("onSend", async (request, reply, payload) => (isOperation(request) && opName(request) === "Accept" && reply.statusCode === 200 ? (reply.code(201), payload) : payload)),
  },
  {
    name: "success-body-empty-object",
    description: "Every operation's success body is {} (no status, no statusCode).",
    family: "envelope",
    apply: (app) => rewrite(app, (request, _reply, body) => (isOperation(request) && isSuccess(body) ? {} : undefined)),
  },
  {
    name: "success-body-extra-member",
    description: "Every operation's success body carries an extra member beyond the seed envelope the page prints.",
    family: "envelope",
    profiles: ["seed"],
    decided: ["seed"],
    apply: (app) => rewrite(app, (request, _reply, body) => (isOperation(request) && isSuccess(body) ? { ...body, extra: true } : undefined)),
  },
  {
    name: "error-body-extra-member",
    description: "Every error body carries an extra member (gws: 'no other attributes'; seed: closed envelopes).",
    family: "envelope",
    apply: (app) => rewrite(app, (_request, _reply, body) => (isError(body) ? { ...body, detail: "more" } : undefined)),
  },
  {
    name: "error-without-message",
    description: "Error bodies lose their statusMessage / errorDescription.",
    family: "envelope",
    apply: (app) =>
      rewrite(app, (_request, _reply, body) => {
        if (!isError(body)) return undefined;
        const { statusMessage: _m, errorDescription: _d, ...rest } = body;
        return rest;
      }),
  },
  {
    name: "gws-success-with-status-message",
    description: "gws success bodies carry statusMessage, which only errors may.",
    family: "envelope",
    profiles: ["gws"],
    apply: (app) => rewrite(app, (request, _reply, body) => (isOperation(request) && body.statusCode === 0 ? { ...body, statusMessage: "OK" } : undefined)),
  },
  {
    name: "uri-list-renamed",
    description: "GET /me/interactions names its list uri instead of uris.",
    family: "shape",
    apply: (app) => rewrite(app, (_request, _reply, body) => (Array.isArray(body.uris) ? { statusCode: body.statusCode, uri: body.uris } : undefined)),
  },
  {
    name: "interaction-unwrapped",
    description: "GET /interactions/{id} returns the interaction's members at the top level instead of under \"interaction\".",
    family: "shape",
    apply: (app) =>
      rewrite(app, (_request, _reply, body) => (body.interaction && typeof body.interaction === "object" ? { statusCode: 0, ...(body.interaction as Json) } : undefined)),
  },
  {
    name: "accept-no-notification",
    description: "Accept sends no notification.",
    family: "notifications",
    apply: (_app, engine) => notifier(engine, (u, d, deliver) => (carried(d)?.state === "Processing" ? undefined : deliver(u, d))),
  },
  {
    name: "complete-duplicate-notification",
    description: "Complete's removal notification is sent twice.",
    family: "notifications",
    decided: ["seed", "gws"],
    apply: (_app, engine) =>
      notifier(engine, (u, d, deliver) => {
        deliver(u, d);
        if (carried(d)?.state === "Completed") deliver(u, d);
      }),
  },
  {
    name: "notifications-to-wrong-agent",
    description: "agent1's notifications go to agent2 instead.",
    family: "notifications",
    apply: (_app, engine) => notifier(engine, (u, d, deliver) => deliver(u === "agent1" ? "agent2" : u, d)),
  },
  {
    name: "notifications-leak-to-other-agent",
    description: "agent1's notifications also reach agent2.",
    family: "notifications",
    apply: (_app, engine) =>
      notifier(engine, (u, d, deliver) => {
        deliver(u, d);
        if (u === "agent1") deliver("agent2", d);
      }),
  },
  {
    name: "notifications-late",
    description: "Every state-change notification arrives 5 s late, past any sane deadline.",
    family: "notifications",
    apply: (_app, engine) => notifier(engine, (u, d, deliver) => (carried(d)?.state === "Invited" ? deliver(u, d) : void setTimeout(() => deliver(u, d), 5000).unref())),
  },
  {
    name: "invitation-without-reject",
    description: "The invitation's capabilities lack Reject.",
    family: "notifications",
    apply: (_app, engine) =>
      notifier(engine, (u, d, deliver) => {
        const i = carried(d);
        if (i?.state === "Invited" && Array.isArray(i.capabilities)) i.capabilities = (i.capabilities as string[]).filter((c) => c !== "Reject");
        deliver(u, d);
      }),
  },
  {
    name: "removal-keeps-capabilities",
    description: "The removal notification after Complete still lists capabilities.",
    family: "notifications",
    apply: (_app, engine) =>
      notifier(engine, (u, d, deliver) => {
        const i = carried(d);
        if (i?.state === "Completed") i.capabilities = ["Complete"];
        deliver(u, d);
      }),
  },
  {
    name: "reference-id-mismatch",
    description: "Notifications carry a referenceId other than the one their request was answered with.",
    family: "notifications",
    profiles: ["gws"],
    apply: (_app, engine) =>
      notifier(engine, (u, d, deliver) => {
        const m = d as Json;
        if (typeof m.referenceId === "number") m.referenceId += 1000;
        deliver(u, d);
      }),
  },
  {
    name: "workbin-content-never-sent",
    description: "GetWorkbinContent answers ok but never sends the content.",
    family: "notifications",
    apply: (_app, engine) => notifier(engine, (u, d, deliver) => (Array.isArray(d) || (d as Json)?.workbin ? undefined : deliver(u, d))),
  },
  {
    name: "accept-wrong-state",
    description: "After Accept the interaction is in state Chatting, not Processing.",
    family: "state",
    apply: (app, engine) => after(app, engine, "Accept", (r) => void (r.state = "Chatting")),
  },
  {
    name: "complete-stays-processing",
    description: "Complete answers ok but the interaction stays Processing with the agent.",
    family: "state",
    apply: (app, engine) =>
      after(app, engine, "Complete", (r) => {
        r.state = "Processing";
        r.owner = r.lastHolder;
      }),
  },
  {
    name: "capabilities-missing-complete",
    description: "An accepted interaction's capabilities omit Complete.",
    family: "capabilities",
    decided: ["seed", "gws"],
    apply: (app) =>
      rewrite(app, (_request, _reply, body) => {
        const lists = [body.interaction, ...((body.interactions as unknown[]) ?? [])] as (Json | undefined)[];
        let changed = false;
        for (const i of lists) {
          if (i?.state === "Processing" && Array.isArray(i.capabilities)) {
            i.capabilities = (i.capabilities as string[]).filter((c) => c !== "Complete");
            changed = true;
          }
        }
        return changed ? body : undefined;
      }),
  },
  {
    name: "capabilities-offer-invalid",
    description: "An invitation's capabilities also offer Complete, which is not valid before Accept.",
    family: "capabilities",
    apply: (app) =>
      rewrite(app, (_request, _reply, body) => {
        const i = body.interaction as Json | undefined;
        if (i?.state !== "Invited" || !Array.isArray(i.capabilities)) return undefined;
        i.capabilities = [...(i.capabilities as string[]), "Complete"];
        return body;
      }),
  },
  {
    name: "complete-allowed-on-invitation",
    description: "Complete is accepted on an interaction that was never accepted.",
    family: "preconditions",
    apply: (app, engine) => before(app, engine, (r, request) => void (r && opName(request) === "Complete" && r.state === "Invited" ? (r.state = "Processing") : undefined)),
  },
  {
    name: "cancel-allowed-on-processing",
    description: "Cancel is accepted on an accepted inbound interaction, not only on a reply.",
    family: "preconditions",
    apply: (app, engine) => before(app, engine, (r, request) => void (r && opName(request) === "Cancel" && r.state === "Processing" ? (r.state = "Composing") : undefined)),
  },
  {
    name: "refused-request-changes-state",
    description: "An Accept refused for the state still changes the interaction's userData.",
    family: "preconditions",
    apply: (app, engine) =>
      app.addHook("onResponse", async (request, reply) => {
        if (!isOperation(request) || reply.statusCode < 400) return;
        const record = engine.store.get(interactionId(request) ?? "");
        if (record) record.userData.Touched = "by a refused request";
      }),
  },
  {
    name: "wrong-error-code-for-state",
    description: "An operation in the wrong state is refused with statusCode 1, not 2.",
    family: "preconditions",
    profiles: ["gws"],
    apply: (app) => rewrite(app, (_request, reply, body) => (reply.statusCode === 409 && body.statusCode === 2 ? { ...body, statusCode: 1 } : undefined)),
  },
  {
    name: "attach-overwrites-all",
    description: "AttachUserData replaces the whole userData instead of adding keys.",
    family: "userData",
    apply: (app, engine) =>
      after(app, engine, "AttachUserData", (r, request) => {
        for (const k of Object.keys(r.userData)) delete r.userData[k];
        Object.assign(r.userData, (request.body as { userData: Json }).userData);
      }),
  },
  {
    name: "update-ignored",
    description: "UpdateUserData answers ok but changes nothing.",
    family: "userData",
    apply: (app, engine) => {
      const saved = new Map<string, Json>();
      before(app, engine, (r, request) => void (r && opName(request) === "UpdateUserData" ? saved.set(r.id, { ...r.userData }) : undefined));
      after(app, engine, "UpdateUserData", (r) => {
        for (const k of Object.keys(r.userData)) delete r.userData[k];
        Object.assign(r.userData, saved.get(r.id));
      });
    },
  },
  {
    name: "delete-ignores-keys",
    description: "DeleteUserData answers ok but deletes nothing.",
    family: "userData",
    apply: (app, engine) => {
      const saved = new Map<string, Json>();
      before(app, engine, (r, request) => void (r && opName(request) === "DeleteUserData" ? saved.set(r.id, { ...r.userData }) : undefined));
      after(app, engine, "DeleteUserData", (r) => Object.assign(r.userData, saved.get(r.id)));
    },
  },
  {
    name: "workbin-without-userdata",
    description: "PlaceInWorkbin does not set userData Workbin to the workbin's name.",
    family: "userData",
    apply: (app, engine) => after(app, engine, "PlaceInWorkbin", (r) => void delete r.userData.Workbin),
  },
  {
    name: "update-clears-other-keys",
    description: "UpdateUserData replaces the whole userData with the keys it is given.",
    family: "userData",
    apply: (app, engine) =>
      after(app, engine, "UpdateUserData", (r, request) => {
        for (const k of Object.keys(r.userData)) delete r.userData[k];
        Object.assign(r.userData, (request.body as { userData: Json }).userData);
      }),
  },
  {
    name: "delete-clears-all-keys",
    description: "DeleteUserData deletes every key, not only the ones it names.",
    family: "userData",
    apply: (app, engine) => after(app, engine, "DeleteUserData", (r) => Object.keys(r.userData).forEach((k) => delete r.userData[k])),
  },
  {
    name: "attach-writes-every-interaction",
    description: "AttachUserData also attaches its userData to every other interaction the agent holds.",
    family: "userData",
    apply: (app, engine) =>
      after(app, engine, "AttachUserData", (r, request) => {
        for (const other of engine.store.ownedBy(user(request) ?? "")) if (other.id !== r.id) Object.assign(other.userData, (request.body as { userData: Json }).userData);
      }),
  },
  {
    name: "complete-ends-siblings",
    description: "Complete also completes the agent's other Processing interactions.",
    family: "ownership",
    apply: (app, engine) =>
      after(app, engine, "Complete", (r, request) => {
        for (const other of engine.store.ownedBy(user(request) ?? "")) {
          if (other.id !== r.id && other.state === "Processing") Object.assign(other, { state: "Completed", owner: null });
        }
      }),
  },
  {
    name: "operations-touch-other-agent",
    description: "Every successful operation of agent1 also writes userData into agent2's interactions.",
    family: "userData",
    apply: (app, engine) =>
      after(app, engine, "*", (_r, request) => {
        if (user(request) !== "agent1") return;
        for (const other of engine.store.ownedBy("agent2")) other.userData.TouchedBy = `${opName(request)} of agent1`;
      }),
  },
  {
    name: "transfer-keeps-first-agent",
    description: "Transfer answers ok but the interaction stays with the first agent.",
    family: "ownership",
    apply: (app, engine) => keeps(app, engine, "Transfer", "Processing"),
  },
  {
    name: "place-in-queue-keeps-ownership",
    description: "PlaceInQueue answers ok but the agent keeps the interaction.",
    family: "ownership",
    apply: (app, engine) => keeps(app, engine, "PlaceInQueue", "Processing"),
  },
  {
    name: "reject-keeps-interaction",
    description: "Reject answers ok but the invitation stays with the agent.",
    family: "ownership",
    apply: (app, engine) => keeps(app, engine, "Reject", "Invited"),
  },
  {
    name: "unauthenticated-allowed",
    description: "A request without credentials is served as agent1.",
    family: "permissions",
    apply: (_app, engine) => {
      const authenticate = engine.auth.authenticate.bind(engine.auth);
      const a = engine.auth.account("agent1")!;
      const asAgent1 = basicAuth(a.username, a.password);
      engine.auth.authenticate = (headers) => authenticate(headers) ?? (headers.authorization ? undefined : authenticate({ authorization: asAgent1 }));
    },
  },
  {
    name: "channel-anonymous-handshake",
    description: "The notification channel takes a handshake without credentials as agent1's, and delivers agent1's notifications to it.",
    family: "permissions",
    apply: (_app, engine) => {
      const authenticate = engine.channelAuthenticate;
      const a = engine.auth.account("agent1")!;
      const asAgent1 = basicAuth(a.username, a.password);
      engine.channelAuthenticate = (headers) => authenticate(headers) ?? (headers.authorization ? undefined : authenticate({ authorization: asAgent1 }));
    },
  },
  {
    name: "channel-any-password",
    description: "The notification channel accepts any password for a known user name.",
    family: "permissions",
    apply: (_app, engine) => {
      const authenticate = engine.channelAuthenticate;
      engine.channelAuthenticate = (headers) => {
        const decoded = /^Basic\s+(\S+)$/i.exec(headers.authorization ?? "")?.[1];
        const username = decoded ? Buffer.from(decoded, "base64").toString("utf8").split(":")[0]! : "";
        const account = engine.auth.account(username);
        return authenticate(headers) ?? (account ? authenticate({ authorization: basicAuth(account.username, account.password) }) : undefined);
      };
    },
  },
  {
    name: "admin-allowed-on-agent-operations",
    description: "The Contact Center Admin may act on agents' interactions.",
    family: "permissions",
    apply: (app, engine) =>
      before(app, engine, (r, request) => {
        const principal = request.principal;
        if (r && principal?.account.username === "admin" && !principal.account.roles.includes("Agent")) {
          request.principal = { ...principal, account: engine.auth.account(r.owner ?? "agent1")! };
        }
      }),
  },
  {
    name: "foreign-interaction-allowed",
    description: "agent2 may act on agent1's interaction.",
    family: "permissions",
    apply: (app, engine) => before(app, engine, (r, request) => void (r && user(request) === "agent2" && r.owner === "agent1" ? (r.owner = "agent2") : undefined)),
  },
  {
    name: "drop-one-in-1000",
    description: "Every 1000th notification is silently not delivered.",
    family: "notifications",
    killedByLoad: "test/load.test.ts",
    apply: (_app, engine) => {
      let n = 0;
      notifier(engine, (u, d, deliver) => (++n % 1000 === 0 ? undefined : deliver(u, d)));
    },
  },
  {
    name: "foreign-list-leak",
    description: "agent2's GET /me/interactions also lists agent1's interactions.",
    family: "permissions",
    apply: (app, engine) =>
      rewrite(app, (request, _reply, body) => {
        if (user(request) !== "agent2" || !request.url.startsWith("/api/v2/me/interactions") || !Array.isArray(body.uris)) return undefined;
        const others = engine.store.ownedBy("agent1").map((r) => `${engine.baseUrl}/api/v2/interactions/${r.id}`);
        return { ...body, uris: [...(body.uris as string[]), ...others] };
      }),
  },
  {
    name: "server-error-on-unknown-operation",
    description: "An unknown operationName answers HTTP 500.",
    family: "bad-input",
    apply: (app) => app.addHook("onSend", async (request, reply, payload) => (isOperation(request) && reply.statusCode === 400 && /not supported/.test(String(payload)) ? (reply.code(500), payload) : payload)),
  },
  {
    name: "missing-parameter-accepted",
    description: "PlaceInQueue without queueName is accepted and places the interaction in its current queue.",
    family: "bad-input",
    apply: (app, engine) =>
      before(app, engine, (r, request) => {
        const body = request.body as Json | undefined;
        if (r && body && opName(request) === "PlaceInQueue" && body.queueName === undefined) body.queueName = r.currentQueue;
      }),
  },
  {
    name: "handshake-reply-bare",
    description: "The handshake reply leaves out the version Bayeux requires.",
    family: "channel",
    apply: (_app, engine) =>
      engine.notifier.cometd.addExtension({
        outgoing: (_server, _sender, _session, message, callback) => {
          if (message.channel === "/meta/handshake") delete message.version;
          callback(undefined, true);
        },
      }),
  },
  {
    name: "unknown-client-accepted",
    description: "A message with a clientId the server does not know gets a successful reply.",
    family: "channel",
    apply: (_app, engine) =>
      engine.notifier.cometd.addExtension({
        outgoing: (_server, _sender, _session, message, callback) => {
          if (typeof message.error === "string" && message.error.startsWith("402")) {
            message.successful = true;
            delete message.error;
            delete message.advice;
          }
          callback(undefined, true);
        },
      }),
  },
  {
    name: "wildcard-subscribers-see-all",
    description: "Any channel may be subscribed to, and a session subscribed to /** or /v2/** receives every agent's notifications.",
    family: "channel",
    apply: (_app, engine) => {
      const n = engine.notifier;
      n.cometd.policy!.canCreate = (_session, _message, _channel, callback) => callback(undefined, true);
      n.cometd.policy!.canSubscribe = (_session, _message, _channel, callback) => callback(undefined, true);
      const own = n.recipients.bind(n);
      n.recipients = (username) => [
        ...own(username),
        ...n.users().filter((u) => u !== username).flatMap((u) => n.sessionsOf(u)).filter((s) => s.subscriptions.some((c) => c.name === "/**" || c.name === "/v2/**")),
      ];
    },
  },
  {
    name: "publish-broadcasts",
    description: "A client may publish on /v2/me/interactions, and what it publishes reaches every subscribed agent.",
    family: "channel",
    apply: (_app, engine) => {
      engine.notifier.cometd.policy!.canPublish = (_session, _message, _channel, callback) => callback(undefined, true);
      engine.notifier.clientPublishes = "broadcast";
    },
  },
  {
    name: "non-agents-see-all",
    description: "Sessions of accounts without the Agent role (the admin, the role-less account) receive every agent's notifications.",
    family: "channel",
    apply: (_app, engine) => {
      const n = engine.notifier;
      const own = n.recipients.bind(n);
      const nonAgents = () => n.users().filter((u) => !engine.auth.account(u)?.roles.includes("Agent"));
      n.recipients = (username) => [...own(username), ...nonAgents().flatMap((u) => own(u))];
    },
  },
  {
    name: "cookie-handshake-refused",
    description: "The notification channel ignores the JSESSIONID cookie: only a Basic header authenticates a handshake.",
    family: "channel",
    apply: (_app, engine) => {
      const authenticate = engine.channelAuthenticate;
      engine.channelAuthenticate = (headers) => (headers.authorization ? authenticate(headers) : undefined);
    },
  },
  {
    name: "connect-advice-garbled",
    description: "The /meta/connect reply advises a negative interval.",
    family: "channel",
    apply: (_app, engine) =>
      engine.notifier.cometd.addExtension({
        outgoing: (_server, _sender, _session, message, callback) => {
          if (message.channel === "/meta/connect" && message.advice) message.advice = { ...message.advice, interval: -1000 };
          callback(undefined, true);
        },
      }),
  },
  {
    name: "unsubscribe-ignored",
    description: "A session that unsubscribed from /v2/me/interactions still receives the agent's notifications.",
    family: "channel",
    apply: (_app, engine) => {
      const n = engine.notifier;
      n.recipients = (username) => n.sessionsOf(username);
    },
  },
  {
    name: "disconnect-ignored",
    description: "/meta/disconnect is answered successful but the session lives on.",
    family: "channel",
    apply: (_app, engine) =>
      engine.notifier.cometd.addExtension({
        incoming: (_server, _session, message, callback) => {
          if (message.channel === "/meta/disconnect") message.channel = "/meta/connect";
          callback(undefined, true);
        },
      }),
  },
  {
    name: "only-first-session-delivered",
    description: "Only an agent's first session receives its notifications; a second one, or one opened after a new handshake, gets nothing.",
    family: "channel",
    apply: (_app, engine) => {
      const n = engine.notifier;
      const own = n.recipients.bind(n);
      n.recipients = (username) => own(username).slice(0, 1);
    },
  },
];

export function mutant(name: string): Mutant {
  const found = MUTANTS.find((m) => m.name === name);
  if (!found) throw new Error(`There is no mutant named ${name}; the mutants are: ${MUTANTS.map((m) => m.name).join(", ")}.`);
  return found;
}
