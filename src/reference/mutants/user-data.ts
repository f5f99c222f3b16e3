// Mutants that break userData semantics, and what an operation must not touch.
import { Op } from "../../generated/vocabulary.js";
import { after, before, opName, user, type Json, type Mutant } from "./support.js";

export const USER_DATA_MUTANTS: Mutant[] = [
  {
    name: "attach-overwrites-all",
    description: "AttachUserData replaces the whole userData instead of adding keys.",
    family: "userData",
    apply: (app, engine) =>
      after(app, engine, Op.AttachUserData, (r, request) => {
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
      before(
        app,
        engine,
        (r, request) =>
          void (r && opName(request) === Op.UpdateUserData ? saved.set(r.id, { ...r.userData }) : undefined),
      );
      after(app, engine, Op.UpdateUserData, (r) => {
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
      before(
        app,
        engine,
        (r, request) =>
          void (r && opName(request) === Op.DeleteUserData ? saved.set(r.id, { ...r.userData }) : undefined),
      );
      after(app, engine, Op.DeleteUserData, (r) => Object.assign(r.userData, saved.get(r.id)));
    },
  },
  {
    name: "workbin-without-userdata",
    description: "PlaceInWorkbin does not set userData Workbin to the workbin's name.",
    family: "userData",
    apply: (app, engine) => after(app, engine, Op.PlaceInWorkbin, (r) => void delete r.userData.Workbin),
  },
  {
    name: "update-clears-other-keys",
    description: "UpdateUserData replaces the whole userData with the keys it is given.",
    family: "userData",
    apply: (app, engine) =>
      after(app, engine, Op.UpdateUserData, (r, request) => {
        for (const k of Object.keys(r.userData)) delete r.userData[k];
        Object.assign(r.userData, (request.body as { userData: Json }).userData);
      }),
  },
  {
    name: "delete-clears-all-keys",
    description: "DeleteUserData deletes every key, not only the ones it names.",
    family: "userData",
    apply: (app, engine) =>
      after(app, engine, Op.DeleteUserData, (r) => Object.keys(r.userData).forEach((k) => delete r.userData[k])),
  },
  {
    name: "attach-writes-every-interaction",
    description: "AttachUserData also attaches its userData to every other interaction the agent holds.",
    family: "userData",
    apply: (app, engine) =>
      after(app, engine, Op.AttachUserData, (r, request) => {
        for (const other of engine.store.ownedBy(user(request) ?? ""))
          if (other.id !== r.id) Object.assign(other.userData, (request.body as { userData: Json }).userData);
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
];
