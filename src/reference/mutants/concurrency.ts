// Mutants that only requests in flight at once show (issue 23): each reads the interaction, waits on its store
// (a round trip of WINDOW_MS, as a database or a cache would take), and then acts on what it read, the check-then-act
// and read-modify-write races real servers ship. Alone, each request is handled exactly as the reference server
// handles it, so every serial check passes; two at once break what the page and gws-facts state of each one.
import type { FastifyRequest } from "fastify";
import { setTimeout as delay } from "node:timers/promises";
import { Op } from "../../generated/vocabulary.js";
import { specModel } from "../../model/catalog.js";
import type { EngineContext } from "../operations.js";
import type { InteractionRecord } from "../store.js";
import { carried, interactionId, isOperation, notifier, opName, type Json, type Mutant } from "./support.js";

/** The store's round trip between reading an interaction and writing it back. */
const WINDOW_MS = 50;

/**
 * Before each operation named in `names`, reads the interaction with `read`, waits WINDOW_MS, then hands what it
 * read to `act` (just before the reference server handles the request).
 */
function racing<T>(
  names: readonly string[],
  read: (record: InteractionRecord) => T,
  act: (record: InteractionRecord, before: T, request: FastifyRequest) => void,
): Mutant["apply"] {
  return (app, engine) =>
    app.addHook("preHandler", async (request) => {
      const name = opName(request);
      if (!isOperation(request) || name === undefined || !names.includes(name)) return;
      const record = engine.store.get(interactionId(request) ?? "");
      if (!record) return;
      const before = read(record);
      await delay(WINDOW_MS);
      act(record, before, request);
    });
}

const holding = (r: InteractionRecord) => ({ state: r.state, owner: r.owner, lastHolder: r.lastHolder });

/** The operations after which the agent no longer holds the interaction (the catalog's outcome). */
const LEAVING = specModel()
  .catalog.operations.filter((o) => o.outcome.holder !== "actor")
  .map((o) => o.operationName);

const USERDATA_WRITES = [Op.AttachUserData, Op.UpdateUserData, Op.DeleteUserData];

/** The userData a request writes, from its body. */
const written = (request: FastifyRequest): Json => (request.body as { userData?: Json }).userData ?? {};

export const CONCURRENCY_MUTANTS: Mutant[] = [
  {
    name: "accept-twice-in-flight",
    description:
      "Accept checks the state it read before a store round trip: two Accepts in flight are both performed (REQ-ACCEPT-1 refuses one).",
    family: "concurrency",
    apply: racing([Op.Accept], holding, (r, before) => Object.assign(r, before)),
  },
  {
    name: "release-twice-in-flight",
    description:
      "An operation that lets the interaction go checks who held it before a store round trip: two in flight (Complete and Transfer, Complete twice) are both performed.",
    family: "concurrency",
    apply: racing(LEAVING, holding, (r, before) => Object.assign(r, before)),
  },
  {
    name: "userdata-lost-update",
    description:
      "userData writes are read-modify-write without a lock: of two in flight, the last one written back drops the other's keys.",
    family: "concurrency",
    apply: racing(
      USERDATA_WRITES,
      (r) => ({ ...r.userData }),
      (r, before) => {
        for (const k of Object.keys(r.userData)) delete r.userData[k];
        Object.assign(r.userData, before);
      },
    ),
  },
  {
    name: "userdata-notify-stale",
    description:
      "The userData notification is built from what the request read before its store round trip plus its own keys: with two writes in flight, one notification lacks the other's keys, though both are stored.",
    family: "concurrency",
    apply: (app, engine: EngineContext) => {
      // What the request being handled read, and its own keys: the handler delivers right after its preHandler.
      let stale: { id: string; userData: Json } | undefined;
      racing(
        [Op.AttachUserData, Op.UpdateUserData],
        (r) => ({ ...r.userData }),
        (r, before, request) => void (stale = { id: r.id, userData: { ...before, ...written(request) } }),
      )(app, engine);
      notifier(engine, (username, data, deliver) => {
        const about = carried(data);
        if (stale && about?.id === stale.id && about.userData) about.userData = stale.userData;
        deliver(username, data);
      });
      app.addHook("onResponse", async () => void (stale = undefined));
    },
  },
];
