// The HTML report in a real browser (Debian's chromium driven by playwright-core): a green run against the
// reference server and a red one against a misbehaving server (one check failing, one only warning), read the
// way a person reads them.
import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderReport } from "../src/report/html.js";
import { runAgainst, runCli, type ConformanceRun } from "./support/conformance.js";
import { ROOT } from "./support/process.js";
import { CHROMIUM, launchChromium, misbehavingRun, openReport } from "./support/report-browser.js";

const SHOTS = join(ROOT, "report", "screenshots");

describe.skipIf(!existsSync(CHROMIUM))("the HTML report in chromium", () => {
  let browser: Browser;
  let green: ConformanceRun;
  let red: ConformanceRun;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    [green, red] = await Promise.all([runCli(["--profile", "gws"]), misbehavingRun()]);
    browser = await launchChromium();
  }, 180_000);
  afterAll(() => browser?.close());

  const open = (run: ConformanceRun) => openReport(browser, run);

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

  it("shows the notification channel in the matrix, and the latency chart: one row per operation, p50/p95/max bars", async () => {
    const { page } = await open(green);
    const channel = page.locator(
      '.matrix tr[data-operation="notifications"] td.cell.o-passed a[data-filter-family="channel"]',
    );
    expect(await channel.count()).toBe(1);
    expect(green.results!.checks.filter((c) => c.family === "channel").length).toBeGreaterThanOrEqual(12);
    const operations = green.results!.latency!.operations;
    expect(operations.map((o) => o.operation)).toEqual(
      expect.arrayContaining(["Accept", "Complete", "AttachUserData"]),
    );
    const chart = page.locator("#latency svg.latency");
    expect(await chart.isVisible()).toBe(true);
    expect(await chart.locator("rect").count()).toBe(3 * operations.length);
    const accept = operations.find((o) => o.operation === "Accept")!;
    expect(await chart.textContent()).toContain(
      `${accept.p50Ms} / ${accept.p95Ms} / ${accept.maxMs} ms (${accept.count})`,
    );
    // Drawn to scale: the slowest operation's max bar is the widest one.
    const widths = await chart
      .locator("rect.lat-maxMs")
      .evaluateAll((rects) => rects.map((r) => r.getBoundingClientRect().width));
    const slowest = operations.reduce((a, b) => (b.maxMs > a.maxMs ? b : a));
    expect(Math.max(...widths)).toBe(widths[operations.indexOf(slowest)]);
    await chart.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, "latency.png") });
    await page.close();
  });

  it("shows a failing run: the failed check open with its request, response and schema violation; filters work", async () => {
    const { page, requests } = await open(red);
    expect(await page.locator("#verdict").textContent()).toBe("Non-conformant");
    const redCell = page.locator('.matrix tr[data-operation="reject"] td.cell.o-failed');
    expect(await redCell.count()).toBe(1);
    expect(await redCell.textContent()).toContain("failed 1/1");

    const failed = page.locator("#check-reject\\.envelope");
    expect(await failed.getAttribute("open")).not.toBeNull();
    const text = (await failed.textContent()) ?? "";
    expect(text).toContain("REQ-REJECT-6");
    expect(text).toContain("AMB-ENVELOPE");
    expect(text).toContain("POST");
    expect(text).toContain("/api/v2/me/interactions/");
    expect(text).toContain('"status": "okay"');
    expect(await failed.locator("table.violations td code").first().textContent()).toBe("responses/status-ok.json");
    expect(await failed.locator("table.violations").textContent()).toContain("const");
    // The broken expectation is a failed one of the page's level.
    expect(await failed.locator("table.expectations tr.e-failed .lvl").allTextContents()).toEqual(["page"]);
    expect(text).toContain("[REDACTED]");
    await failed.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, "failed-check.png") });

    // Filters: no passed checks, then a search by id, then a matrix cell.
    const total = red.results!.checks.length;
    expect(await page.locator("#visible-count").textContent()).toBe(String(total));
    await page.locator('input[name=outcome][value="passed"]').uncheck();
    expect(await page.locator("#visible-count").textContent()).toBe(String(total - red.results!.counts.passed));
    expect(await page.locator("details.check:not([hidden])").count()).toBe(total - red.results!.counts.passed);
    await page.locator("#reset").click();
    await page.locator("#search").fill("reject.envelope");
    expect(await page.locator("details.check:not([hidden])").count()).toBe(1);
    await page.locator("#reset").click();
    await page.locator('.matrix tr[data-operation="reject"] td.cell a').first().click();
    const visible = await page
      .locator("details.check:not([hidden])")
      .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.operation));
    expect(visible.length).toBeGreaterThan(0);
    expect(new Set(visible)).toEqual(new Set(["reject"]));
    await page.screenshot({ path: join(SHOTS, "filtered.png") });
    expect(requests).toHaveLength(1);
    await page.close();
  });

  it("shows a warning in amber, its expectations with level badges, the legend of levels; the warning filter works", async () => {
    const { page, requests } = await open(red);
    const amber = "rgb(255, 179, 0)";
    const warning = page.locator("#check-accept\\.envelope");
    expect(red.check("accept.envelope").outcome).toBe("warning");
    expect(await warning.getAttribute("data-outcome")).toBe("warning");
    expect(await warning.locator("summary .pill").textContent()).toBe("warning");
    expect(await warning.locator("summary .pill").evaluate((e) => getComputedStyle(e).backgroundColor)).toBe(amber);
    expect(await warning.evaluate((e) => getComputedStyle(e).borderLeftColor)).toBe(amber);
    const cell = page.locator('.matrix tr[data-operation="accept"] td.cell.o-warning');
    expect(await cell.count()).toBe(1);
    expect(await cell.evaluate((e) => getComputedStyle(e).backgroundColor)).toBe(amber);
    expect(await page.locator("header .counts li.o-warning").textContent()).toBe(
      `${red.results!.counts.warning} warning${red.results!.counts.warning === 1 ? "" : "s"}`,
    );

    // Its evidence: the expectations, each with its level badge; the warned one decided, the clause's title as a tooltip.
    if ((await warning.getAttribute("open")) === null) await warning.locator("summary").click();
    const table = warning.locator("table.expectations");
    const levels = new Set(await table.locator(".lvl").allTextContents());
    expect(levels.has("decided")).toBe(true);
    expect(levels.has("page")).toBe(true);
    const warned = table.locator("tr.e-warned");
    expect(await warned.locator(".lvl").allTextContents()).toContain("decided");
    expect(await warned.locator("td.eo").first().textContent()).toBe("warned");
    const clause = warned.locator('a[href="#amb-AMB-EXTRA-FIELDS"]');
    expect(await clause.textContent()).toBe("AMB-EXTRA-FIELDS");
    expect(await clause.getAttribute("title")).toBeTruthy();
    expect(await warning.locator(".reason").textContent()).toMatch(/\[decided: AMB-EXTRA-FIELDS\]/);

    // The legend: the four levels; only decided ones warn; --strict makes them fail.
    expect(await page.locator("#levels .lvl").allTextContents()).toEqual(["page", "facts", "protocol", "decided"]);
    expect(await page.locator("#levels").textContent()).toMatch(
      /Only decided expectations warn instead of failing.*--strict makes them fail/s,
    );
    await warning.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, "warning-check.png") });

    // Only warnings: every other outcome unchecked.
    for (const box of await page.locator('input[name=outcome]:not([value="warning"])').all()) await box.uncheck();
    const shown = await page
      .locator("details.check:not([hidden])")
      .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.outcome));
    expect(shown.length).toBe(red.results!.counts.warning);
    expect(shown.length).toBeGreaterThan(0);
    expect(new Set(shown)).toEqual(new Set(["warning"]));
    expect(await page.locator("#visible-count").textContent()).toBe(String(red.results!.counts.warning));
    expect(requests).toHaveLength(1);
    await page.close();
  });

  it("keeps a 200-check report with many failures under 2 MB, opening in under a second", async () => {
    // The seed suite against a gws server fails most of its checks with full evidence: the heaviest report.
    const crossed = await runAgainst({ profile: "gws", suiteProfile: "seed" }, []);
    const results = crossed.results!;
    const extra = green
      .results!.checks.slice(0, Math.max(0, 200 - results.checks.length))
      .map((c) => ({ ...c, id: `copy.${c.id}` }));
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
      const [load, shown] = await page.evaluate(() => [
        (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).loadEventEnd,
        Number(document.body.dataset.readyAt),
      ]);
      loads.push(load!);
      ready.push(shown!);
      expect(await page.locator("details.check[open] .check-body table.violations").count()).toBeGreaterThan(0);
      await page.close();
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
    console.log(
      `report of ${big.checks.length} checks (${results.counts.failed} failed): ${(size / 1024).toFixed(0)} KiB, load event at ${loads.map(Math.round).join(", ")} ms, evidence shown at ${ready.map(Math.round).join(", ")} ms`,
    );
    expect(median(loads)).toBeLessThan(1000);
    expect(median(ready)).toBeLessThan(2000);
  }, 120_000);

  it("lists every requirement, grouped by level (page, facts, protocol), uncovered ones too", async () => {
    const { page } = await open(red);
    const rows = await page.locator("table.coverage tbody tr").count();
    const { requirements } = (await import("../src/model/catalog.js")).specModel();
    expect(rows).toBe(requirements.length);
    for (const level of ["page", "facts", "protocol"] as const) {
      const ids = await page
        .locator(`table.coverage[data-level="${level}"] tbody tr td:first-child code`)
        .allTextContents();
      expect(ids, level).toEqual(requirements.filter((r) => (r.source ?? "page") === level).map((r) => r.id));
      expect(ids.length, level).toBeGreaterThan(0);
    }
    // The red run is narrow (--only), so requirements no check verified are shown as such, not hidden.
    expect(await page.locator("table.coverage .uncovered").count()).toBeGreaterThan(0);
    await page.close();
  });
});
