// Lifecycle, reply: Reply creates a Composing reply and Cancel abandons it; the REST views of the reply and of the
// interaction it answers agree with their notifications, which go through the states in the order of the steps.
import { specModel } from "../src/model/catalog.js";
import { check, useTarget, type CheckContext } from "../src/suite/check.js";
import { interactionOf } from "../src/suite/interactions.js";
import {
  accepted,
  expectRestMatches,
  expectStateOrder,
  invited,
  NOTIFIED,
  removal,
  step,
  type Track,
} from "../src/suite/lifecycle.js";
import { answered } from "../src/suite/malformed.js";
import { bodyFor, replyTo, succeeded } from "../src/suite/scenario.js";

useTarget();
const model = specModel();

check(
  {
    id: "lifecycle.reply-then-cancel",
    title: "Reply creates a Composing reply, Cancel abandons it: REST agrees with each notification, in order",
    family: "success",
    operation: "cancel",
    requirements: ["REQ-CANCEL-1", "REQ-CANCEL-2", "FACT-REPLY", "FACT-REPLY-NOTIFICATION"],
    ambiguities: [...NOTIFIED, "AMB-CANCEL-PRECONDITION", "AMB-REPLY-LINK"],
    needs: { accounts: ["agent"], features: ["reply"] },
  },
  async (t: CheckContext) => {
    const parent = await invited(t);
    await accepted(t, parent);
    const since = await t.mark("agent");
    const made = await replyTo(t, parent.id);
    t.expect(
      "FACT-REPLY",
      succeeded(t, model.operation("Reply"), made.answer),
      `Reply on ${parent.id} answered ${answered(made.answer)} instead of succeeding.`,
    );
    const created = made.reply!;
    const reply: Track = { role: "agent", id: created.id, since };
    const state = interactionOf(created.notification.data)!.state;
    t.expect(
      "FACT-REPLY",
      state === "Composing",
      `The reply ${reply.id} created by Reply was notified in state ${String(state)}, not Composing.`,
    );
    await expectRestMatches(t, reply, "Reply", "held");
    await expectRestMatches(t, parent, "Reply", "held");
    const end = removal("Cancel");
    await step(t, reply, bodyFor(t, "Cancel"), "Composing", end);
    await expectRestMatches(t, reply, "Cancel", { left: end.leaves });
    // The inbound interaction is untouched by the reply's fate.
    await expectRestMatches(t, parent, "Cancel of its reply", "held");
    await expectStateOrder(t, reply, [["Composing"], "removed"]);
    await expectStateOrder(t, parent, [["Invited"], ["Processing"]]);
  },
);
