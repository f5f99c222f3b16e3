// Lifecycle, reply: Reply creates a Composing reply and Cancel abandons it; the REST views of the reply and of the
// interaction it answers agree with their notifications, which go through the states in the order of the steps.
import { Op } from "../src/generated/vocabulary.js";
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
  statesThrough,
  step,
  type Track,
} from "../src/suite/lifecycle.js";
import { answered } from "../src/suite/malformed.js";
import { bodyFor, createReply, succeeded } from "../src/suite/scenario.js";

useTarget();
const replyOp = specModel().operation(Op.Reply);

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
    const made = await createReply(t, parent.id, Op.Reply);
    t.expect(
      "FACT-REPLY",
      succeeded(t, replyOp, made.answer),
      `Reply on ${parent.id} answered ${answered(made.answer)} instead of succeeding.`,
    );
    const created = made.reply!;
    const reply: Track = { role: "agent", id: created.id, since };
    const state = interactionOf(created.notification.data)!.state;
    const creates = replyOp.outcome.creates!;
    t.expect(
      "FACT-REPLY",
      state === creates,
      `The reply ${reply.id} created by Reply was notified in state ${String(state)}, not ${creates}.`,
    );
    await expectRestMatches(t, reply, Op.Reply, "held");
    await expectRestMatches(t, parent, Op.Reply, "held");
    const end = removal(Op.Cancel);
    await step(t, reply, bodyFor(t, Op.Cancel), undefined, end);
    await expectRestMatches(t, reply, Op.Cancel, { left: end.leaves });
    // The inbound interaction is untouched by the reply's fate.
    await expectRestMatches(t, parent, "Cancel of its reply", "held");
    await expectStateOrder(t, reply, statesThrough([Op.Cancel], creates));
    await expectStateOrder(t, parent, statesThrough([Op.Accept, Op.Reply]));
  },
);
