// Mutants that break states, capabilities, preconditions and ownership.
import { Op, State } from "../../generated/vocabulary.js";
import {
  after,
  before,
  interactionId,
  isOperation,
  keeps,
  opName,
  rewrite,
  user,
  type Json,
  type Mutant,
} from "./support.js";

export const STATE_MUTANTS: Mutant[] = [
  {
    name: "accept-wrong-state",
    description: "After Accept the interaction is in state Chatting, not Processing.",
    family: "state",
    apply: (app, engine) => after(app, engine, Op.Accept, (r) => void (r.state = "Chatting")),
  },
  {
    name: "complete-stays-processing",
    description: "Complete answers ok but the interaction stays Processing with the agent.",
    family: "state",
    apply: (app, engine) =>
      after(app, engine, Op.Complete, (r) => {
        r.state = State.Processing;
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
          if (i?.state === State.Processing && Array.isArray(i.capabilities)) {
            i.capabilities = (i.capabilities as string[]).filter((c) => c !== Op.Complete);
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
        if (i?.state !== State.Invited || !Array.isArray(i.capabilities)) return undefined;
        i.capabilities = [...(i.capabilities as string[]), Op.Complete];
        return body;
      }),
  },
  {
    name: "complete-allowed-on-invitation",
    description: "Complete is accepted on an interaction that was never accepted.",
    family: "preconditions",
    apply: (app, engine) =>
      before(
        app,
        engine,
        (r, request) =>
          void (r && opName(request) === Op.Complete && r.state === State.Invited
            ? (r.state = State.Processing)
            : undefined),
      ),
  },
  {
    name: "cancel-allowed-on-processing",
    description: "Cancel is accepted on an accepted inbound interaction, not only on a reply.",
    family: "preconditions",
    apply: (app, engine) =>
      before(
        app,
        engine,
        (r, request) =>
          void (r && opName(request) === Op.Cancel && r.state === State.Processing
            ? (r.state = State.Composing)
            : undefined),
      ),
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
    apply: (app) =>
      rewrite(app, (_request, reply, body) =>
        reply.statusCode === 409 && body.statusCode === 2 ? { ...body, statusCode: 1 } : undefined,
      ),
  },
  {
    name: "complete-ends-siblings",
    description: "Complete also completes the agent's other Processing interactions.",
    family: "ownership",
    apply: (app, engine) =>
      after(app, engine, Op.Complete, (r, request) => {
        for (const other of engine.store.ownedBy(user(request) ?? "")) {
          if (other.id !== r.id && other.state === State.Processing)
            Object.assign(other, { state: State.Completed, owner: null });
        }
      }),
  },
  {
    name: "transfer-keeps-first-agent",
    description: "Transfer answers ok but the interaction stays with the first agent.",
    family: "ownership",
    apply: (app, engine) => keeps(app, engine, Op.Transfer, State.Processing),
  },
  {
    name: "place-in-queue-keeps-ownership",
    description: "PlaceInQueue answers ok but the agent keeps the interaction.",
    family: "ownership",
    apply: (app, engine) => keeps(app, engine, Op.PlaceInQueue, State.Processing),
  },
  {
    name: "reject-keeps-interaction",
    description: "Reject answers ok but the invitation stays with the agent.",
    family: "ownership",
    apply: (app, engine) => keeps(app, engine, Op.Reject, State.Invited),
  },
];
