// The HTML conformance report: one self-contained file (all CSS and script inline, no network access) that
// answers "does it conform, and where not, why", and lets a reader drill down to the exact request, response,
// notification and schema violation. Rendered only from the (already redacted) results.
import type { ConformanceResults } from "../generated/schema-types.js";
import { CSS, SCRIPT } from "./assets.js";
import { renderBaseline } from "./baseline.js";
import { EVIDENCE_ID, packEvidence, renderCheck } from "./check.js";
import { esc, FAMILIES, FAMILY_LABEL, OUTCOME_LABEL, OUTCOMES, SEVERITY } from "./format.js";
import { badge, legend, renderCoverage, renderLatency, renderMatrix, renderRegister, verdictLine } from "./sections.js";

export { reportEvidence } from "./check.js";

export function renderReport(results: ConformanceResults): string {
  // Worst first, then by id, so a reader meets the failures before anything else.
  const checks = [...results.checks].sort(
    (a, b) => SEVERITY.indexOf(a.outcome) - SEVERITY.indexOf(b.outcome) || a.id.localeCompare(b.id),
  );
  const counts = OUTCOMES.map(
    (o) =>
      `<li class="o-${o}"><b>${results.counts[o] ?? 0}</b> ${OUTCOME_LABEL[o]}${o === "warning" && results.counts[o] !== 1 ? "s" : ""}</li>`,
  ).join("");
  const preflightFailed = results.preflight.some((s) => !s.ok);
  const preflight = `<table class="preflight"><tbody>${results.preflight.map((s) => `<tr class="${s.ok ? "ok" : "bad"}"><td>${s.ok ? "ok" : "FAILED"}</td><td>${esc(s.name)}</td><td>${esc(s.message)}</td></tr>`).join("")}</tbody></table>`;
  const waivers = results.waivers.length
    ? `<table class="waivers"><thead><tr><th>check</th><th>status</th><th>owner</th><th>expires</th><th>reason</th></tr></thead><tbody>${results.waivers
        .map(
          (w) =>
            `<tr class="w-${w.status}"><td><a href="#check-${esc(w.check)}">${esc(w.check)}</a></td><td>${esc(w.status)}${w.status === "expired" || w.status === "stale" ? " ⚠" : ""}</td><td>${esc(w.owner)}</td><td>${esc(w.expires)}</td><td>${esc(w.reason)}</td></tr>`,
        )
        .join("")}</tbody></table>`
    : `<p class="muted">No waivers.</p>`;
  const date = new Date(results.startedAt);
  const rendered = checks.map((c) => renderCheck(c, results.profile));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>GWS conformance: ${esc(verdictLine(results))} — ${esc(results.target.baseUrl)}</title>
<style>${CSS}</style></head>
<body>
<header class="top v-${results.verdict}">
<div class="headline"><h1 id="verdict">${esc(verdictLine(results))}</h1>${badge(results)}</div>
<p class="summary">${esc(results.summary)}</p>
<dl class="facts"><dt>Target</dt><dd>${esc(results.target.baseUrl)}${results.target.embedded ? " (embedded reference server)" : ""}</dd>
<dt>Profile</dt><dd>${esc(results.profile)}${results.strict ? " (--strict)" : ""}</dd><dt>Suite</dt><dd>${esc(results.suite.name)} ${esc(results.suite.version)}</dd>
<dt>Started</dt><dd><time datetime="${esc(results.startedAt)}">${esc(date.toISOString().replace("T", " ").slice(0, 19))} UTC</time></dd>
<dt>Duration</dt><dd>${(results.durationMs / 1000).toFixed(1)} s</dd><dt>Exit code</dt><dd>${results.exitCode}</dd></dl>
<ul class="counts">${counts}</ul>
</header>
<nav>${results.baseline ? `<a href="#baseline">Baseline</a> ` : ""}<a href="#matrix">Matrix</a> <a href="#checks">Checks</a> ${results.latency ? `<a href="#latency">Latency</a> ` : ""}<a href="#requirements">Requirement coverage</a> <a href="#register">Ambiguities</a> <a href="#waivers">Waivers</a> <a href="#preflight">Preflight</a>${results.problems.length ? ` <a href="#problems">Problems</a>` : ""}</nav>
<main>
${legend(results.strict === true)}
${preflightFailed ? `<section id="preflight-first"><h2>Preflight failed</h2>${preflight}</section>` : ""}
${results.baseline ? `<section id="baseline"><h2>Since the baseline: ${results.baseline.regressed.length} regressed, ${results.baseline.fixed.length} fixed, ${results.baseline.new.length} new</h2>${renderBaseline(results.baseline)}</section>` : ""}
<section id="matrix"><h2>Operations × check families</h2><p class="muted">Each cell has the colour of its worst outcome; click it to list its checks.</p>${checks.length ? renderMatrix(checks) : `<p>No check ran.</p>`}</section>
<section id="checks"><h2>Checks (<span id="visible-count">${checks.length}</span> of ${checks.length})</h2>
<form id="filters" class="filters" onsubmit="return false">
<fieldset><legend>Outcome</legend>${OUTCOMES.map((o) => `<label><input type="checkbox" name="outcome" value="${o}" checked> ${OUTCOME_LABEL[o]} (${results.counts[o] ?? 0})</label>`).join(" ")}</fieldset>
<label>Family <select id="family"><option value="">all</option>${FAMILIES.map((f) => `<option value="${f}">${FAMILY_LABEL[f]}</option>`).join("")}</select></label>
<label>Operation <select id="operation"><option value="">all</option>${[...new Set(checks.map((c) => c.operation ?? "request"))].map((o) => `<option value="${esc(o)}">${esc(o)}</option>`).join("")}</select></label>
<label>Search id <input type="search" id="search" placeholder="e.g. transfer."></label>
<button type="button" id="reset">Show all</button>
</form>
<p id="evidence-status" class="muted" hidden></p>
<div id="check-list">${rendered.map((r) => r.summary).join("\n")}</div>
</section>
${results.latency ? `<section id="latency"><h2>Notification latency</h2><p class="muted">From sending each accepted operation to the first notification about its interaction: p50, p95 and max over this run's checks. Informative: only the bound, timeouts.notificationMs (${results.latency.boundMs} ms), fails a check.</p>${renderLatency(results.latency)}</section>` : ""}
<section id="requirements"><h2>Requirement coverage</h2><p class="muted">Every clause of requirements.json, by level; decided ones are the ambiguity decisions below.</p>${renderCoverage(checks)}</section>
<section id="register"><h2>Ambiguity decisions the checks rest on</h2>${renderRegister(checks, results.profile)}</section>
<section id="waivers"><h2>Waivers</h2>${waivers}</section>
<section id="preflight"><h2>Preflight</h2>${preflight}</section>
${results.problems.length ? `<section id="problems"><h2>Problems of the run</h2><ul>${results.problems.map((p) => `<li>${esc(p)}</li>`).join("")}</ul></section>` : ""}
</main>
<footer class="muted">Written by gws-conformance from results.json. Credentials are redacted. This file makes no network requests.</footer>
<script type="application/gzip;base64" id="${EVIDENCE_ID}">${packEvidence(rendered.map((r) => r.body))}</script>
<script>${SCRIPT}</script>
</body></html>
`;
}
