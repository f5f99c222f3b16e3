// The explorer's closing steps for a workbin's content (issue 23): parking is rare among the random commands, since
// it ends an interaction's sequence, so each sequence ends by parking what the agent holds with data and reading the
// content.
import type { Operation } from "../generated/schema-types.js";
import { Op } from "../generated/vocabulary.js";
import type { CheckContext } from "../suite/check.js";
import { offered } from "../suite/expectations.js";
import type { ExploreModel, Tracked } from "./model.js";
import { bodyOf, offer, operate, type Chosen } from "./steps.js";

/**
 * After each sequence, the workbin's content: the agent parks an interaction it still holds with userData the
 * sequence wrote, where the model says PlaceInWorkbin is valid (parking ends an interaction's sequence, so drawn
 * within one it would cut short the sequences that go deep). Then, if the agent parked any, it reads the content from
 * an interaction it holds where GetWorkbinContent is valid, or from a new one offered to it and accepted
 * (GetWorkbinContent is posted to an interaction the agent works on: AMB-GETWORKBIN-ID). Each step is held to the
 * model like any other, so the content must list each interaction the agent parked, with the userData the sequence
 * wrote.
 */
export async function readWorkbin(t: CheckContext, m: ExploreModel): Promise<void> {
  const offers = offered(t.config.features);
  const [accept, place, read] = [Op.Accept, Op.PlaceInWorkbin, Op.GetWorkbinContent].map((name) =>
    offers.find((o) => o.operationName === name),
  );
  if (!accept || !place || !read) return;
  const valid = (op: Operation, it: Tracked) => it.holder === "agent" && m.predict(op, "agent", it).performs;
  const data = m.interactions.find((i) => i.written.size > 0 && valid(place, i));
  if (data) await step(t, m, data, place);
  if (m.parked("agent").length === 0) return;
  let reader = m.interactions.find((i) => valid(read, i));
  if (!reader) {
    reader = await offer(t, m, "agent");
    await step(t, m, reader, accept);
  }
  await step(t, m, reader, read);
}

/** The agent's `op` on `it`, with the suite's well-formed request; the lists are read after (observeLists). */
const step = (t: CheckContext, m: ExploreModel, it: Tracked, op: Operation) => {
  const chosen: Chosen = { actor: "agent", op };
  return operate(t, m, it, chosen, bodyOf(t, chosen, it, {}), true);
};
