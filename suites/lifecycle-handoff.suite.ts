// Lifecycle, hand-offs: Transfer to agent2, PlaceInQueue and PlaceInWorkbin end the agent's hold, step by step;
// each agent's REST view agrees with its last notification, and the notifications go through the states in order.
import { Op } from "../src/generated/vocabulary.js";
import { specModel } from "../src/model/catalog.js";
import { check, useTarget, type CheckContext } from "../src/suite/check.js";
import { workbinContentOf } from "../src/suite/interactions.js";
import {
  accepted,
  completed,
  expectRestMatches,
  expectStateOrder,
  invited,
  lastNotified,
  NOTIFIED,
  outcomeNotification,
  perform,
  removal,
  statesThrough,
  step,
  type Track,
} from "../src/suite/lifecycle.js";
import { shown } from "../src/suite/malformed.js";
import { bodyFor } from "../src/suite/scenario.js";

useTarget();
const model = specModel();

check(
  {
    id: "lifecycle.transfer-to-agent2",
    title:
      "Accept, Transfer to agent2, agent2 works on it and completes it: each agent's REST view agrees with its notifications",
    family: "success",
    operation: "transfer",
    requirements: ["REQ-TRANSFER-1", "REQ-ACCEPT-4", "REQ-ACCEPT-1", "REQ-ACCEPT-3", "REQ-COMPLETE-2"],
    ambiguities: [...NOTIFIED, "AMB-TRANSFER-NAME", "AMB-TRANSFER-TARGET", "AMB-TRANSFER-OUTCOME", "AMB-OWNERSHIP-END"],
    needs: { accounts: ["agent", "agent2"], features: ["transfer"] },
  },
  async (t: CheckContext) => {
    const mine = await invited(t, "agent");
    await accepted(t, mine);
    const theirs: Track = { role: "agent2", id: mine.id, since: await t.mark("agent2") };
    const end = removal(Op.Transfer);
    const transfer = bodyFor(t, Op.Transfer);
    await step(t, mine, transfer, undefined, end);
    const given = await t.expectNotification("agent2", mine.id, {
      since: theirs.since,
      clause: "REQ-TRANSFER-1",
      description: `agent2's notification after Transfer (${shown(transfer)})`,
      match: (i) => i.state !== undefined,
    });
    // The register expects an invitation; a target that owns it at once (AMB-TRANSFER-OUTCOME) goes on from Processing.
    const offered = model.operation(Op.Transfer).notifications.find((n) => n.to === "target")!.state!;
    const direct = given.interaction.state !== offered;
    if (direct)
      t.warn(
        "AMB-TRANSFER-OUTCOME",
        `After Transfer agent2 was notified of ${mine.id} in state ${String(given.interaction.state)}, not ${offered}.`,
      );
    await expectRestMatches(t, mine, "Transfer to agent2", { moved: end.leaves });
    await expectRestMatches(t, theirs, "Transfer to agent2", "held");
    if (!direct) await accepted(t, theirs);
    // agent1 no longer holds it: agent2's work does not bring it back to agent1's list.
    await expectRestMatches(t, mine, "agent2's work on it", { moved: end.leaves });
    await completed(t, theirs);
    await expectStateOrder(t, mine, statesThrough([Op.Accept, Op.Transfer]));
    const accept = model.operation(Op.Accept);
    await expectStateOrder(
      t,
      theirs,
      direct ? statesThrough([Op.Complete], accept.outcome.state) : statesThrough([Op.Accept, Op.Complete]),
    );
  },
);

check(
  {
    id: "lifecycle.place-in-queue",
    title: "Accept, PlaceInQueue: REST agrees with each notification, in order, and the agent no longer holds it",
    family: "success",
    operation: "place-in-queue",
    requirements: ["REQ-ACCEPT-1", "REQ-ACCEPT-2", "REQ-ACCEPT-4", "REQ-PLACEINQUEUE-1"],
    ambiguities: [...NOTIFIED, "AMB-OWNERSHIP-END"],
    needs: { accounts: ["agent"] },
  },
  async (t: CheckContext) => {
    const track = await invited(t);
    await accepted(t, track);
    const end = removal(Op.PlaceInQueue);
    await step(t, track, bodyFor(t, Op.PlaceInQueue), undefined, end);
    await expectRestMatches(t, track, Op.PlaceInQueue, { left: end.leaves });
    await expectStateOrder(t, track, statesThrough([Op.Accept, Op.PlaceInQueue]));
  },
);

check(
  {
    id: "lifecycle.workbin-then-content",
    title: "PlaceInWorkbin, then GetWorkbinContent from another Processing interaction lists it",
    family: "success",
    operation: "get-workbin-content",
    requirements: [
      "REQ-PLACEINWORKBIN-1",
      "REQ-GETWORKBINCONTENT-1",
      "REQ-GETWORKBINCONTENT-2",
      "REQ-GETWORKBINCONTENT-5",
      "FACT-WORKBIN",
    ],
    ambiguities: [...NOTIFIED, "AMB-WORKBIN-OPS", "AMB-GETWORKBIN-ID", "AMB-WORKBIN-CONTENT"],
    needs: { accounts: ["agent"], features: ["workbins"] },
  },
  async (t: CheckContext) => {
    const workbin = t.config.resources.workbins[0]!;
    const parked = await invited(t);
    await accepted(t, parked);
    await step(t, parked, bodyFor(t, Op.PlaceInWorkbin), undefined, outcomeNotification(Op.PlaceInWorkbin));
    // AMB-WORKBIN-OPS: that it leaves the agent's lists is decided (the page: 'to continue the processing later').
    await expectRestMatches(t, parked, Op.PlaceInWorkbin, { left: "AMB-WORKBIN-OPS" });

    const working = await invited(t);
    await accepted(t, working);
    const since = await t.mark("agent");
    const request = bodyFor(t, Op.GetWorkbinContent);
    const answer = await perform(t, "agent", working.id, request);
    const content = await t.mustReceive(
      "agent",
      (n) => workbinContentOf(n.data)?.interactions.some((i) => i.id === parked.id) ?? false,
      {
        since,
        clause: "REQ-GETWORKBINCONTENT-2",
        description: `the content of workbin ${workbin} listing ${parked.id} after GetWorkbinContent (${shown(request)}) on ${working.id} answered HTTP ${answer.status}`,
      },
    );
    const item = workbinContentOf(content.data)!.interactions.find((i) => i.id === parked.id)!;
    const parkedLast = await lastNotified(t, parked);
    t.expect(
      "REQ-GETWORKBINCONTENT-5",
      item.state === undefined || item.state === parkedLast.state,
      `The content of workbin ${workbin} lists ${parked.id} in state ${String(item.state)}, but its last notification (#${parkedLast.seq}) says ${parkedLast.state}.`,
    );
    // AMB-GETWORKBIN-ID: the interaction it is posted to does not change.
    await expectRestMatches(t, working, Op.GetWorkbinContent, "held");
    await expectStateOrder(t, parked, statesThrough([Op.Accept, Op.PlaceInWorkbin]));
    await expectStateOrder(t, working, statesThrough([Op.Accept, Op.GetWorkbinContent]));
  },
);
