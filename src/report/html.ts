// The HTML conformance report: one self-contained file (all CSS and script inline, no network access) that
// answers "does it conform, and where not, why", and lets a reader drill down to the exact request, response,
// notification and schema violation. Rendered only from the (already redacted) results.
import { gunzipSync, gzipSync } from "node:zlib";
import type { CheckResult, ConformanceResults, ExpectationResult, NotificationLatency } from "../generated/schema-types.js";
import { specModel } from "../model/catalog.js";
import { LEVELS, type Level } from "../model/levels.js";

type Outcome = CheckResult["outcome"];
type Evidence = CheckResult["evidence"];

/** Worst first: checks are listed, and a matrix cell is coloured, by their worst outcome. */
const OUTCOMES: Outcome[] = ["failed", "error", "cant-tell", "warning", "waived", "passed", "not-applicable"];
const OUTCOME_LABEL: Record<Outcome, string> = {
  failed: "failed", error: "error", "cant-tell": "can't tell", warning: "warning", waived: "waived", passed: "passed", "not-applicable": "not applicable",
};
/** Issue 12's normative levels: where each clause comes from; only decided ones warn instead of failing. */
const LEVEL_SOURCE: Record<Level, string> = {
  page: "the spec page (REQ-*)", facts: "gws-facts (FACT-*)", protocol: "HTTP or Bayeux (PROTO-*)", decided: "the ambiguity register (AMB-*)",
};
const FAMILIES = ["success", "envelope", "notifications", "preconditions", "bad-input", "permissions", "lists", "channel"] as const;
const FAMILY_LABEL: Record<string, string> = {
  success: "success", envelope: "envelope & shape", notifications: "notifications", preconditions: "state preconditions",
  "bad-input": "bad input", permissions: "permissions", lists: "lists (GET)", channel: "notification channel",
};
const VERDICT_LABEL: Record<ConformanceResults["verdict"], string> = {
  conformant: "Conformant", "conformant-with-waivers": "Conformant with waivers", "non-conformant": "Non-conformant", "could-not-run": "Could not run",
};
/** Worst first: a matrix cell takes the colour of its worst outcome. */
const SEVERITY: Outcome[] = OUTCOMES;
/** Bodies longer than this are cut in the report (results.json keeps them whole). */
const BODY_LIMIT = 6_000;

const esc = (s: unknown) =>
  String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function json(value: unknown, pretty: boolean): string {
  if (value === undefined) return "";
  const text = typeof value === "string" ? value : JSON.stringify(value, null, pretty ? 2 : 0) ?? "";
  return text.length > BODY_LIMIT ? `${text.slice(0, BODY_LIMIT)}\n… (${text.length - BODY_LIMIT} more characters in results.json)` : text;
}

const clip = (text: string, n: number) => (text.length > n ? `${text.slice(0, n)}…` : text);
const worst = (outcomes: Outcome[]) => SEVERITY.find((o) => outcomes.includes(o));

function headers(h: Record<string, string>): string {
  const lines = Object.entries(h).map(([k, v]) => `${k}: ${v}`);
  return lines.length ? `<pre class="headers">${esc(lines.join("\n"))}</pre>` : "";
}

