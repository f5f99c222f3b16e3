// The run's one redactor: every secret of the configuration, and those learned during the run (session cookies,
// CSRF tokens), replaced before a reason, a note or evidence leaves the check.
import { Redactor } from "../runner/redact.js";
import { runContext } from "./run-context.js";

let redactor: Redactor | undefined;

export const redact = (): Redactor => (redactor ??= Redactor.forConfig(runContext()));
