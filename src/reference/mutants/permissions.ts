// Mutants that break permissions: credentials, roles, another agent's interactions.
import { basicAuth } from "../../client/basic-auth.js";
import { before, rewrite, user, type Mutant } from "./support.js";

export const PERMISSION_MUTANTS: Mutant[] = [
  {
    name: "unauthenticated-allowed",
    description: "A request without credentials is served as agent1.",
    family: "permissions",
    apply: (_app, engine) => {
      const authenticate = engine.auth.authenticate.bind(engine.auth);
      const a = engine.auth.account("agent1")!;
      const asAgent1 = basicAuth(a.username, a.password);
      engine.auth.authenticate = (headers) =>
        authenticate(headers) ?? (headers.authorization ? undefined : authenticate({ authorization: asAgent1 }));
    },
  },
  {
    name: "channel-anonymous-handshake",
    description:
      "The notification channel takes a handshake without credentials as agent1's, and delivers agent1's notifications to it.",
    family: "permissions",
    apply: (_app, engine) => {
      const authenticate = engine.channelAuthenticate;
      const a = engine.auth.account("agent1")!;
      const asAgent1 = basicAuth(a.username, a.password);
      engine.channelAuthenticate = (headers) =>
        authenticate(headers) ?? (headers.authorization ? undefined : authenticate({ authorization: asAgent1 }));
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
        return (
          authenticate(headers) ??
          (account ? authenticate({ authorization: basicAuth(account.username, account.password) }) : undefined)
        );
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
    apply: (app, engine) =>
      before(
        app,
        engine,
        (r, request) =>
          void (r && user(request) === "agent2" && r.owner === "agent1" ? (r.owner = "agent2") : undefined),
      ),
  },
  {
    name: "foreign-list-leak",
    description: "agent2's GET /me/interactions also lists agent1's interactions.",
    family: "permissions",
    apply: (app, engine) =>
      rewrite(app, (request, _reply, body) => {
        if (
          user(request) !== "agent2" ||
          !request.url.startsWith("/api/v2/me/interactions") ||
          !Array.isArray(body.uris)
        )
          return undefined;
        const others = engine.store.ownedBy("agent1").map((r) => `${engine.baseUrl}/api/v2/interactions/${r.id}`);
        return { ...body, uris: [...(body.uris as string[]), ...others] };
      }),
  },
];
