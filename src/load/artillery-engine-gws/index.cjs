// Artillery loads engines with require("artillery-engine-<name>"); this package is that name for engine `gws`.
// The engine itself is TypeScript (../artillery.ts), loaded through tsx like the rest of gws-conformance.
"use strict";
const { join } = require("node:path");
const { pathToFileURL } = require("node:url");

let engineModule;
const load = () =>
  (engineModule ??= import("tsx/esm/api").then(({ register }) => {
    register();
    return import(pathToFileURL(join(__dirname, "..", "artillery.ts")).href);
  }));

class GwsArtilleryEngine {
  constructor(script) {
    this.engine = load().then(({ GwsEngine }) => new GwsEngine(script));
    this.engine.catch(() => {});
  }

  createScenario(spec, ee) {
    const user = this.engine.then((engine) => engine.scenario(spec));
    user.catch(() => {});
    return (context, done) => {
      ee.emit("started");
      user
        .then((run) => run(context, ee))
        .then(
          () => done(null, context),
          (error) => {
            // A mistake of the script or configuration was counted as its sentence; anything else is a fault here.
            if (!(error instanceof Error) || error.constructor.name !== "ScenarioError") {
              console.error(error);
              ee.emit("error", "gws engine fault (see the log)");
            }
            done(error, context);
          },
        );
    };
  }
}

module.exports = GwsArtilleryEngine;
