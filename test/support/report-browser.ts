// The browser report test's setup: Debian's chromium launched headless, the misbehaving run it reads (one check
// failing, one only warning), and opening a report while recording every request the page makes.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { expect } from "vitest";
import { runAgainst, type ConformanceRun } from "./conformance.js";

export const CHROMIUM = "/usr/bin/chromium";

/** A run against a server whose Reject and Accept answers are off: one check fails, one only warns. */
export function misbehavingRun(): Promise<ConformanceRun> {
  // Reject answers {"status":"okay"}: reject.envelope fails (the page's envelope), with a schema violation to
  // show. Accept answers with an extra member: accept.envelope only warns (the closure is decided, AMB-EXTRA-FIELDS).
  return runAgainst(
    {
      profile: "seed",
      configure: (app) =>
        app.addHook("onSend", async (request, _reply, payload) => {
          if (request.method !== "POST" || payload !== '{"status":"ok"}') return payload;
          const operation = (request.body as { operationName?: string })?.operationName;
          return operation === "Accept"
            ? '{"status":"ok","extra":1}'
            : operation === "Reject"
              ? '{"status":"okay"}'
              : payload;
        }),
    },
    ["--only", "accept.*,reject.*,lists.*"],
  );
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

/** Opens a report, recording every request the page makes. */
export async function openReport(
  browser: Browser,
  run: ConformanceRun,
): Promise<{ page: Page; requests: string[]; loadMs: number }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const requests: string[] = [];
  page.on("request", (r) => requests.push(r.url()));
  const url = pathToFileURL(join(run.reportDir, "index.html")).href;
  await page.goto(url, { waitUntil: "load" });
  const loadMs = await page.evaluate(
    () => (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).loadEventEnd,
  );
  // The evidence is unpacked right after the load event; the page says when it is there.
  await page.waitForSelector("body[data-evidence=ready]", { state: "attached", timeout: 5_000 });
  expect(requests).toEqual([url]);
  return { page, requests, loadMs };
}
