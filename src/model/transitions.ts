// The catalog read as a state machine. Each operation, in each state it is valid in, is a transition: to the state
// its outcome states (or, where the outcome leaves the interaction to nobody without naming the state, "a state
// nobody holds": which one is decided, AMB-REMOVAL-STATE), held by the actor, a target or nobody, with the
// notifications it causes. Paths to a state are found by a breadth-first search from the state a provisioned
// interaction is offered in, so no code spells out how a state is reached.
import type { Feature, InteractionState, Operation } from "../generated/schema-types.js";
import { isTerminal, specModel } from "./catalog.js";

export interface Transition {
  from: InteractionState;
  operation: Operation;
  /** The state the interaction is in afterwards; undefined: a state nobody holds, the catalog does not say which. */
  to?: InteractionState;
  holder: Operation["outcome"]["holder"];
  /** The state of the new interaction the operation creates (a reply); a path continues on it. */
  creates?: InteractionState;
  notifications: Operation["notifications"];
}

export function transitions(operations: Operation[] = specModel().catalog.operations): Transition[] {
  return operations.flatMap((operation) =>
    operation.validIn.map((from) => ({
      from,
      operation,
      to: operation.outcome.state ?? (operation.outcome.holder === "actor" ? from : undefined),
      holder: operation.outcome.holder,
      creates: operation.outcome.creates,
      notifications: operation.notifications,
    })),
  );
}

/** Where a transition leaves the interaction a path follows: the created one's state, or its own. */
const arrival = (t: Transition) => t.creates ?? t.to;

/** The states nobody holds that no operation names as its outcome: reached by an outcome that names no state. */
export function unstatedTerminals(all: Transition[] = transitions()): InteractionState[] {
  const stated = new Set(all.map(arrival));
  const states = Object.keys(specModel().catalog.states) as InteractionState[];
  return states.filter((s) => isTerminal(s) && !stated.has(s));
}

/**
 * The shortest sequence of transitions that brings a new interaction of one agent from the catalog's `offeredIn`
 * state to `state` (in catalog order among equally short ones); [] for `offeredIn` itself. Transitions that hand
 * the interaction to someone else are not on any path. Throws for a state no path reaches.
 */
export function pathTo(state: string, all: Transition[] = transitions()): Transition[] {
  const start = specModel().catalog.offeredIn;
  if (state === start) return [];
  const unstated = unstatedTerminals(all);
  const reaches = (t: Transition) =>
    arrival(t) === state || (arrival(t) === undefined && (unstated as string[]).includes(state));
  const paths = new Map<string, Transition[]>([[start, []]]);
  for (let frontier: string[] = [start]; frontier.length > 0;) {
    const next: string[] = [];
    for (const from of frontier) {
      for (const t of all.filter((t) => t.from === from && t.holder !== "target")) {
        const path = [...paths.get(from)!, t];
        if (reaches(t)) return path;
        const to = arrival(t);
        if (to && !paths.has(to)) {
          paths.set(to, path);
          next.push(to);
        }
      }
    }
    frontier = next;
  }
  throw new Error(`No sequence of operations in the catalog reaches the state "${state}".`);
}

/** The features a path needs (each operation's catalog `feature`). */
export function featuresOf(path: Transition[]): Feature[] {
  return [...new Set(path.flatMap((t) => (t.operation.feature ? [t.operation.feature] : [])))];
}

/** Every state of the catalog, each with the path to it. */
export function reachableStates(): { state: InteractionState; path: Transition[] }[] {
  return (Object.keys(specModel().catalog.states) as InteractionState[]).map((state) => ({
    state,
    path: pathTo(state),
  }));
}
