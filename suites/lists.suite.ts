// The GET endpoints of the page's tables: both list forms of /me/interactions, the single resource, and the
// contact-center-wide list — seed: the /interactions, /me/interactions and /interactions/{id} tables.
import { State } from "../src/generated/vocabulary.js";
import { specModel } from "../src/model/catalog.js";
import { check, useTarget, type CheckContext, type Normative } from "../src/suite/check.js";
import { reach } from "../src/suite/scenario.js";

useTarget();
const model = specModel();
const endpoint = (id: string) => model.endpoint(id);
const pathOf = (id: string, interaction?: string) => {
  const e = endpoint(id);
  return (
    e.path.replace("{id}", encodeURIComponent(interaction ?? "")) +
    (e.query ? `?${new URLSearchParams(e.query).toString().replace("%2A", "*")}` : "")
  );
};
const spec = (id: string, title: string, accounts: ("agent" | "agent2" | "admin")[] = ["agent"]) => {
  const e = endpoint(id.split(".")[1]!);
  return {
    id,
    title,
    family: "lists" as const,
    operation: e.id,
    requirements: e.requirements,
    ambiguities: e.ambiguities,
    needs: { accounts },
  };
};

/** The clause each endpoint's success body rests on (gws-facts; seed adopts it: AMB-URI-LIST, AMB-GET-INTERACTION-WRAP). */
const BODY_CLAUSE: Record<string, Normative> = {
  "list-my-interaction-uris": "FACT-LISTS",
  "list-my-interactions": "FACT-LISTS",
  "get-interaction": "FACT-SINGULAR",
  "list-all-interactions": "REQ-LIST-ALL-1",
};

/** Fails unless `answer` is 200 with the endpoint's success schema. */
function expectList(
  t: CheckContext,
  endpointId: string,
  answer: Awaited<ReturnType<CheckContext["get"]>>,
  what: string,
  clause: Normative,
): void {
  t.expect(clause, answer.status === 200, () => `${what} answered HTTP ${answer.status || answer.error}.`);
  t.expectBody(
    endpoint(endpointId).response![t.profile].success,
    answer,
    what,
    BODY_CLAUSE[endpointId]!,
    endpoint(endpointId).ambiguities,
  );
}

check(
  spec("lists.list-my-interaction-uris", "GET /me/interactions lists the URIs of the agent's interactions"),
  async (t: CheckContext) => {
    const id = await reach(t, State.Invited);
    const answer = await t.get(pathOf("list-my-interaction-uris"));
    expectList(t, "list-my-interaction-uris", answer, "GET /me/interactions", "REQ-ME-URIS-1");
    const uris = (answer.body as { uris: string[] }).uris;
    t.expect(
      "REQ-ME-URIS-1",
      uris.some((u) => u.endsWith(`/interactions/${id}`)),
      `The URI list has no URI ending in /interactions/${id}.`,
    );
  },
);

check(
  spec("lists.list-my-interactions", "GET /me/interactions?fields=* lists the agent's interactions in full"),
  async (t: CheckContext) => {
    const id = await reach(t, State.Processing);
    const answer = await t.get(pathOf("list-my-interactions"));
    expectList(t, "list-my-interactions", answer, "GET /me/interactions?fields=*", "REQ-ME-FULL-1");
    const item = (answer.body as { interactions: { id: string; state: string }[] }).interactions.find(
      (i) => i.id === id,
    );
    if (!item) t.fail("REQ-ME-FULL-1", `The list has no interaction ${id}.`);
    t.expect(
      "FACT-STATES",
      item.state === State.Processing,
      `The list shows ${id} in state ${item.state}, not Processing.`,
    );
  },
);

check(
  spec("lists.get-interaction", 'GET /interactions/{id} returns the interaction, wrapped under "interaction"'),
  async (t: CheckContext) => {
    const id = await reach(t, State.Processing);
    const answer = await t.get(pathOf("get-interaction", id));
    expectList(t, "get-interaction", answer, `GET /interactions/${id}`, "REQ-GET-1");
    const interaction = (answer.body as { interaction: { id: string; state: string } }).interaction;
    t.expect("REQ-GET-1", interaction.id === id, `GET /interactions/${id} returned interaction ${interaction.id}.`);
    t.expect(
      "FACT-STATES",
      interaction.state === State.Processing,
      `GET /interactions/${id} shows state ${interaction.state}, not Processing.`,
    );
  },
);

for (const role of ["admin", "agent"] as const) {
  check(
    spec(
      `lists.list-all-interactions${role === "agent" ? "" : ".as-admin"}`,
      `GET /interactions lists the contact center's active interactions to the ${role === "admin" ? "Contact Center Admin" : "Agent"}`,
      ["agent", role],
    ),
    async (t: CheckContext) => {
      const id = await reach(t, State.Processing);
      const answer = await t.get(pathOf("list-all-interactions"), role);
      expectList(
        t,
        "list-all-interactions",
        answer,
        `GET /interactions as ${role}`,
        role === "admin" ? "FACT-ADMIN-COLUMN" : "REQ-LIST-ALL-2",
      );
      const body = answer.body as { uris?: string[]; interactions?: { id: string }[] };
      t.note(`The list came in the ${body.uris ? "uris" : "interactions"} form (AMB-ALL-INTERACTIONS-BODY).`);
      const found = body.uris
        ? body.uris.some((u) => u.endsWith(`/interactions/${id}`))
        : body.interactions!.some((i) => i.id === id);
      t.expect("REQ-LIST-ALL-1", found, `GET /interactions as ${role} does not list the active interaction ${id}.`);
    },
  );
}

check(
  spec(
    "lists.list-my-interactions.excludes-released",
    "An interaction the agent completed or rejected leaves both of its lists",
  ),
  async (t: CheckContext) => {
    const released = [
      [await reach(t, State.Completed), "REQ-COMPLETE-2"],
      [await reach(t, State.Revoked), "REQ-REJECT-2"],
    ] as const;
    const uris = await t.get(pathOf("list-my-interaction-uris"));
    const full = await t.get(pathOf("list-my-interactions"));
    for (const [id, clause] of released) {
      t.expect(
        clause,
        !((uris.body as { uris?: string[] })?.uris ?? []).some((u) => u.endsWith(`/interactions/${id}`)),
        `The released interaction ${id} is still in GET /me/interactions.`,
      );
      t.expect(
        clause,
        !((full.body as { interactions?: { id: string }[] })?.interactions ?? []).some((i) => i.id === id),
        `The released interaction ${id} is still in GET /me/interactions?fields=*.`,
      );
    }
  },
);
