import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    testTimeout: 20_000,
    projects: [
      { extends: true, test: { name: "project", include: ["test/**/*.test.ts"], exclude: ["test/report-browser.test.ts"], sequence: { groupOrder: 1 } } },
      // The browser test measures load time: it runs alone, after everything else, so other tests cannot slow it.
      { extends: true, test: { name: "browser", include: ["test/report-browser.test.ts"], sequence: { groupOrder: 2 } } },
    ],
  },
});
