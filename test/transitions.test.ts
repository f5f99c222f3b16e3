// The catalog read as transitions: the paths the suite takes to each state come from the catalog's outcomes, so a
// changed outcome changes the path, and a state no operation leads to is an error, not a guess.
import { describe, expect, it } from "vitest";
import { specModel } from "../src/model/catalog.js";
import { featuresOf, pathTo, reachableStates, transitions } from "../src/model/transitions.js";

const names = (state: string, all = transitions()) => pathTo(state, all).map((t) => t.operation.operationName);

describe("transitions and paths", () => {
  it("reaches every catalog state by the shortest sequence of operations", () => {
    const paths = Object.fromEntries(
      reachableStates().map((r) => [r.state, r.path.map((t) => t.operation.operationName)]),
    );
    expect(paths).toEqual({
      Invited: [],
      Processing: ["Accept"],
      Composing: ["Accept", "Reply"],
      InWorkbin: ["Accept", "PlaceInWorkbin"],
      Completed: ["Accept", "Complete"],
      Revoked: ["Reject"],
    });
    expect(featuresOf(pathTo("Composing"))).toEqual(["reply"]);
    expect(featuresOf(pathTo("Processing"))).toEqual([]);
  });

  it("never hands the interaction to someone else on a path", () => {
    for (const { path } of reachableStates()) expect(path.every((t) => t.holder !== "target")).toBe(true);
  });

  it("follows the catalog: a different outcome gives a different path", () => {
    const operations = structuredClone(specModel().catalog.operations);
    // Suppose Accept led nowhere an agent works: Processing can no longer be reached.
    operations.find((o) => o.operationName === "Accept")!.outcome = { holder: "none" };
    expect(() => names("Processing", transitions(operations))).toThrow(
      'No sequence of operations in the catalog reaches the state "Processing".',
    );
    // Suppose Reject stated Completed: Revoked, now the one unstated terminal state, is reached by Accept, then
    // PlaceInQueue (Reject no longer leaves it unstated).
    const stated = structuredClone(specModel().catalog.operations);
    stated.find((o) => o.operationName === "Reject")!.outcome = { holder: "none", state: "Completed" };
    expect(names("Completed", transitions(stated))).toEqual(["Reject"]);
    expect(names("Revoked", transitions(stated))).toEqual(["Accept", "PlaceInQueue"]);
  });
});
