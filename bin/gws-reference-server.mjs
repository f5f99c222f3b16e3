#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so the package needs no build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/reference/cli.ts");
await main(process.argv);
