// The expectations of one check: each names its clause (src/model/levels.ts); a normative one that does not hold
// fails the check at once, a decided one records a warning and lets the check go on.
import { specModel } from "../model/catalog.js";
import { isNormative, levelOf, type ExpectationRecord } from "../model/levels.js";

/** The target broke a normative rule: the check fails. */
export class ConformanceFailure extends Error {
  override name = "ConformanceFailure";
}

/** What a clause says, for the record of an expectation that held. */
function statementOf(clause: string): string {
  const model = specModel();
  return clause.startsWith("AMB-") ? model.ambiguity(clause).title : model.requirement(clause).statement;
}

export class Expectations {
  readonly records: ExpectationRecord[] = [];

  /**
   * Records that `clause` was checked. When it does not hold, a normative clause throws ConformanceFailure with
   * `message`, and a decided one (AMB-*) records a warning. Returns whether it held.
   */
  expect(clause: string, holds: boolean, message: string | (() => string)): boolean {
    const level = levelOf(clause);
    if (holds) {
      // One "held" line per clause: a check that asserts a clause in a loop reports it once.
      if (!this.records.some((r) => r.clause === clause))
        this.records.push({ clause, level, outcome: "held", message: statementOf(clause) });
      return true;
    }
    const text = typeof message === "string" ? message : message();
    const held = this.records.findIndex((r) => r.clause === clause && r.outcome === "held");
    if (held >= 0) this.records.splice(held, 1);
    if (isNormative(level)) {
      this.records.push({ clause, level, outcome: "failed", message: text });
      throw new ConformanceFailure(`${text} [${level}: ${clause}]`);
    }
    this.records.push({ clause, level, outcome: "warned", message: text });
    return false;
  }

  /** The messages of the decided expectations that did not hold. */
  get warnings(): string[] {
    return this.records.filter((r) => r.outcome === "warned").map((r) => `${r.message} [decided: ${r.clause}]`);
  }
}