function renderExchanges(evidence: Evidence, full: boolean): string {
  if (evidence.exchanges.length === 0) return "";
  const items = evidence.exchanges.map((x, i) => {
    const status = x.status === 0 ? `no answer: ${x.error ?? "?"}` : String(x.status);
    const line = `<span class="method">${esc(x.method)}</span> ${esc(x.url)}${x.as ? ` <span class="muted">as ${esc(x.as)}</span>` : ""} → <b class="status s${String(x.status).charAt(0)}">${esc(status)}</b> <span class="muted">at +${x.at} ms, ${x.durationMs} ms</span>`;
    // Setup steps stay one line; the last exchanges and every refusal show headers and bodies.
    const detailed = full && (i >= evidence.exchanges.length - 2 || x.status === 0 || x.status >= 300);
    if (!detailed) return `<li class="exchange-line">${line}</li>`;
    const body = x.responseBody !== undefined ? json(x.responseBody, true) : (x.responseText ?? "");
    return `<li class="exchange" id="x-${i}">
<div class="exchange-line">${line}</div>
<div class="grid2"><div><h5>Request</h5>${headers(x.requestHeaders)}${x.requestBody !== undefined ? `<pre class="body">${esc(json(x.requestBody, true))}</pre>` : ""}</div>
<div><h5>Response</h5>${headers(x.responseHeaders)}${body ? `<pre class="body">${esc(body)}</pre>` : `<p class="muted">(empty body)</p>`}</div></div>
<details class="curl"><summary>curl</summary><pre>${esc(x.curl)}</pre></details></li>`;
  });
  return `<h4>HTTP exchanges (${evidence.exchanges.length})</h4><ol class="exchanges">${items.join("")}</ol>`;
}

