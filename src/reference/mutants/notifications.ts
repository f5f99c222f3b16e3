// Mutants that break notifications: missing, duplicated, late, misrouted, malformed.
import { Op, State } from "../../generated/vocabulary.js";
import { carried, notifier, type Json, type Mutant } from "./support.js";

export const NOTIFICATION_MUTANTS: Mutant[] = [
  {
    name: "accept-no-notification",
    description: "Accept sends no notification.",
    family: "notifications",
    apply: (_app, engine) =>
      notifier(engine, (u, d, deliver) => (carried(d)?.state === State.Processing ? undefined : deliver(u, d))),
  },
  {
    name: "complete-duplicate-notification",
    description: "Complete's removal notification is sent twice.",
    family: "notifications",
    decided: ["seed", "gws"],
    apply: (_app, engine) =>
      notifier(engine, (u, d, deliver) => {
        deliver(u, d);
        if (carried(d)?.state === State.Completed) deliver(u, d);
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
    apply: (_app, engine) =>
      notifier(engine, (u, d, deliver) =>
        carried(d)?.state === State.Invited ? deliver(u, d) : void setTimeout(() => deliver(u, d), 5000).unref(),
      ),
  },
  {
    name: "invitation-without-reject",
    description: "The invitation's capabilities lack Reject.",
    family: "notifications",
    apply: (_app, engine) =>
      notifier(engine, (u, d, deliver) => {
        const i = carried(d);
        if (i?.state === State.Invited && Array.isArray(i.capabilities))
          i.capabilities = (i.capabilities as string[]).filter((c) => c !== Op.Reject);
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
        if (i?.state === State.Completed) i.capabilities = [Op.Complete];
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
    apply: (_app, engine) =>
      notifier(engine, (u, d, deliver) => (Array.isArray(d) || (d as Json)?.workbin ? undefined : deliver(u, d))),
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
];
