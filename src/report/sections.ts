// The HTML report's sections beside the checks: the operations × families matrix, the latency chart, requirement
// coverage by level, the ambiguity register, the legend of levels, and the headline's verdict and badge.
import type { CheckResult, ConformanceResults, NotificationLatency } from "../generated/schema-types.js";
import { specModel } from "../model/catalog.js";
import { LEVELS, type Level } from "../model/levels.js";
import {
  esc,
  FAMILIES,
  FAMILY_LABEL,
  LEVEL_SOURCE,
  levelBadge,
  OUTCOME_LABEL,
  VERDICT_LABEL,
  worst,
} from "./format.js";

/** p50, p95 and max per operation as horizontal bars on one scale, with the bound as a dashed line; the numbers as text. */
export function renderLatency(latency: NotificationLatency): string {
  if (latency.operations.length === 0)
    return `<p>No operation of this run was followed by a notification about its interaction.</p>`;
  const [label, width, row, bar] = [150, 420, 22, 6];
  // On the slowest operation's scale, so a fast server's bars stay visible; the bound is drawn when it fits.
  const slowest = Math.max(...latency.operations.map((o) => o.maxMs), 1);
  const top = latency.boundMs <= slowest * 1.25 ? Math.max(latency.boundMs, slowest) : slowest;
  const x = (ms: number) => label + Math.max(1, Math.round((ms / top) * width));
  const rows = latency.operations.map((o, i) => {
    const y = 4 + i * row;
    const bars = (["maxMs", "p95Ms", "p50Ms"] as const).map(
      (k, j) =>
        `<rect class="lat-${k}" x="${label}" y="${y + j * bar}" width="${x(o[k]) - label}" height="${bar - 1}"><title>${esc(o.operation)} ${k.replace("Ms", "")}: ${o[k]} ms</title></rect>`,
    );
    return `<text x="${label - 6}" y="${y + 13}" text-anchor="end">${esc(o.operation)}</text>${bars.join("")}<text x="${x(o.maxMs) + 4}" y="${y + 13}" class="lat-value">${o.p50Ms} / ${o.p95Ms} / ${o.maxMs} ms (${o.count})</text>`;
  });
  const height = 8 + latency.operations.length * row;
  const bound = x(latency.boundMs);
  const line =
    latency.boundMs <= top
      ? `<line class="lat-bound" x1="${bound}" x2="${bound}" y1="0" y2="${height}"><title>bound: ${latency.boundMs} ms</title></line>`
      : "";
  return `<svg class="latency" role="img" aria-label="notification latency per operation" width="${label + width + 170}" height="${height}" viewBox="0 0 ${label + width + 170} ${height}">${rows.join("")}${line}</svg>
<p class="muted lat-legend"><span class="lat-key lat-p50Ms"></span> p50 <span class="lat-key lat-p95Ms"></span> p95 <span class="lat-key lat-maxMs"></span> max · label: p50 / p95 / max (samples) · scale 0 to ${top} ms${line ? ", the dashed line is the bound" : `; the bound, ${latency.boundMs} ms, is ${Math.round(latency.boundMs / slowest)}× the slowest`}</p>`;
}

export function renderMatrix(checks: CheckResult[]): string {
  const { catalog } = specModel();
  const rows: [string, string][] = [
    ...catalog.operations.map((o) => [o.id, o.title] as [string, string]),
    ...catalog.endpoints.map(
      (e) => [e.id, `${e.method} ${e.path.replace("/api/v2", "")}${e.query ? "?fields=*" : ""}`] as [string, string],
    ),
    ["request", "any request (malformed input, credentials)"],
    ["notifications", "the notification channel (CometD)"],
  ];
  const used = new Set(checks.map((c) => c.operation ?? "request"));
  const body = rows
    .filter(([id]) => used.has(id))
    .map(([id, label]) => {
      const cells = FAMILIES.map((family) => {
        const here = checks.filter((c) => (c.operation ?? "request") === id && c.family === family);
        if (here.length === 0) return `<td class="empty">·</td>`;
        const w = worst(here.map((c) => c.outcome))!;
        const bad = here.filter((c) => c.outcome === w).length;
        return `<td class="cell o-${w}"><a href="#checks" data-filter-operation="${esc(id)}" data-filter-family="${family}" title="${here.length} check(s), worst: ${OUTCOME_LABEL[w]}">${OUTCOME_LABEL[w]}${w === "passed" ? "" : ` ${bad}/${here.length}`}</a></td>`;
      });
      return `<tr data-operation="${esc(id)}"><th scope="row">${esc(label)}</th>${cells.join("")}</tr>`;
    });
  return `<table class="matrix"><thead><tr><th>operation</th>${FAMILIES.map((f) => `<th>${FAMILY_LABEL[f]}</th>`).join("")}</tr></thead><tbody>${body.join("")}</tbody></table>`;
}

const COVERAGE: Record<Exclude<Level, "decided">, { heading: string; says: string }> = {
  page: { heading: "The spec page (REQ-*)", says: "the page says" },
  facts: { heading: "gws-facts (FACT-*)", says: "gws-facts says" },
  protocol: { heading: "HTTP and Bayeux (PROTO-*)", says: "the protocol says" },
};

