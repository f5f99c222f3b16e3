// Model-based exploration (issue 23): seeded random sequences of catalog operations by both agents, on interactions
// provisioned for either, with userData that reaches the corners, every channel held to the model after every
// step. A failure is shrunk to the shortest sequence that still fails and replayed as this check's evidence.
import { explore, replaySequence } from "../src/explore/explore.js";
import { PROGRESS_ANNOTATION, progressLine } from "../src/explore/progress.js";
import { exploreBudget } from "../src/explore/budget.js";
import { check, ConformanceFailure, useTarget } from "../src/suite/check.js";
import { runContext } from "../src/suite/run-context.js";

useTarget();

const budget = exploreBudget(runContext());

if (budget)
  check(
    {
      id: "explore.sequences",
      title: "Random sequences of operations, userData and agents match the catalog's model on every channel",
      family: "explore",
      requirements: ["FACT-USERDATA", "FACT-DELETE-KEYS", "FACT-NOTIFICATIONS", "REQ-ME-FULL-1", "PROTO-HTTP-5XX"],
      ambiguities: [
        "AMB-STATE-PRECONDITIONS",
        "AMB-USERDATA-SEMANTICS",
        "AMB-REMOVAL-STATE",
        "AMB-TRANSFER-OUTCOME",
        "AMB-REQUESTS-IN-FLIGHT",
      ],
      needs: { accounts: ["agent", "agent2"] },
    },
    async (t) => {
      // Live progress of a long search: an annotation reaches the runner's reporter while the check runs.
      const found = await explore(
        t,
        budget,
        (p) => void t.vitest.annotate(progressLine(p, budget), PROGRESS_ANNOTATION),
      );
      const rate = Math.round(found.commands / Math.max(found.seconds, 0.001));
      t.note(
        `Seed ${budget.seed}: ${found.sequences} sequences, ${found.commands} commands${found.failure ? `, ${found.shrinks} shrinks` : ""} in ${found.seconds.toFixed(1)} s (${rate} commands/s)${found.firstFailure === undefined ? "" : `; first counterexample after ${found.firstFailure.toFixed(1)} s`}.`,
      );
      if (!found.failure) return;
      const { seed, path, replayPath, steps, message } = found.failure;
      t.note(`Replay: npx gws-conformance explore --seed ${seed} --path ${path} --replay-path ${replayPath}`);
      // Replayed in this check's context: the evidence is that sequence's requests, answers and notifications.
      try {
        await replaySequence(t, found.failure);
      } finally {
        t.note(`Shrunk to ${steps().length} steps: ${steps().join("; ")}`);
      }
      throw new ConformanceFailure(`The shrunk sequence passed when replayed; during the search it failed: ${message}`);
    },
    // The search stops drawing at its time budget, and the replay is one more sequence.
    (budget.seconds + 30) * 1000,
  );
