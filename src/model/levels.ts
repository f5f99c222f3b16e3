// Normative levels (issue 12): every expectation a check asserts names the clause it rests on, and the clause's
// source decides whether breaking it fails the run or only warns.
//   page      the spec page says it (schemas/requirements.json, REQ-*)
//   facts     gws-facts documents it (schemas/requirements.json, FACT-*)
//   protocol  HTTP (RFC 9110) or Bayeux, the protocols the page's API is defined over (schemas/requirements.json, PROTO-*)
//   decided   the ambiguity register chose it where the sources are silent (schemas/ambiguities.json, AMB-*)
// Only decided expectations are not normative: one that does not hold is a warning, unless the run is --strict.

export type Level = "page" | "facts" | "protocol" | "decided";

export const LEVELS: readonly Level[] = ["page", "facts", "protocol", "decided"];

/** What became of one expectation: it held, it failed the check, or (decided) it warned. */
export type ExpectationOutcome = "held" | "failed" | "warned";

export interface ExpectationRecord {
  /** The clause it rests on: REQ-*, FACT-*, PROTO-* or AMB-*. */
  clause: string;
  level: Level;
  outcome: ExpectationOutcome;
  /** What was expected, or (when it did not hold) what was wrong. */
  message: string;
}

/** The level of a clause id, from its prefix. */
export function levelOf(clause: string): Level {
  if (clause.startsWith("REQ-")) return "page";
  if (clause.startsWith("FACT-")) return "facts";
  if (clause.startsWith("PROTO-")) return "protocol";
  if (clause.startsWith("AMB-")) return "decided";
  throw new Error(`${clause} is not a clause id (REQ-*, FACT-*, PROTO-* or AMB-*).`);
}

export const isNormative = (level: Level) => level !== "decided";
