// The HTML report's inline stylesheet and browser script (no network access: the page's CSP allows nothing else).
import { EVIDENCE_ID } from "./check.js";

export const CSS = `
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
.baseline tr.b-regressed td:first-child{color:var(--bad);font-weight:700}.baseline tr.b-fixed td:first-child{color:var(--ok);font-weight:700}
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
export const SCRIPT = `
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
