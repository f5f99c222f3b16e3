// What every part of the HTML report shares: the outcome, family, level and verdict labels, and escaping and
// clipping of what the results carry.
import type { CheckResult, ConformanceResults } from "../generated/schema-types.js";
import type { Level } from "../model/levels.js";

export type Outcome = CheckResult["outcome"];
export type Evidence = CheckResult["evidence"];

/** Worst first: checks are listed, and a matrix cell is coloured, by their worst outcome. */
export const OUTCOMES: Outcome[] = ["failed", "error", "cant-tell", "warning", "waived", "passed", "not-applicable"];
export const OUTCOME_LABEL: Record<Outcome, string> = {
  failed: "failed",
  error: "error",
  "cant-tell": "can't tell",
  warning: "warning",
  waived: "waived",
  passed: "passed",
  "not-applicable": "not applicable",
};
/** Issue 12's normative levels: where each clause comes from; only decided ones warn instead of failing. */
export const LEVEL_SOURCE: Record<Level, string> = {
  page: "the spec page (REQ-*)",
  facts: "gws-facts (FACT-*)",
  protocol: "HTTP or Bayeux (PROTO-*)",
  decided: "the ambiguity register (AMB-*)",
};
export const FAMILIES = [
  "success",
  "envelope",
  "notifications",
  "preconditions",
  "bad-input",
  "permissions",
  "lists",
  "channel",
  "explore",
] as const;
export const FAMILY_LABEL: Record<string, string> = {
  success: "success",
  envelope: "envelope & shape",
  notifications: "notifications",
  preconditions: "state preconditions",
  "bad-input": "bad input",
  permissions: "permissions",
  lists: "lists (GET)",
  channel: "notification channel",
  explore: "explored sequences",
};
export const VERDICT_LABEL: Record<ConformanceResults["verdict"], string> = {
  conformant: "Conformant",
  "conformant-with-waivers": "Conformant with waivers",
  "non-conformant": "Non-conformant",
  "could-not-run": "Could not run",
};
/** Worst first: a matrix cell takes the colour of its worst outcome. */
export const SEVERITY: Outcome[] = OUTCOMES;
/** Bodies longer than this are cut in the report (results.json keeps them whole). */
const BODY_LIMIT = 6_000;

export const esc = (s: unknown) =>
  String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export function json(value: unknown, pretty: boolean): string {
  if (value === undefined) return "";
  const text = typeof value === "string" ? value : (JSON.stringify(value, null, pretty ? 2 : 0) ?? "");
  return text.length > BODY_LIMIT
    ? `${text.slice(0, BODY_LIMIT)}\n… (${text.length - BODY_LIMIT} more characters in results.json)`
    : text;
}

export const clip = (text: string, n: number) => (text.length > n ? `${text.slice(0, n)}…` : text);
export const worst = (outcomes: Outcome[]) => SEVERITY.find((o) => outcomes.includes(o));

export const levelBadge = (level: Level) => `<span class="lvl lvl-${level}">${level}</span>`;
