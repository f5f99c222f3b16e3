// The HTML report in a real browser (Debian's chromium driven by playwright-core): a green run against the
// reference server and a red one against a misbehaving server, read the way a person reads them.
import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderReport } from "../src/report/html.js";
import { runAgainst, runCli, type ConformanceRun } from "./support/conformance.js";
import { ROOT } from "./support/process.js";

const CHROMIUM = "/usr/bin/chromium";
const SHOTS = join(ROOT, "report", "screenshots");

describe.skipIf(!existsSync(CHROMIUM))("the HTML report in chromium", () => {
  let browser: Browser;
  let green: ConformanceRun;
  let red: ConformanceRun;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    [green, red] = await Promise.all([
      runCli(["--profile", "gws"]),
      // Accept answers with an extra member: accept.envelope fails, with a schema violation to show.
      runAgainst(
        {
          profile: "seed",
          configure: (app) =>
            app.addHook("onSend", async (request, _reply, payload) =>
              request.method === "POST" && payload === '{"status":"ok"}' && (request.body as { operationName?: string })?.operationName === "Accept" ? '{"status":"ok","extra":1}' : payload,
            ),
        },
        ["--only", "accept.*,reject.*,lists.*"],
      ),
    ]);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
  }, 180_000);
  afterAll(() => browser?.close());

  /** Opens a report, recording every request the page makes. */
  async function open(run: ConformanceRun): Promise<{ page: Page; requests: string[]; loadMs: number }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const requests: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    const url = pathToFileURL(join(run.reportDir, "index.html")).href;
    await page.goto(url, { waitUntil: "load" });
    const loadMs = await page.evaluate(() => (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).loadEventEnd);
    // The evidence is unpacked right after the load event; the page says when it is there.
    await page.waitForSelector("body[data-evidence=ready]", { state: "attached", timeout: 5_000 });
    expect(requests).toEqual([url]);
    return { page, requests, loadMs };
  }

  it("shows a conformant run: verdict, counts, an all-green matrix; small and fast", async () => {
    const { page, requests, loadMs } = await open(green);
    expect(await page.locator("#verdict").textContent()).toBe("Conformant");
    expect(await page.locator("header").textContent()).toContain("gws");
    const cells = page.locator(".matrix td.cell");
    expect(await cells.count()).toBeGreaterThan(30);
    expect(await page.locator(".matrix td.cell:not(.o-passed)").count()).toBe(0);
    expect(await page.locator("details.check[open]").count()).toBe(0);
    expect(green.results!.checks.length).toBeGreaterThanOrEqual(120);
    expect(statSync(join(green.reportDir, "index.html")).size).toBeLessThan(2 * 1024 * 1024);
    expect(loadMs).toBeLessThan(2000);
    await page.screenshot({ path: join(SHOTS, "conformant.png"), fullPage: false });
    expect(requests).toHaveLength(1);
    await page.close();
  });

  it("shows a failing run: the failed check open with its request, response and schema violation; filters work", async () => {
    const { page, requests } = await open(red);
    expect(await page.locator("#verdict").textContent()).toBe("Non-conformant");
    const redCell = page.locator('.matrix tr[data-operation="accept"] td.cell.o-failed');
    expect(await redCell.count()).toBe(1);
    expect(await redCell.textContent()).toContain("failed 1/1");

    const failed = page.locator("#check-accept\\.envelope");
    expect(await failed.getAttribute("open")).not.toBeNull();
    const text = (await failed.textContent()) ?? "";
    expect(text).toContain("AMB-EXTRA-FIELDS");
    expect(text).toContain("POST");
    expect(text).toContain("/api/v2/me/interactions/");
    expect(text).toContain('"extra": 1');
    expect(await failed.locator("table.violations td code").first().textContent()).toBe("responses/status-ok.json");
    expect(await failed.locator("table.violations").textContent()).toContain("additionalProperties");
    expect(text).toContain("[REDACTED]");
    await failed.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, "failed-check.png") });

    // Filters: only failures, then a search by id, then a matrix cell.
    const total = red.results!.checks.length;
    expect(await page.locator("#visible-count").textContent()).toBe(String(total));
    await page.locator('input[name=outcome][value="passed"]').uncheck();
    expect(await page.locator("#visible-count").textContent()).toBe(String(red.results!.counts.failed));
    expect(await page.locator("details.check:not([hidden])").count()).toBe(red.results!.counts.failed);
    await page.locator("#reset").click();
    await page.locator("#search").fill("reject.envelope");
    expect(await page.locator("details.check:not([hidden])").count()).toBe(1);
    await page.locator("#reset").click();
    await page.locator('.matrix tr[data-operation="reject"] td.cell a').first().click();
    const visible = await page.locator("details.check:not([hidden])").evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.operation));
    expect(visible.length).toBeGreaterThan(0);
    expect(new Set(visible)).toEqual(new Set(["reject"]));
    await page.screenshot({ path: join(SHOTS, "filtered.png") });
    expect(requests).toHaveLength(1);
    await page.close();
  });

  it("keeps a 200-check report with many failures under 2 MB, opening in under a second", async () => {
    // The seed suite against a gws server fails most of its checks with full evidence: the heaviest report.
    const crossed = await runAgainst({ profile: "gws", suiteProfile: "seed" }, []);
    const results = crossed.results!;
    const extra = green.results!.checks.slice(0, Math.max(0, 200 - results.checks.length)).map((c) => ({ ...c, id: `copy.${c.id}` }));
    const big = { ...results, checks: [...results.checks, ...extra] };
    expect(big.checks.length).toBeGreaterThanOrEqual(200);
    expect(results.counts.failed).toBeGreaterThan(50);
    const file = join(crossed.reportDir, "big.html");
    writeFileSync(file, renderReport(big));
    const size = statSync(file).size;
    expect(size).toBeLessThan(2 * 1024 * 1024);
    // Three opens; the page counts as open at its load event, and its failed checks show their evidence
    // once it is unpacked, right after. Both are printed; the median open must be under a second.
    const loads: number[] = [];
    const ready: number[] = [];
    for (let i = 0; i < 3; i++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
      await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
      await page.waitForSelector("body[data-evidence=ready]", { state: "attached", timeout: 5_000 });
      const [load, shown] = await page.evaluate(() => [(performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).loadEventEnd, Number(document.body.dataset.readyAt)]);
      loads.push(load!);
      ready.push(shown!);
      expect(await page.locator("details.check[open] .check-body table.violations").count()).toBeGreaterThan(0);
      await page.close();
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
    console.log(`report of ${big.checks.length} checks (${results.counts.failed} failed): ${(size / 1024).toFixed(0)} KiB, load event at ${loads.map(Math.round).join(", ")} ms, evidence shown at ${ready.map(Math.round).join(", ")} ms`);
    expect(median(loads)).toBeLessThan(1000);
    expect(median(ready)).toBeLessThan(2000);
  }, 120_000);

  it("lists every requirement of the page, uncovered ones too", async () => {
    const { page } = await open(red);
    const rows = await page.locator("table.coverage tbody tr").count();
    const { requirements } = (await import("../src/model/catalog.js")).specModel();
    expect(rows).toBe(requirements.length);
    // The red run is narrow (--only), so requirements no check verified are shown as such, not hidden.
    expect(await page.locator("table.coverage .uncovered").count()).toBeGreaterThan(0);
    await page.close();
  });
});