function renderNotifications(evidence: Evidence, full: boolean): string {
  if (evidence.notifications.length === 0) return "";
  const rows = evidence.notifications.map((n) => {
    const before = [...evidence.exchanges].reverse().find((x) => x.at <= n.at);
    const relative = before ? `${n.at - before.at} ms after ${esc(before.method)} ${esc(new URL(before.url, "http://x").pathname)}` : "";
    return `<tr><td>${esc(n.agent)}</td><td>+${n.at} ms<br><span class="muted">${relative}</span></td><td>${esc(n.channel)}</td><td>${full ? `<pre class="body">${esc(clip(json(n.data, false), 300))}</pre>` : `<code>${esc(clip(json(n.data, false), 100))}</code>`}</td></tr>`;
  });
  return `<h4>CometD messages received (${evidence.notifications.length})</h4><table class="notifications"><thead><tr><th>agent</th><th>received</th><th>channel</th><th>data</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function renderViolations(evidence: Evidence): string {
  if (evidence.violations.length === 0) return "";
  const shown = new Set<string>();
  const rows = evidence.violations.map((v) => {
    // The actual value is shown once per document and pointer, however many keywords it breaks.
    const key = `${v.what}\u0000${v.pointer}`;
    const actual = shown.has(key) ? `<span class="muted">(as above)</span>` : `<pre class="body">${esc(v.actual === undefined ? "(absent)" : json(v.actual, JSON.stringify(v.actual).length > 60))}</pre>`;
    shown.add(key);
    return `<tr><td>${esc(v.what)}</td><td><code>${esc(v.schema)}</code></td><td><code>${esc(v.pointer)}</code></td><td>${esc(v.keyword)}: ${esc(v.message)}${v.params && Object.keys(v.params).length ? ` <code>${esc(JSON.stringify(v.params))}</code>` : ""}</td><td>${actual}</td></tr>`;
  });
  return `<h4>Schema violations (${evidence.violations.length})</h4><table class="violations"><thead><tr><th>document</th><th>schema</th><th>pointer</th><th>expected</th><th>actual</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

const levelBadge = (level: Level) => `<span class="lvl lvl-${level}">${level}</span>`;

/** What a clause says: a requirement's quote (a protocol clause's reference too), or the register entry's title. */
function clauseText(clause: string): string | undefined {
  const model = specModel();
  try {
    if (clause.startsWith("AMB-")) return model.ambiguity(clause).title;
    const r = model.requirement(clause);
    return r.reference ? `${r.reference}: “${r.quote}”` : `“${r.quote}”`;
  } catch {
    return undefined;
  }
}

/** Every expectation the check asserted: level, clause (what it says as a tooltip, and below a broken one), outcome. */
function renderExpectations(expectations: ExpectationResult[]): string {
  if (expectations.length === 0) return "";
  const rows = expectations.map((e) => {
    const about = clauseText(e.clause);
    const anchor = e.level === "decided" ? `amb-${e.clause}` : `req-${e.clause}`;
    const quote = about && e.outcome !== "held" ? `<div class="muted">${esc(e.clause)}: ${esc(about)}</div>` : "";
    return `<tr class="e-${e.outcome}"><td>${levelBadge(e.level)}</td><td><a href="#${esc(anchor)}"${about ? ` title="${esc(about)}"` : ""}><code>${esc(e.clause)}</code></a></td><td class="eo">${e.outcome}</td><td>${esc(e.message)}${quote}</td></tr>`;
  });
  return `<h4>Expectations (${expectations.length})</h4><table class="expectations"><thead><tr><th>level</th><th>clause</th><th>outcome</th><th>expected, or what was wrong</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function renderCheck(c: CheckResult, profile: ConformanceResults["profile"]): { summary: string; body: string } {
  const model = specModel();
  const full = c.outcome !== "passed" && c.outcome !== "not-applicable";
  // Failed checks quote what they verify and the decisions they rest on; the others link to them (size).
  const requirements = c.requirements.map((id) => {
    const r = full ? model.requirements.find((x) => x.id === id) : undefined;
    return `<li><a href="#req-${esc(id)}"><code>${esc(id)}</code></a>${r ? ` “${esc(r.quote)}”` : ""}</li>`;
  });
  // The decisions a failure names are spelled out; the others link to the register section (size).
  const ambiguities = c.ambiguities.map((id) => {
    const a = full ? model.ambiguities.find((x) => x.id === id) : undefined;
    const named = a && c.reason?.includes(id);
    return `<li><a href="#amb-${esc(id)}"><code>${esc(id)}</code></a>${a && named ? ` <b>${esc(a.title)}</b>: ${esc(a.decision[profile])}` : ""}</li>`;
  });
  const waiver = c.waiver
    ? `<p class="waiver">Waiver (${esc(c.waiver.status)}): ${esc(c.waiver.reason)} — owner ${esc(c.waiver.owner)}, expires ${esc(c.waiver.expires)}</p>`
    : "";
  const body = `${c.reason ? `<p class="reason">${esc(c.reason)}</p>` : ""}${waiver}
${renderExpectations(c.expectations ?? [])}
${requirements.length ? `<h4>Verifies</h4><ul class="${full ? "reqs" : "inline"}">${requirements.join("")}</ul>` : ""}
${ambiguities.length ? `<h4>Rests on these ambiguity decisions (${profile})</h4><ul class="${full ? "ambs" : "inline"}">${ambiguities.join("")}</ul>` : ""}
${renderViolations(c.evidence)}${renderExchanges(c.evidence, full)}${renderNotifications(c.evidence, full)}
${c.evidence.notes.length ? `<h4>Notes</h4><ul>${c.evidence.notes.map((n) => `<li>${esc(n)}</li>`).join("")}</ul>` : ""}
${full ? "" : `<p class="muted">Full evidence of this check is in results.json.</p>`}`;
  const summary = `<details class="check o-${c.outcome}" id="check-${esc(c.id)}" data-id="${esc(c.id)}" data-outcome="${c.outcome}" data-family="${esc(c.family)}" data-operation="${esc(c.operation ?? "request")}"${full ? " open" : ""}>
<summary><span class="pill o-${c.outcome}">${OUTCOME_LABEL[c.outcome]}</span> <code class="id">${esc(c.id)}</code> <span class="title">${esc(c.title)}</span> <span class="muted">${c.durationMs} ms</span></summary>
<div class="check-body"></div>
</details>`;
  return { summary, body };
}

/**
 * The check bodies travel as one gzip'd, base64'd JSON array (in check order) that the page unpacks with the
 * browser's own DecompressionStream after it has loaded: a megabyte of evidence costs the HTML parser a tenth
 * of that, so a 200-check report with a hundred failures still opens in well under a second.
 */
const EVIDENCE_ID = "evidence";
const packEvidence = (bodies: string[]) => gzipSync(JSON.stringify(bodies), { level: 9 }).toString("base64");

/** The report's check bodies, unpacked: what a reader sees once the page has opened (for tests and greps). */
export function reportEvidence(html: string): string[] {
  const packed = new RegExp(`<script type="application/gzip;base64" id="${EVIDENCE_ID}">([^<]*)</script>`).exec(html);
  if (!packed) throw new Error("This is not a gws-conformance report: it has no packed evidence.");
  return JSON.parse(gunzipSync(Buffer.from(packed[1]!, "base64")).toString("utf8")) as string[];
}

/** p50, p95 and max per operation as horizontal bars on one scale, with the bound as a dashed line; the numbers as text. */
function renderLatency(latency: NotificationLatency): string {
  if (latency.operations.length === 0) return `<p>No operation of this run was followed by a notification about its interaction.</p>`;
  const [label, width, row, bar] = [150, 420, 22, 6];
  // On the slowest operation's scale, so a fast server's bars stay visible; the bound is drawn when it fits.
  const slowest = Math.max(...latency.operations.map((o) => o.maxMs), 1);
  const top = latency.boundMs <= slowest * 1.25 ? Math.max(latency.boundMs, slowest) : slowest;
  const x = (ms: number) => label + Math.max(1, Math.round((ms / top) * width));
  const rows = latency.operations.map((o, i) => {
    const y = 4 + i * row;
    const bars = (["maxMs", "p95Ms", "p50Ms"] as const).map((k, j) => `<rect class="lat-${k}" x="${label}" y="${y + j * bar}" width="${x(o[k]) - label}" height="${bar - 1}"><title>${esc(o.operation)} ${k.replace("Ms", "")}: ${o[k]} ms</title></rect>`);
    return `<text x="${label - 6}" y="${y + 13}" text-anchor="end">${esc(o.operation)}</text>${bars.join("")}<text x="${x(o.maxMs) + 4}" y="${y + 13}" class="lat-value">${o.p50Ms} / ${o.p95Ms} / ${o.maxMs} ms (${o.count})</text>`;
  });
  const height = 8 + latency.operations.length * row;
  const bound = x(latency.boundMs);
  const line = latency.boundMs <= top ? `<line class="lat-bound" x1="${bound}" x2="${bound}" y1="0" y2="${height}"><title>bound: ${latency.boundMs} ms</title></line>` : "";
  return `<svg class="latency" role="img" aria-label="notification latency per operation" width="${label + width + 170}" height="${height}" viewBox="0 0 ${label + width + 170} ${height}">${rows.join("")}${line}</svg>
<p class="muted lat-legend"><span class="lat-key lat-p50Ms"></span> p50 <span class="lat-key lat-p95Ms"></span> p95 <span class="lat-key lat-maxMs"></span> max · label: p50 / p95 / max (samples) · scale 0 to ${top} ms${line ? ", the dashed line is the bound" : `; the bound, ${latency.boundMs} ms, is ${Math.round(latency.boundMs / slowest)}× the slowest`}</p>`;
}

function renderMatrix(checks: CheckResult[]): string {
  const { catalog } = specModel();
  const rows: [string, string][] = [
    ...catalog.operations.map((o) => [o.id, o.title] as [string, string]),
    ...catalog.endpoints.map((e) => [e.id, `${e.method} ${e.path.replace("/api/v2", "")}${e.query ? "?fields=*" : ""}`] as [string, string]),
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
function renderCoverage(checks: CheckResult[]): string {
  const groups = (["page", "facts", "protocol"] as const).map((level) => {
    const clauses = specModel().requirements.filter((r) => (r.source ?? "page") === level);
    if (clauses.length === 0) return "";
    const rows = clauses.map((r) => {
      const verifying = checks.filter((c) => c.requirements.includes(r.id) || (c.expectations ?? []).some((e) => e.clause === r.id));
      const w = worst(verifying.map((c) => c.outcome));
      const status = !r.testable
        ? `<span class="muted">not testable: ${esc(r.reason ?? "")}</span>`
        : verifying.length === 0
          ? `<b class="uncovered">no check ran</b>`
          : `<span class="pill o-${w}">${OUTCOME_LABEL[w!]}</span> ${verifying.length} check(s)`;
      const links = verifying.slice(0, 12).map((c) => `<a href="#check-${esc(c.id)}" class="o-${c.outcome}-text">${esc(c.id)}</a>`).join(", ");
      return `<tr id="req-${esc(r.id)}"><td><code>${esc(r.id)}</code></td><td>${esc(r.reference ?? r.section)}</td><td>“${esc(r.quote)}”</td><td>${status}<div class="links">${links}${verifying.length > 12 ? ` and ${verifying.length - 12} more` : ""}</div></td></tr>`;
    });
    const { heading, says } = COVERAGE[level];
    return `<h3 id="coverage-${level}">${levelBadge(level)} ${heading} <span class="muted">(${clauses.length})</span></h3><table class="coverage" data-level="${level}"><thead><tr><th>clause</th><th>${level === "protocol" ? "reference" : "section"}</th><th>${says}</th><th>verified by</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
  });
  return groups.join("");
}

