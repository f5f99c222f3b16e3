// The reference server: a conforming GWS Interactions API with real CometD notifications, started in-process
// (startReferenceServer) or standalone (src/reference/cli.ts).
import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Fastify, { type FastifyInstance } from "fastify";
import type { ReferenceAccountSpec } from "../generated/schema-types.js";
import type { Profile } from "../model/catalog.js";
import { DEFAULT_ACCOUNTS, materializeAccounts, withAgents, type ReferenceAccount } from "./accounts.js";
import { Authenticator } from "./auth.js";
import { mutant } from "./mutants.js";
import { defaultReading } from "./reading.js";
import { variant } from "./variants.js";
import { Notifier, NOTIFICATIONS_PATH, reply } from "./notifier.js";
import type { EngineContext } from "./operations.js";
import { HOOK_PATH, HOOK_HEADER, registerRoutes } from "./routes.js";
import { InteractionStore } from "./store.js";
import type { Features } from "./views.js";

const VERSION = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;

export interface ReferenceServerOptions {
  /** 0 (default) lets the OS pick a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  profile?: Profile;
  accounts?: ReferenceAccountSpec[];
  hookKey?: string;
  features?: Partial<Features>;
  queues?: string[];
  workbins?: string[];
  /** Largest accepted request body in bytes (default 64 KiB). */
  bodyLimit?: number;
  /** Agent accounts named agent1 ... agentN to have (default 2); the extra ones form the agent pool. */
  agents?: number;
  /** How long CometD holds a long poll with nothing to send (default 25 s). */
  longPollHoldMs?: number;
  /**
   * Called once the routes are registered, before listening: tests use it to make the server misbehave
   * (a Fastify hook that rewrites answers, a wrapped engine.deliver that drops or misroutes notifications).
   */
  configure?: (app: FastifyInstance, engine: EngineContext) => void;
  /** A named mutant of src/reference/mutants.ts: a deliberately non-conforming server, for mutation testing. */
  mutant?: string;
  /** Conforming variants of src/reference/variants.ts: other valid readings of the spec, combined in order. */
  variants?: string[];
}

export interface ReferenceServer {
  url: string;
  /** The mutant it runs, if any. */
  mutant?: string;
  /** The conforming variants it runs (none: the reference server's own reading). */
  variants: string[];
  notificationsUrl: string;
  hookUrl: string;
  hookHeader: string;
  hookKey: string;
  profile: Profile;
  features: Features;
  queues: string[];
  workbins: string[];
  accounts: ReferenceAccount[];
  /** The account with this username (throws when there is none). */
  account(username: string): ReferenceAccount;
  close(): Promise<void>;
}

export const DEFAULT_FEATURES: Features = {
  transfer: true,
  workbins: true,
  reply: true,
  putInteraction: true,
  csrf: false,
};

export async function startReferenceServer(options: ReferenceServerOptions = {}): Promise<ReferenceServer> {
  const profile = options.profile ?? "seed";
  if (options.mutant) mutant(options.mutant); // an unknown name fails before anything listens
  const chosen = (options.variants ?? []).map((name) => variant(name, profile));
  const features = { ...DEFAULT_FEATURES, ...options.features };
  const accounts = materializeAccounts(withAgents(options.accounts ?? DEFAULT_ACCOUNTS, options.agents));
  const auth = new Authenticator(accounts);
  const bodyLimit = Math.max(options.bodyLimit ?? 64 * 1024, ...chosen.map((v) => v.bodyLimit ?? 0));
  const notifier = new Notifier((headers) => engine.channelAuthenticate(headers), {
    holdMs: options.longPollHoldMs ?? 25_000,
    bodyLimit,
    reading: () => engine.reading.channel,
  });
  const hookKey = options.hookKey ?? randomBytes(18).toString("base64url");
  let referenceId = 0;
  const engine: EngineContext = {
    profile,
    features,
    baseUrl: "",
    store: new InteractionStore(),
    auth,
    queues: options.queues ?? ["conformance-queue"],
    workbins: options.workbins ?? ["conformance-workbin"],
    deliver: (username, data) => notifier.deliver(username, data),
    notifier,
    channelAuthenticate: (headers) => auth.authenticate(headers),
    nextReferenceId: () => ++referenceId,
    reading: defaultReading(profile),
  };
  for (const v of chosen) v.apply(engine.reading, engine);

  // CometD reads its own request bodies, so /api/v2/notifications is routed before Fastify parses anything.
  const notifications = (request: IncomingMessage, response: ServerResponse) => {
    // Left to the handshake policy (Bayeux's successful:false, 403::handshake_denied, reconnect none), or (a
    // variant) refused here with an HTTP status before any Bayeux processing.
    if (engine.reading.channel.httpRefusal && !engine.channelAuthenticate(request.headers)) {
      const status = engine.reading.httpStatus.unauthenticated;
      return reply(
        response,
        status,
        { statusCode: 20, statusMessage: "Access denied." },
        status === 401 ? { "www-authenticate": 'Basic realm="GWS"' } : {},
      );
    }
    notifier.handle(request, response);
  };
  let httpServer: Server | undefined;
  const app = Fastify({
    bodyLimit,
    onProtoPoisoning: "error",
    onConstructorPoisoning: "error",
    logger: false,
    serverFactory: (handler) => {
      httpServer = createServer((request, response) => {
        const path = (request.url ?? "").split("?")[0];
        if (path === NOTIFICATIONS_PATH || path?.startsWith(`${NOTIFICATIONS_PATH}/`))
          return notifications(request, response);
        handler(request, response);
      });
      // Above the idle gaps of clients that keep connections between requests and long polls.
      httpServer.keepAliveTimeout = 65_000;
      httpServer.headersTimeout = 66_000;
      return httpServer;
    },
  });
  registerRoutes(app, { engine, hookKey });
  // The server's version, where GWS has its diagnostics resource (read into a run's provenance.json).
  app.get("/api/v2/diagnostics/version", async () => ({
    statusCode: 0,
    version: `gws-conformance-reference ${VERSION}`,
  }));
  if (options.mutant) mutant(options.mutant).apply(app, engine);
  options.configure?.(app, engine);

  await app.listen({ port: options.port ?? 0, host: options.host ?? "127.0.0.1" });
  const address = httpServer!.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  engine.baseUrl = url;

  let closing: Promise<void> | undefined;
  return {
    url,
    mutant: options.mutant,
    variants: chosen.map((v) => v.name),
    notificationsUrl: `${url}${NOTIFICATIONS_PATH}`,
    hookUrl: `${url}${HOOK_PATH}`,
    hookHeader: HOOK_HEADER,
    hookKey,
    profile,
    features,
    queues: engine.queues,
    workbins: engine.workbins,
    accounts,
    account(username) {
      const found = accounts.find((a) => a.username === username);
      if (!found) throw new Error(`The reference server has no account ${username}.`);
      return found;
    },
    close() {
      closing ??= (async () => {
        notifier.close();
        httpServer!.closeAllConnections();
        await app.close();
      })();
      return closing;
    },
  };
}
