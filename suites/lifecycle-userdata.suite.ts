// Lifecycle, userData: Accept, AttachUserData, UpdateUserData, DeleteUserData and Complete, step by step; after each
// step the REST view agrees with the last notification, and the notifications go through the states in order.
import { Op } from "../src/generated/vocabulary.js";
import { check, useTarget, type CheckContext } from "../src/suite/check.js";
import {
  accepted,
  completed,
  expectRestMatches,
  expectStateOrder,
  invited,
  marker,
  NOTIFIED,
  statesThrough,
  step,
} from "../src/suite/lifecycle.js";
import { bodyFor } from "../src/suite/scenario.js";

useTarget();

check(
  {
    id: "lifecycle.accept-attach-update-delete-complete",
    title:
      "Accept, AttachUserData, UpdateUserData, DeleteUserData, Complete: REST agrees with each notification, in order",
    family: "success",
    operation: "complete",
    requirements: [
      "REQ-ACCEPT-1",
      "REQ-ACCEPT-2",
      "REQ-ACCEPT-3",
      "REQ-ACCEPT-6",
      "REQ-USERDATA-1",
      "REQ-ATTACHUSERDATA-1",
      "REQ-UPDATEUSERDATA-1",
      "REQ-DELETEUSERDATA-1",
      "REQ-COMPLETE-2",
      "REQ-COMPLETE-3",
      "FACT-USERDATA",
    ],
    ambiguities: [...NOTIFIED, "AMB-USERDATA-INPUT", "AMB-USERDATA-SEMANTICS", "AMB-DELETE-KEYS", "AMB-OWNERSHIP-END"],
    needs: { accounts: ["agent"] },
  },
  async (t: CheckContext) => {
    const track = await invited(t);
    await accepted(t, track);
    const first = marker();
    await step(t, track, bodyFor(t, Op.AttachUserData, first), undefined, {
      description: "the userData notification",
      match: (i) => i.userData?.ConformanceMarker === first,
    });
    await expectRestMatches(t, track, Op.AttachUserData, "held", { key: "ConformanceMarker", value: first });
    const second = marker();
    await step(t, track, bodyFor(t, Op.UpdateUserData, second), undefined, {
      description: "the userData notification",
      match: (i) => i.userData?.ConformanceMarker === second,
    });
    await expectRestMatches(t, track, Op.UpdateUserData, "held", { key: "ConformanceMarker", value: second });
    // AMB-DELETE-KEYS: bodyFor sends the profile's form (seed: a userData object with the key's current value, gws keys).
    await step(t, track, bodyFor(t, Op.DeleteUserData, second), undefined, {
      description: "the userData notification",
      match: (i) => !!i.userData && !("ConformanceMarker" in i.userData),
    });
    await expectRestMatches(t, track, Op.DeleteUserData, "held", { key: "ConformanceMarker", value: undefined });
    await completed(t, track);
    await expectStateOrder(
      t,
      track,
      statesThrough([Op.Accept, Op.AttachUserData, Op.UpdateUserData, Op.DeleteUserData, Op.Complete]),
    );
  },
);
