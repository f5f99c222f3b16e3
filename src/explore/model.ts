// The explorer's model (issue 23): the catalog's transitions applied to the interactions a sequence has made, each
// with who holds it, its state and the userData the sequence wrote, and the answers the target chose where the
// register accepts several (a server may choose, but not change its mind). Every rule is read from the catalog:
// which operations are valid where (validIn, refusedIn and their clauses' levels), what an operation does
// (outcome: state, holder, userData effect) and whom it notifies.
import type { InteractionState, Operation } from "../generated/schema-types.js";
import { heldBy, isTerminal, specModel } from "../model/catalog.js";
import { isNormative, levelOf } from "../model/levels.js";
import type { Clause } from "../suite/clause.js";
import { refusalClause } from "../suite/expectations.js";

export type Agent = "agent" | "agent2";
export const AGENTS: readonly Agent[] = ["agent", "agent2"];
export const other = (a: Agent): Agent => (a === "agent" ? "agent2" : "agent");

/** A key the sequence deleted. */
export const DELETED = Symbol("deleted");
/**
 * A key whose value the register leaves open (AMB-USERDATA-SEMANTICS): Attach on a key there keeps the old value or
 * takes the new one, Update on a key not there adds it or not. It holds one of `values` (DELETED: absent), until a
 * read shows which, and the target is held to that (a server may choose, but not change its mind).
 */
export class Either {
  constructor(readonly values: readonly unknown[]) {}
}
const valuesOf = (v: unknown): readonly unknown[] => (v instanceof Either ? v.values : [v]);

export interface Tracked {
  /** The command's handle for it: its index in the model's list. */
  ref: number;
  id: string;
  /** The state the model expects; undefined once it went to a state nobody holds that the catalog leaves open. */
  state: InteractionState | undefined;
  holder: Agent | undefined;
  /** The agents that ever held it, so that a notification about it to anyone else is misrouted. */
  heldBy: Set<Agent>;
  /** What left it to nobody (the leaving operation's clause): it is then on no agent's list. */
  left?: Clause;
  /** Each key the sequence wrote, with its value, DELETED, or Either where the register accepts several. */
  written: Map<string, unknown>;
  /**
   * The workbin PlaceInWorkbin put it in, and the agent that put it there, whose reads of that workbin's content
   * then list it (whether another agent's do, whether a workbin is shared or each agent's own, no source says).
   */
  parked?: { workbin: unknown; by: Agent };
}

/** A copy of `it` the model can change without changing `it` (to try a serial order). */
export const copyOf = (it: Tracked): Tracked => ({ ...it, heldBy: new Set(it.heldBy), written: new Map(it.written) });

export interface Prediction {
  /** undefined where the catalog lists the state neither in validIn nor in refusedIn: either answer conforms. */
  performs: boolean | undefined;
  /** The clause the prediction rests on: its level says whether the other answer fails or warns. */
  clause: Clause;
}

const catalog = () => specModel().catalog;
/** States nobody holds: where an interaction ends once its agent let it go. */
const ENDED = (Object.keys(catalog().states) as InteractionState[]).filter(isTerminal);

export class ExploreModel {
  readonly interactions: Tracked[] = [];
  /** The target's answers where the register leaves a choice, by what was asked ("Transfer in Invited"). */
  readonly learned = new Map<string, unknown>();

  add(id: string, holder: Agent, state = catalog().offeredIn as InteractionState): Tracked {
    const t: Tracked = {
      ref: this.interactions.length,
      id,
      state,
      holder,
      heldBy: new Set([holder]),
      written: new Map(),
    };
    this.interactions.push(t);
    return t;
  }

  /**
   * Whether `actor`'s `op` on `it` must be performed or refused, and the clause saying so: valid in its state for
   * its holder (validIn), otherwise its refusal clause there (refusedIn); an agent that does not hold an interaction
   * an agent holds, or one whose state the catalog leaves open, is judged as if its hold had ended. Where the
   * catalog lists the state in neither (UpdateUserData on a Composing reply), either answer conforms.
   */
  predict(op: Operation, actor: Agent, it: Tracked): Prediction {
    if (it.holder === actor && it.state && op.validIn.includes(it.state))
      return { performs: true, clause: op.validClause as Clause };
    const own = it.state !== undefined && (it.holder === actor || heldBy(it.state) !== "agent");
    const asIf = own ? it.state! : ENDED[0]!;
    const clause = refusalClause(op, asIf);
    return clause ? { performs: false, clause } : { performs: undefined, clause: "AMB-STATE-PRECONDITIONS" };
  }

  /** Whether breaking `clause` fails (the page, gws-facts, HTTP/Bayeux) rather than warns (the register). */
  static normative(clause: Clause): boolean {
    return isNormative(levelOf(clause));
  }

  /**
   * What the target chose the first time `question` came up, holding it to that answer after: undefined the first
   * time (the answer is learned), else whether `answer` is the same.
   */
  consistent(question: string, answer: unknown): boolean | undefined {
    if (!this.learned.has(question)) {
      this.learned.set(question, answer);
      return undefined;
    }
    return JSON.stringify(this.learned.get(question)) === JSON.stringify(answer);
  }

  /** The interactions the sequence parked in a workbin (by `by`, or by either agent). */
  parked(by?: Agent): Tracked[] {
    return this.interactions.filter((i) => !i.holder && i.parked && (by === undefined || i.parked.by === by));
  }

  /** Applies a performed operation's catalog outcome to `it`; `written` is the userData the request wrote. */
  apply(
    op: Operation,
    actor: Agent,
    it: Tracked,
    request: { userData?: Record<string, unknown>; keys?: string[]; workbin?: unknown },
  ) {
    const { outcome } = op;
    // What a key holds now, as the values it may have (a key never written is absent).
    const now = (k: string) => (it.written.has(k) ? valuesOf(it.written.get(k)) : [DELETED]);
    for (const [k, v] of Object.entries(
      outcome.userData === "attach" || outcome.userData === "update" ? (request.userData ?? {}) : {},
    )) {
      const was = now(k);
      // Attach: a key not there is added; one there keeps its value or takes `v`. Update: a key there takes `v`;
      // one not there is added or not.
      const may =
        outcome.userData === "attach"
          ? [...was.filter((w) => w !== DELETED), v]
          : was.includes(DELETED)
            ? [DELETED, v]
            : [v];
      it.written.set(k, may.length === 1 ? may[0] : new Either(may));
    }
    if (outcome.userData === "delete")
      for (const k of request.keys ?? Object.keys(request.userData ?? {})) it.written.set(k, DELETED);
    const holder = outcome.holder === "actor" ? actor : outcome.holder === "target" ? other(actor) : undefined;
    if (holder === undefined) it.left = (outcome.leavesClause ?? op.validClause) as Clause;
    else it.left = undefined;
    // Performed where the catalog does not list it as valid (a register's choice), the state it leaves is the
    // target's to choose: the model keeps the one it had, and the next GET tells (and is learned).
    const listed = it.state !== undefined && op.validIn.includes(it.state);
    it.state = !listed
      ? it.state
      : (outcome.state ??
        (outcome.holder === "actor" ? it.state : op.notifications.find((n) => n.to === "target")?.state) ??
        undefined);
    it.holder = holder;
    if (holder) it.heldBy.add(holder);
    if (outcome.userData === "workbin" && listed) it.parked = { workbin: request.workbin, by: actor };
  }
}
