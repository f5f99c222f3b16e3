// The vocabulary every expectation is written in: a clause is normative (the page, gws-facts, HTTP/Bayeux: its
// breach fails the check) or decided (the ambiguity register: its breach is a warning); see src/model/levels.ts.

/** A clause whose breach fails the check (the page, gws-facts, HTTP/Bayeux). */
export type Normative = `REQ-${string}` | `FACT-${string}` | `PROTO-${string}`;
/** A clause only the ambiguity register decided: its breach is a warning. */
export type Decided = `AMB-${string}`;
export type Clause = Normative | Decided;

/** A precondition the check needs did not hold (e.g. the provisioning hook failed): no verdict. */
export class CantTell extends Error {
  override name = "CantTell";
}

/** How a refusal is judged: the clause that says the request must be refused, and what its body must be. */
export interface RefusalRule {
  /** The clause requiring the refusal (AMB-*: an acceptance is only a warning). */
  clause: Clause;
  /** The failure envelopes a JSON body may match, and the clause they rest on. */
  failure: string[];
  envelope: Clause;
  /** gws: the statusCodes whose meaning fits (FACT-ENVELOPE-2); none asserted when absent. */
  codes?: number[];
}