function renderRegister(checks: CheckResult[], profile: ConformanceResults["profile"]): string {
  const cited = new Set(checks.flatMap((c) => [...c.ambiguities, ...(c.expectations ?? []).filter((e) => e.level === "decided").map((e) => e.clause)]));
  const rows = specModel().ambiguities.filter((a) => cited.has(a.id)).map(
    (a) => `<tr id="amb-${esc(a.id)}"><td><code>${esc(a.id)}</code></td><td><b>${esc(a.title)}</b><br><span class="muted">${esc(a.page)}</span></td><td>${esc(a.decision[profile])}</td></tr>`,
  );
  return `<table class="register"><thead><tr><th>entry</th><th>what the page leaves open</th><th>decision (${esc(profile)})</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;

/** The verdict as the report's headline says it: a conformant run with warnings says how many. */
function verdictLine(results: ConformanceResults): string {
  const n = results.counts.warning ?? 0;
  const conformant = results.verdict === "conformant" || results.verdict === "conformant-with-waivers";
  return `${VERDICT_LABEL[results.verdict]}${conformant && n > 0 ? `, ${plural(n, "warning")}` : ""}`;
}

/** The four normative levels, and what breaking each does in this run. */
function legend(strict: boolean): string {
  const items = LEVELS.map((l) => `<li>${levelBadge(l)} ${LEVEL_SOURCE[l]}</li>`).join("");
  return `<aside id="levels" class="legend"><b>Normative levels</b> of the expectations each check asserts: <ul class="inline">${items}</ul>
<p>A broken page, facts or protocol expectation fails its check. Only <b>decided</b> expectations warn instead of failing (<span class="pill o-warning">warning</span>: the run stays conformant); <code>gws-conformance run --strict</code> makes them fail. This run: ${strict ? "<b>--strict</b> (decided expectations failed their checks)" : "not strict"}.</p></aside>`;
}

function badge(results: ConformanceResults): string {
  const colour = results.verdict === "conformant" ? "#2e7d32" : results.verdict === "conformant-with-waivers" ? "#9e7c00" : "#c62828";
  const right = `${VERDICT_LABEL[results.verdict]} · ${results.counts.passed} passed${results.counts.failed ? ` · ${results.counts.failed} failed` : ""}${results.counts.warning ? ` · ${plural(results.counts.warning, "warning")}` : ""}`;
  const lw = 122;
  const rw = 14 + right.length * 7.2;
  return `<svg class="badge" xmlns="http://www.w3.org/2000/svg" width="${lw + rw}" height="22" role="img" aria-label="gws-conformance ${esc(results.profile)}: ${esc(right)}"><rect width="${lw}" height="22" fill="#444"/><rect x="${lw}" width="${rw}" height="22" fill="${colour}"/><g fill="#fff" font-family="Verdana,sans-serif" font-size="11"><text x="8" y="15">gws-conformance ${esc(results.profile)}</text><text x="${lw + 6}" y="15">${esc(right)}</text></g></svg>`;
}

export function renderReport(results: ConformanceResults): string {
  // Worst first, then by id, so a reader meets the failures before anything else.
  const checks = [...results.checks].sort((a, b) => SEVERITY.indexOf(a.outcome) - SEVERITY.indexOf(b.outcome) || a.id.localeCompare(b.id));
  const counts = OUTCOMES.map((o) => `<li class="o-${o}"><b>${results.counts[o] ?? 0}</b> ${OUTCOME_LABEL[o]}${o === "warning" && results.counts[o] !== 1 ? "s" : ""}</li>`).join("");
  const preflightFailed = results.preflight.some((s) => !s.ok);
  const preflight = `<table class="preflight"><tbody>${results.preflight.map((s) => `<tr class="${s.ok ? "ok" : "bad"}"><td>${s.ok ? "ok" : "FAILED"}</td><td>${esc(s.name)}</td><td>${esc(s.message)}</td></tr>`).join("")}</tbody></table>`;
  const waivers = results.waivers.length
    ? `<table class="waivers"><thead><tr><th>check</th><th>status</th><th>owner</th><th>expires</th><th>reason</th></tr></thead><tbody>${results.waivers
        .map((w) => `<tr class="w-${w.status}"><td><a href="#check-${esc(w.check)}">${esc(w.check)}</a></td><td>${esc(w.status)}${w.status === "expired" || w.status === "stale" ? " ⚠" : ""}</td><td>${esc(w.owner)}</td><td>${esc(w.expires)}</td><td>${esc(w.reason)}</td></tr>`)
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
<nav><a href="#matrix">Matrix</a> <a href="#checks">Checks</a> ${results.latency ? `<a href="#latency">Latency</a> ` : ""}<a href="#requirements">Requirement coverage</a> <a href="#register">Ambiguities</a> <a href="#waivers">Waivers</a> <a href="#preflight">Preflight</a>${results.problems.length ? ` <a href="#problems">Problems</a>` : ""}</nav>
<main>
${legend(results.strict === true)}
${preflightFailed ? `<section id="preflight-first"><h2>Preflight failed</h2>${preflight}</section>` : ""}
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

const CSS = `
:root{--ok:#2e7d32;--bad:#c62828;--warn:#ef6c00;--warning:#ffb300;--waived:#9e7c00;--na:#757575;--err:#6a1b9a;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b}
body{margin:0;background:#fafafa}main,nav,footer{max-width:1200px;margin:0 auto;padding:0 16px}
.top{padding:20px 16px;color:#fff}.top>*{max-width:1200px;margin-left:auto;margin-right:auto}
.v-conformant{background:var(--ok)}.v-conformant-with-waivers{background:var(--waived)}.v-non-conformant{background:var(--bad)}.v-could-not-run{background:#424242}
.headline{display:flex;align-items:center;gap:16px;flex-wrap:wrap}h1{margin:0;font-size:2rem}.summary{font-size:1.1rem;margin:8px auto}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:8px auto}.facts dt{opacity:.8}.facts dd{margin:0}
.counts{display:flex;gap:8px;list-style:none;padding:0;flex-wrap:wrap}.counts li{background:rgba(255,255,255,.18);padding:4px 10px;border-radius:12px}
nav{padding:10px 16px;display:flex;gap:16px;position:sticky;top:0;background:#fafafa;border-bottom:1px solid #ddd;z-index:1}
section{margin:24px 0}#requirements,#register,#waivers,#preflight,#problems{content-visibility:auto;contain-intrinsic-size:auto 1500px}h2{border-bottom:2px solid #ddd;padding-bottom:4px}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
svg.latency{font:12px system-ui,sans-serif;max-width:100%}svg.latency .lat-p50Ms,.lat-key.lat-p50Ms{fill:#1f4e8c;background:#1f4e8c}svg.latency .lat-p95Ms,.lat-key.lat-p95Ms{fill:#5b8bd0;background:#5b8bd0}svg.latency .lat-maxMs,.lat-key.lat-maxMs{fill:#b9cdea;background:#b9cdea}svg.latency .lat-bound{stroke:#b00020;stroke-dasharray:4 3}svg.latency .lat-value{fill:#555}.lat-key{display:inline-block;width:12px;height:8px}
.matrix td.cell a{display:block;color:#fff;text-decoration:none;font-weight:600}.matrix td.empty{color:#bbb;text-align:center}
.cell.o-passed{background:var(--ok)}.cell.o-failed{background:var(--bad)}.cell.o-error{background:var(--err)}.cell.o-cant-tell{background:var(--warn)}.cell.o-waived{background:var(--waived)}.cell.o-not-applicable{background:var(--na)}.cell.o-warning{background:var(--warning)}.matrix td.cell.o-warning a{color:#1b1b1b}
.pill{display:inline-block;min-width:86px;text-align:center;border-radius:10px;color:#fff;font-size:.8rem;padding:1px 6px}
.pill.o-passed{background:var(--ok)}.pill.o-failed{background:var(--bad)}.pill.o-error{background:var(--err)}.pill.o-cant-tell{background:var(--warn)}.pill.o-waived{background:var(--waived)}.pill.o-not-applicable{background:var(--na)}.pill.o-warning{background:var(--warning);color:#1b1b1b}
.o-failed-text,.uncovered{color:var(--bad)}.o-warning-text{color:#b26a00}
.check{content-visibility:auto;contain-intrinsic-size:auto 40px;background:#fff;border:1px solid #ddd;border-left:6px solid var(--na);margin:6px 0;border-radius:4px}
.check.o-passed{border-left-color:var(--ok)}.check.o-failed{border-left-color:var(--bad)}.check.o-error{border-left-color:var(--err)}.check.o-cant-tell{border-left-color:var(--warn)}.check.o-waived{border-left-color:var(--waived)}.check.o-warning{border-left-color:var(--warning)}.check.o-warning .reason{background:#fff8e1;border-left-color:var(--warning)}
.lvl{display:inline-block;min-width:58px;text-align:center;border-radius:3px;font-size:.75rem;padding:0 4px;border:1px solid}.lvl-page{color:#0d47a1;background:#e3f2fd}.lvl-facts{color:#004d40;background:#e0f2f1}.lvl-protocol{color:#4a148c;background:#f3e5f5}.lvl-decided{color:#6d4c00;background:#fff8e1}
.expectations td.eo{font-weight:600}.e-held td.eo{color:var(--ok)}.e-failed td.eo{color:var(--bad)}.e-warned td.eo{color:#b26a00}.e-failed{background:#fdecea}.e-warned{background:#fff8e1}
.legend{margin:12px 0;padding:8px 12px;background:#fff;border:1px solid #ddd;border-radius:4px;font-size:.9rem}.legend p{margin:6px 0 0}
.check>summary{padding:6px 8px;cursor:pointer}.check-body{padding:0 12px 12px}.id{font-weight:600}.muted{color:#666}
.reason{background:#fdecea;border-left:4px solid var(--bad);padding:8px;white-space:pre-wrap}.waiver{background:#fff8e1;padding:6px}
pre{background:#f4f4f4;padding:6px;overflow:auto;max-height:360px;margin:4px 0;font-size:.8rem;white-space:pre-wrap;word-break:break-word}
.violations td:nth-child(5){min-width:260px}.grid2{display:grid;grid-template-columns:1fr 1fr;gap:8px}.exchanges{padding-left:20px}.exchange{margin-bottom:10px}
.status.s2{color:var(--ok)}.status.s4,.status.s5,.status.s0{color:var(--bad)}.method{font-weight:600}h4{margin:12px 0 4px}h5{margin:4px 0}
.filters{display:flex;gap:12px;flex-wrap:wrap;align-items:center;background:#fff;border:1px solid #ddd;padding:8px;border-radius:4px}
.filters fieldset{border:none;padding:0;margin:0}.preflight tr.bad td{color:var(--bad);font-weight:600}.w-expired,.w-stale{background:#fdecea}
.badge{height:22px}ul.ambs{display:flex;flex-wrap:wrap;gap:4px 12px;list-style:none;padding:0}ul.inline{display:flex;flex-wrap:wrap;gap:4px 12px;list-style:none;padding:0;margin:0}footer{padding:24px 16px}
@media (max-width:800px){.grid2{grid-template-columns:1fr}}
`;

// Filters: outcome checkboxes, family, operation, id search; matrix cells set family and operation.
const SCRIPT = `
(function(){
  var list=[].slice.call(document.querySelectorAll('#check-list > details.check')),bodies=null,status=document.getElementById('evidence-status');
  function fill(d){if(!bodies||d.dataset.filled)return;d.dataset.filled='1';d.querySelector('.check-body').innerHTML=bodies[list.indexOf(d)];}
  document.addEventListener('toggle',function(e){if(e.target.open&&e.target.classList.contains('check'))fill(e.target);},true);
  function reveal(){if(location.hash.indexOf('#check-')===0){var t=document.getElementById(decodeURIComponent(location.hash.slice(1)));if(t){t.hidden=false;t.open=true;fill(t);}}}
  window.addEventListener('hashchange',reveal);
  function unpack(){
    var packed=document.getElementById('${EVIDENCE_ID}');
    if(typeof DecompressionStream!=='function'){status.hidden=false;status.textContent='This browser cannot unpack the evidence (it lacks DecompressionStream); read it in results.json.';return;}
    var bin=atob(packed.textContent),bytes=new Uint8Array(bin.length);for(var i=0;i<bin.length;i++)bytes[i]=bin.charCodeAt(i);
    new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text().then(function(text){
      bodies=JSON.parse(text);packed.remove();reveal();
      // Open checks (the failed ones) are filled at once for the first screenful, then in slices.
      var open=list.filter(function(d){return d.open;});open.slice(0,12).forEach(fill);var rest=open.slice(12);
      (function more(){rest.splice(0,20).forEach(fill);if(rest.length)setTimeout(more,0);})();
      document.body.dataset.readyAt=String(Math.round(performance.now()));document.body.dataset.evidence='ready';
    },function(e){status.hidden=false;status.textContent='The evidence could not be unpacked ('+e+'); read it in results.json.';});
  }
  // After the load event, not in it: the page counts as open before the evidence is unpacked.
  if(document.readyState==='complete')setTimeout(unpack,0);else window.addEventListener('load',function(){setTimeout(unpack,0);});
  var form=document.getElementById('filters');
  var fam=document.getElementById('family'),op=document.getElementById('operation'),search=document.getElementById('search');
  function apply(){
    var outcomes={};form.querySelectorAll('input[name=outcome]').forEach(function(b){outcomes[b.value]=b.checked;});
    var q=search.value.trim().toLowerCase(),n=0;
    list.forEach(function(d){
      var show=outcomes[d.dataset.outcome]&&(!fam.value||d.dataset.family===fam.value)&&(!op.value||d.dataset.operation===op.value)&&(!q||d.dataset.id.toLowerCase().indexOf(q)>=0);
      d.hidden=!show;if(show)n++;
    });
    document.getElementById('visible-count').textContent=n;
  }
  form.addEventListener('input',apply);form.addEventListener('change',apply);
  document.getElementById('reset').addEventListener('click',function(){form.querySelectorAll('input[name=outcome]').forEach(function(b){b.checked=true;});fam.value='';op.value='';search.value='';apply();});
  document.querySelectorAll('[data-filter-family]').forEach(function(a){a.addEventListener('click',function(){fam.value=a.dataset.filterFamily;op.value=a.dataset.filterOperation;form.querySelectorAll('input[name=outcome]').forEach(function(b){b.checked=true;});search.value='';apply();});});
})();
`;