/** Every clause of requirements.json, grouped by level: the checks that cite it or assert it, and how they ended. */
export function renderCoverage(checks: CheckResult[]): string {
  const groups = (["page", "facts", "protocol"] as const).map((level) => {
    const clauses = specModel().requirements.filter((r) => (r.source ?? "page") === level);
    if (clauses.length === 0) return "";
    const rows = clauses.map((r) => {
      const verifying = checks.filter(
        (c) => c.requirements.includes(r.id) || (c.expectations ?? []).some((e) => e.clause === r.id),
      );
      const w = worst(verifying.map((c) => c.outcome));
      const status = !r.testable
        ? `<span class="muted">not testable: ${esc(r.reason ?? "")}</span>`
        : verifying.length === 0
          ? `<b class="uncovered">no check ran</b>`
          : `<span class="pill o-${w}">${OUTCOME_LABEL[w!]}</span> ${verifying.length} check(s)`;
      const links = verifying
        .slice(0, 12)
        .map((c) => `<a href="#check-${esc(c.id)}" class="o-${c.outcome}-text">${esc(c.id)}</a>`)
        .join(", ");
      return `<tr id="req-${esc(r.id)}"><td><code>${esc(r.id)}</code></td><td>${esc(r.reference ?? r.section)}</td><td>“${esc(r.quote)}”</td><td>${status}<div class="links">${links}${verifying.length > 12 ? ` and ${verifying.length - 12} more` : ""}</div></td></tr>`;
    });
    const { heading, says } = COVERAGE[level];
    return `<h3 id="coverage-${level}">${levelBadge(level)} ${heading} <span class="muted">(${clauses.length})</span></h3><table class="coverage" data-level="${level}"><thead><tr><th>clause</th><th>${level === "protocol" ? "reference" : "section"}</th><th>${says}</th><th>verified by</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
  });
  return groups.join("");
}

export function renderRegister(checks: CheckResult[], profile: ConformanceResults["profile"]): string {
  const cited = new Set(
    checks.flatMap((c) => [
      ...c.ambiguities,
      ...(c.expectations ?? []).filter((e) => e.level === "decided").map((e) => e.clause),
    ]),
  );
  const rows = specModel()
    .ambiguities.filter((a) => cited.has(a.id))
    .map(
      (a) =>
        `<tr id="amb-${esc(a.id)}"><td><code>${esc(a.id)}</code></td><td><b>${esc(a.title)}</b><br><span class="muted">${esc(a.page)}</span></td><td>${esc(a.decision[profile])}</td></tr>`,
    );
  return `<table class="register"><thead><tr><th>entry</th><th>what the page leaves open</th><th>decision (${esc(profile)})</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

/** The verdict as the report's headline says it: a conformant run with warnings says how many. */
export function verdictLine(results: ConformanceResults): string {
  const n = results.counts.warning ?? 0;
  const conformant = results.verdict === "conformant" || results.verdict === "conformant-with-waivers";
  return `${VERDICT_LABEL[results.verdict]}${conformant && n > 0 ? `, ${plural(n, "warning")}` : ""}`;
}

/** The four normative levels, and what breaking each does in this run. */
export function legend(strict: boolean): string {
  const items = LEVELS.map((l) => `<li>${levelBadge(l)} ${LEVEL_SOURCE[l]}</li>`).join("");
  return `<aside id="levels" class="legend"><b>Normative levels</b> of the expectations each check asserts: <ul class="inline">${items}</ul>
<p>A broken page, facts or protocol expectation fails its check. Only <b>decided</b> expectations warn instead of failing (<span class="pill o-warning">warning</span>: the run stays conformant); <code>gws-conformance run --strict</code> makes them fail. This run: ${strict ? "<b>--strict</b> (decided expectations failed their checks)" : "not strict"}.</p></aside>`;
}

export function badge(results: ConformanceResults): string {
  const colour =
    results.verdict === "conformant"
      ? "#2e7d32"
      : results.verdict === "conformant-with-waivers"
        ? "#9e7c00"
        : "#c62828";
  const right = `${VERDICT_LABEL[results.verdict]} · ${results.counts.passed} passed${results.counts.failed ? ` · ${results.counts.failed} failed` : ""}${results.counts.warning ? ` · ${plural(results.counts.warning, "warning")}` : ""}`;
  const lw = 122;
  const rw = 14 + right.length * 7.2;
  return `<svg class="badge" xmlns="http://www.w3.org/2000/svg" width="${lw + rw}" height="22" role="img" aria-label="gws-conformance ${esc(results.profile)}: ${esc(right)}"><rect width="${lw}" height="22" fill="#444"/><rect x="${lw}" width="${rw}" height="22" fill="${colour}"/><g fill="#fff" font-family="Verdana,sans-serif" font-size="11"><text x="8" y="15">gws-conformance ${esc(results.profile)}</text><text x="${lw + 6}" y="15">${esc(right)}</text></g></svg>`;
}
