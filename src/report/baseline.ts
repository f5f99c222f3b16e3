// The report's "Since the baseline" section (--baseline): the checks that regressed first, then those fixed, new,
// removed or otherwise changed, each linked to its check; with a baseline, only a regression fails the run.
import type { BaselineDiff, OutcomeChange } from "../generated/schema-types.js";
import { esc, OUTCOME_LABEL } from "./format.js";

const outcome = (o: OutcomeChange["was"]) => (o ? `<span class="pill o-${o}">${esc(OUTCOME_LABEL[o])}</span>` : "—");

function rows(kind: string, changes: OutcomeChange[]): string {
  return changes
    .map(
      (c) =>
        `<tr class="b-${kind}"><td>${kind}</td><td><a href="#check-${esc(c.id)}">${esc(c.id)}</a></td><td>${outcome(c.was)}</td><td>${outcome(c.now)}</td><td>${esc(c.reason ?? "")}</td></tr>`,
    )
    .join("");
}

export function renderBaseline(d: BaselineDiff): string {
  const body = [
    rows("regressed", d.regressed),
    rows("fixed", d.fixed),
    rows("new", d.new),
    rows("removed", d.removed),
    rows("changed", d.changed),
  ].join("");
  const intro = `<p class="muted">Against ${esc(d.file)}: the run of ${esc(d.startedAt)} (suite ${esc(d.suiteVersion)}, ${esc(d.profile)} profile). ${d.unchanged} checks kept their outcome, ${d.stillBad} of them still failing. Only a regression fails a run that has a baseline.</p>`;
  return body
    ? `${intro}<table class="baseline"><thead><tr><th>change</th><th>check</th><th>was</th><th>now</th><th>reason now</th></tr></thead><tbody>${body}</tbody></table>`
    : `${intro}<p>No check changed its outcome.</p>`;
}
