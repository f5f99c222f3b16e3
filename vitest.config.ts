import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    testTimeout: 20_000,
    projects: [
      {
        extends: true,
        test: {
          name: "project",
          include: ["test/**/*.test.ts"],
          exclude: ["test/report-browser.test.ts", "test/load.test.ts", "test/artillery.test.ts"],
          sequence: { groupOrder: 1 },
        },
      },
      // Load (own and Artillery's) saturates the machine on purpose and the browser test measures load time: each runs alone, after
      // everything else, so neither slows the other tests nor is slowed by them.
      { extends: true, test: { name: "load", include: ["test/load.test.ts"], sequence: { groupOrder: 2 } } },
      { extends: true, test: { name: "artillery", include: ["test/artillery.test.ts"], sequence: { groupOrder: 3 } } },
      {
        extends: true,
        test: { name: "browser", include: ["test/report-browser.test.ts"], sequence: { groupOrder: 4 } },
      },
    ],
  },
});
