// Drives the in-process reference server over real HTTP (supertest) for the project's own tests.
import request from "supertest";
import type { Operation } from "../../src/generated/schema-types.js";
import { specModel, type Profile } from "../../src/model/catalog.js";
import { requestBody } from "../../src/model/requests.js";
import { startReferenceServer, type ReferenceServer, type ReferenceServerOptions } from "../../src/reference/server.js";

export type State = "Invited" | "Processing" | "Composing" | "InWorkbin" | "Completed" | "Revoked";

import { basicAuth } from "../../src/client/basic-auth.js";

export const basic = basicAuth;

export class ReferenceHarness {
  private constructor(readonly server: ReferenceServer) {}

  static async start(options: ReferenceServerOptions = {}): Promise<ReferenceHarness> {
    return new ReferenceHarness(await startReferenceServer(options));
  }

  get profile(): Profile {
    return this.server.profile;
  }

  auth(username: string): string {
    const a = this.server.account(username);
    return basic(a.username, a.password);
  }

  get(path: string, as = "agent1") {
    return request(this.server.url).get(path).set("authorization", this.auth(as));
  }

  post(id: string, body: unknown, as = "agent1") {
    return request(this.server.url)
      .post(`/api/v2/me/interactions/${id}`)
      .set("authorization", this.auth(as))
      .send(body as object);
  }

  /** The interaction as its last holder sees it (statusCode body unwrapped), for before/after comparisons. */
  async snapshot(id: string, as = "agent1"): Promise<Record<string, unknown>> {
    const res = await this.get(`/api/v2/interactions/${id}`, as);
    if (res.status !== 200) throw new Error(`GET ${id} as ${as} answered ${res.status} ${res.text}`);
    return res.body.interaction;
  }

  async provision(
    agent = "agent1",
    userData: Record<string, unknown> = { ConformanceRun: "self-test" },
  ): Promise<string> {
    const res = await request(this.server.url)
      .post("/test-hooks/interactions")
      .set(this.server.hookHeader, this.server.hookKey)
      .send({ agent, mediaType: "email", userData });
    if (res.status !== 201) throw new Error(`The hook answered ${res.status} ${res.text}`);
    return res.body.id as string;
  }

  body(operation: Operation | string, target = "agent2"): Record<string, unknown> {
    const op = typeof operation === "string" ? specModel().operation(operation) : operation;
    const t = this.server.account(target);
    return requestBody(op, this.profile, {
      queue: this.server.queues[0]!,
      workbin: this.server.workbins[0]!,
      target: { id: t.id, uri: `${this.server.url}/api/v2/users/${t.id}` },
      marker: "self-test",
    });
  }

  async perform(id: string, operationName: string, as = "agent1"): Promise<request.Response> {
    const res = await this.post(id, this.body(operationName), as);
    if (res.status !== 200) throw new Error(`${operationName} on ${id} answered ${res.status} ${res.text}`);
    return res;
  }

  /** An interaction of agent1 in `state`, reached through the API itself. */
  async reach(state: State): Promise<string> {
    const id = await this.provision();
    if (state === "Invited") return id;
    if (state === "Revoked") return (await this.perform(id, "Reject"), id);
    await this.perform(id, "Accept");
    switch (state) {
      case "Processing":
        return id;
      case "Completed":
        return (await this.perform(id, "Complete"), id);
      case "InWorkbin":
        return (await this.perform(id, "PlaceInWorkbin"), id);
      case "Composing": {
        await this.perform(id, "Reply");
        const list = await this.get("/api/v2/me/interactions?fields=*");
        const child = (list.body.interactions as { id: string; parentId?: string }[]).find((i) => i.parentId === id);
        if (!child) throw new Error("Reply created no interaction.");
        return child.id;
      }
    }
  }

  close(): Promise<void> {
    return this.server.close();
  }
}
