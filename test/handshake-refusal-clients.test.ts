// A CometD handshake with a wrong password, refused by the reference server, as Bayeux client libraries see it
// (issue 22): the project's own client, the CometD project's JavaScript client and faye (written by neither) each
// tell the application within 2 s and send nothing more. The contrasts show that the assertions can fail: without
// advice reconnect none CometD and faye retry, and under an HTTP 401 CometD retries and faye tells nothing.
import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { basicAuth } from "../src/client/basic-auth.js";
import { preflight } from "../src/runner/preflight.js";
import { toRunConfig } from "../src/runner/config.js";
import { Redactor } from "../src/runner/redact.js";
import { configForServer } from "../src/reference/target-config.js";
import { startReferenceServer, type ReferenceServer } from "../src/reference/server.js";
import { LIBRARIES, WITHIN } from "./support/bayeux-libraries.js";

const PASSWORD = `wrong-${randomBytes(9).toString("base64url")}`;
const WRONG = basicAuth("agent1", PASSWORD);
type Name = keyof typeof LIBRARIES;

const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

interface Target {
  server: ReferenceServer;
  /** How many requests carrying agent1's wrong credentials have reached the server. */
  refusedRequests(): number;
}

/** The reference server with `variants` (`bare`: its handshake refusal stripped of advice), counting refused requests. */
async function start(variants: string[], bare = false): Promise<Target> {
  let count = 0;
  const server = await startReferenceServer({
    variants,
    configure: (app, engine) => {
      app.server.on("request", (request: IncomingMessage) => {
        if (request.headers.authorization === WRONG) count++;
      });
      if (bare)
        engine.notifier.editReplies((message) => {
          if (message.channel === "/meta/handshake" && message.successful === false) delete message.advice;
        });
    },
  });
  stops.push(() => server.close());
  return { server, refusedRequests: () => count };
}

/**
 * `library` handshakes as agent1 with a wrong password. Once the application is told (or WITHIN ms pass), the fence is
 * what an agent does with the same library in several round trips: agent2 handshakes, subscribes and receives an
 * invitation. What the refused session sent by then is counted.
 */
async function refuse({ server, refusedRequests }: Target, library: Name) {
  const refused = LIBRARIES[library](server.notificationsUrl, "agent1", PASSWORD);
  stops.push(() => refused.stop());
  const outcome = await refused.outcome;
  const { username, password } = server.account("agent2");
  const fence = LIBRARIES[library](server.notificationsUrl, username, password);
  stops.push(() => fence.stop());
  expect((await fence.outcome)?.subscribed, `${library}: agent2's fence session`).toBe(true);
  const provisioned = await fetch(server.hookUrl, {
    method: "POST",
    headers: { "content-type": "application/json", [server.hookHeader]: server.hookKey },
    body: JSON.stringify({ agent: "agent2", mediaType: "email", userData: { Conformance: "fence" } }),
  });
  await fence.received(((await provisioned.json()) as { id: string }).id);
  return { outcome, requests: refusedRequests(), events: refused.events };
}

describe("the default refusal: HTTP 200, successful false, 403::handshake_denied, advice reconnect none", () => {
  it("is what cometd-nodejs-server answers a denied handshake", async () => {
    const { server } = await start([]);
    const answer = await fetch(server.notificationsUrl, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: WRONG },
      body: JSON.stringify([
        { channel: "/meta/handshake", version: "1.0", supportedConnectionTypes: ["long-polling"] },
      ]),
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual([
      { channel: "/meta/handshake", successful: false, error: "403::handshake_denied", advice: { reconnect: "none" } },
    ]);
  });

  it.each(Object.keys(LIBRARIES) as Name[])(
    "%s tells the application within 2 s, and sends nothing more",
    async (library) => {
      const { outcome, requests } = await refuse(await start([]), library);
      expect(outcome?.refused, `${library} told the application nothing within ${WITHIN} ms`).toMatch(
        /Bayeux error 403::handshake_denied/,
      );
      expect(outcome!.ms).toBeLessThan(WITHIN);
      if (library === "NotificationClient") expect(outcome!.refused).toMatch(/^refused: /);
      expect(requests, `${library}: requests with the refused credentials`).toBe(1);
    },
  );

  it("the preflight names the account in one sentence, whatever form the refusal takes", async () => {
    for (const variants of [[], ["channel-refusal-http"]]) {
      const { server } = await start(variants);
      const file = configForServer(server);
      file.accounts.agent2!.password = PASSWORD;
      const secrets = server.accounts.map((a) => a.password).concat(PASSWORD, server.hookKey);
      const config = toRunConfig(file, "test", process.cwd()) as Parameters<typeof preflight>[0];
      const steps = await preflight(config, new Redactor(secrets));
      expect(
        steps.filter((s) => s.name === "notifications agent2").map((s) => s.message),
        `variants: ${variants.join() || "none"}`,
      ).toEqual([
        expect.stringMatching(
          /^agent2's CometD handshake at \S+ was refused \((Bayeux error 403::handshake_denied|HTTP 401 \w+)\); check accounts\.agent2\.username and its password, [^.]*\.$/,
        ),
      ]);
    }
  });
});

describe("the assertions can fail", () => {
  it.each(["cometd", "faye"] as const)("%s retries a refusal that lacks advice reconnect none", async (library) => {
    const { outcome, requests } = await refuse(await start([], true), library);
    expect(outcome?.refused).toMatch(/403::handshake_denied/);
    expect(requests).toBeGreaterThan(1);
  });

  it("the project's client does not retry even then: before its first subscription a failure is final", async () => {
    const { outcome, requests } = await refuse(await start([], true), "NotificationClient");
    expect(outcome?.refused).toMatch(/^refused: Bayeux error 403::handshake_denied/);
    expect(requests).toBe(1);
  });

  it("under the channel-refusal-http variant, cometd is told of the HTTP 401 at once but retries it", async () => {
    const { outcome, requests } = await refuse(await start(["channel-refusal-http"]), "cometd");
    expect(outcome?.refused).toMatch(/^HTTP 401/);
    expect(requests).toBeGreaterThan(1);
  });

  it("under the channel-refusal-http variant, faye reports the transport up and nothing else for 2 s", async () => {
    const { outcome, requests, events } = await refuse(await start(["channel-refusal-http"]), "faye");
    expect(outcome).toBeUndefined();
    expect(events).toEqual(["transport:up"]);
    expect(requests).toBe(1);
  });
});
