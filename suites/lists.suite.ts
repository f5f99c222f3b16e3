// The GET endpoints of the page's tables: both list forms of /me/interactions, the single resource, and the
// contact-center-wide list — seed: the /interactions, /me/interactions and /interactions/{id} tables.
import { specModel } from "../src/model/catalog.js";
import { check, useTarget, type CheckContext } from "../src/suite/check.js";
import { reach } from "../src/suite/scenario.js";

useTarget();
const model = specModel();
const endpoint = (id: string) => model.endpoint(id);
const pathOf = (id: string, interaction?: string) => {
  const e = endpoint(id);
  return e.path.replace("{id}", encodeURIComponent(interaction ?? "")) + (e.query ? `?${new URLSearchParams(e.query).toString().replace("%2A", "*")}` : "");
};
const spec = (id: string, title: string, accounts: ("agent" | "agent2" | "admin")[] = ["agent"]) => {
  const e = endpoint(id.split(".")[1]!);
  return { id, title, family: "lists" as const, operation: e.id, requirements: e.requirements, ambiguities: e.ambiguities, needs: { accounts } };
};

/** Fails unless `answer` is 200 with the endpoint's success schema. */
function expectList(t: CheckContext, endpointId: string, answer: Awaited<ReturnType<CheckContext["get"]>>, what: string): void {
  if (answer.status !== 200) t.fail(`${what} answered HTTP ${answer.status || answer.error}.`);
  t.expectBody(endpoint(endpointId).response![t.profile].success, answer, what, endpoint(endpointId).ambiguities);
}

check(spec("lists.list-my-interaction-uris", "GET /me/interactions lists the URIs of the agent's interactions"), async (t: CheckContext) => {
  const id = await reach(t, "Invited");
  const answer = await t.get(pathOf("list-my-interaction-uris"));
  expectList(t, "list-my-interaction-uris", answer, "GET /me/interactions");
  const uris = (answer.body as { uris: string[] }).uris;
  if (!uris.some((u) => u.endsWith(`/interactions/${id}`))) t.fail(`The URI list has no URI ending in /interactions/${id}.`);
});

check(spec("lists.list-my-interactions", "GET /me/interactions?fields=* lists the agent's interactions in full"), async (t: CheckContext) => {
  const id = await reach(t, "Processing");
  const answer = await t.get(pathOf("list-my-interactions"));
  expectList(t, "list-my-interactions", answer, "GET /me/interactions?fields=*");
  const item = (answer.body as { interactions: { id: string; state: string }[] }).interactions.find((i) => i.id === id);
  if (!item) t.fail(`The list has no interaction ${id}.`);
  if (item.state !== "Processing") t.fail(`The list shows ${id} in state ${item.state}, not Processing.`);
});

check(spec("lists.get-interaction", "GET /interactions/{id} returns the interaction, wrapped under \"interaction\""), async (t: CheckContext) => {
  const id = await reach(t, "Processing");
  const answer = await t.get(pathOf("get-interaction", id));
  expectList(t, "get-interaction", answer, `GET /interactions/${id}`);
  const interaction = (answer.body as { interaction: { id: string; state: string } }).interaction;
  if (interaction.id !== id) t.fail(`GET /interactions/${id} returned interaction ${interaction.id}.`);
  if (interaction.state !== "Processing") t.fail(`GET /interactions/${id} shows state ${interaction.state}, not Processing.`);
});

for (const role of ["admin", "agent"] as const) {
  check(
    spec(`lists.list-all-interactions${role === "agent" ? "" : ".as-admin"}`, `GET /interactions lists the contact center's active interactions to the ${role === "admin" ? "Contact Center Admin" : "Agent"}`, ["agent", role]),
    async (t: CheckContext) => {
      const id = await reach(t, "Processing");
      const answer = await t.get(pathOf("list-all-interactions"), role);
      expectList(t, "list-all-interactions", answer, `GET /interactions as ${role}`);
      const body = answer.body as { uris?: string[]; interactions?: { id: string }[] };
      t.note(`The list came in the ${body.uris ? "uris" : "interactions"} form (AMB-ALL-INTERACTIONS-BODY).`);
      const found = body.uris ? body.uris.some((u) => u.endsWith(`/interactions/${id}`)) : body.interactions!.some((i) => i.id === id);
      if (!found) t.fail(`GET /interactions as ${role} does not list the active interaction ${id}.`);
    },
  );
}

check(spec("lists.list-my-interactions.excludes-released", "An interaction the agent completed or rejected leaves both of its lists"), async (t: CheckContext) => {
  const released = [await reach(t, "Completed"), await reach(t, "Revoked")];
  const uris = await t.get(pathOf("list-my-interaction-uris"));
  const full = await t.get(pathOf("list-my-interactions"));
  for (const id of released) {
    if (((uris.body as { uris?: string[] })?.uris ?? []).some((u) => u.endsWith(`/interactions/${id}`))) t.fail(`The released interaction ${id} is still in GET /me/interactions.`);
    if (((full.body as { interactions?: { id: string }[] })?.interactions ?? []).some((i) => i.id === id)) t.fail(`The released interaction ${id} is still in GET /me/interactions?fields=*.`);
  }
});
