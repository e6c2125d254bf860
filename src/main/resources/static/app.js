// Caravan's UI: plain JavaScript over the agent's own JSON (/api/v1, /actuator/health). No build step, no CDN.
'use strict';

const REFRESH_MS = 3000;
let lastCounts = {};
let lastTime = 0;

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c ?? ''));
  return e;
}

function svg(tag, attrs = {}, text) {
  const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

async function json(url, options) {
  const r = await fetch(url, options);
  if (!r.ok && r.status !== 503) throw new Error(url + ': HTTP ' + r.status);
  return r.json();
}

// scheme:path of an endpoint URI, the key that links a route writing to it with the route reading it
function key(uri) {
  return uri.replace('://', ':').split('?')[0];
}

function labelsText(m) {
  return Object.entries(m || {}).map(([k, v]) => k + '="' + v + '"').join('\n');
}

// ---- pipeline graph
async function drawGraph() {
  const routes = await json('/api/v1/pipelines');
  const now = Date.now();
  const byFrom = {};
  routes.forEach(r => (byFrom[key(r.from)] = byFrom[key(r.from)] || []).push(r));
  const edges = [];
  routes.forEach(r => r.to.forEach(t => (byFrom[key(t)] || []).forEach(d => edges.push([r.id, d.id, t]))));
  // columns: a route fed by no other route starts at column 0, others one right of their feeder
  const col = {};
  const fed = new Set(edges.map(e => e[1]));
  routes.forEach(r => { if (!fed.has(r.id)) col[r.id] = 0; });
  for (let pass = 0; pass < routes.length; pass++) {
    edges.forEach(([a, b]) => { if (col[a] !== undefined && (col[b] === undefined || col[b] < col[a] + 1) && col[a] < 8) col[b] = col[a] + 1; });
  }
  routes.forEach(r => { if (col[r.id] === undefined) col[r.id] = 0; });
  const rows = {};
  const pos = {};
  const W = 280, H = 78, GX = 70, GY = 14;
  routes.sort((a, b) => a.id.localeCompare(b.id)).forEach(r => {
    const c = col[r.id];
    rows[c] = (rows[c] || 0);
    pos[r.id] = { x: 10 + c * (W + GX), y: 10 + rows[c] * (H + GY) };
    rows[c]++;
  });
  const maxRows = Math.max(1, ...Object.values(rows));
  const g = document.getElementById('graph');
  g.innerHTML = '';
  g.setAttribute('height', 20 + maxRows * (H + GY));
  const defs = svg('defs');
  const marker = svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto' });
  marker.append(svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#9aa4b8' }));
  defs.append(marker);
  g.append(defs);
  edges.forEach(([a, b]) => {
    const p = pos[a], q = pos[b];
    const x1 = p.x + W, y1 = p.y + H / 2, x2 = q.x, y2 = q.y + H / 2;
    g.append(svg('path', { class: 'edge', d: `M${x1},${y1} C${x1 + GX / 2},${y1} ${x2 - GX / 2},${y2} ${x2},${y2}` }));
  });
  const dt = lastTime ? (now - lastTime) / 1000 : 0;
  routes.forEach(r => {
    const p = pos[r.id];
    const rate = dt && lastCounts[r.id] !== undefined ? ((r.exchangesTotal - lastCounts[r.id]) / dt).toFixed(2) : '…';
    const lead = r.leadership; // master: routes only: this agent leads the group (runs the route) or stands by
    const degraded = r.health === 'DEGRADED'; // targets down, probes failing, a sink's queue growing (RouteHealth)
    const attrs = { class: 'node ' + r.status + (r.exchangesFailed > 0 ? ' failed' : '') + (degraded ? ' degraded' : '') + (lead ? ' ' + lead.role : ''),
      transform: `translate(${p.x},${p.y})`, 'data-route': r.id, 'data-health': r.health };
    if (lead) attrs['data-leadership'] = lead.role;
    const node = svg('g', attrs);
    node.append(svg('rect', { width: W, height: H }));
    node.append(svg('text', { x: 8, y: 16, class: 'title' }, r.id));
    if (lead) {
      // which agent leads: named by the Lease (a lock file only tells the leader itself that it holds it)
      const other = lead.leader && lead.leader !== 'this agent' ? lead.leader : '';
      node.append(svg('text', { x: W - 8, y: 16, class: 'role', 'text-anchor': 'end' },
        lead.role === 'leader' ? 'leader' + (other ? ' · ' + other : '') : 'standby' + (other ? ' · ' + other + ' leads' : '')));
    }
    node.append(svg('text', { x: 8, y: 32 }, 'from ' + key(r.from)));
    node.append(svg('text', { x: 8, y: 48 }, `${r.status} · ${r.exchangesTotal ?? 0} exchanges · ${rate}/s · ${r.exchangesFailed ?? 0} failed`));
    const reasons = r.reasons || [];
    node.append(svg('text', { x: 8, y: 66, class: 'health' }, degraded ? '⚠ ' + reasons.join(' · ') : 'healthy'));
    const leadText = lead ? '\nmaster: group ' + lead.group + ': ' + lead.role + (lead.leader ? ' (leader: ' + lead.leader + ')' : '')
      + (lead.lease ? '\nLease ' + lead.lease : '') + (lead.lastError ? '\n' + lead.lastError : '') : '';
    const healthText = degraded ? '\nDEGRADED: ' + reasons.join('; ') : '';
    const title = svg('title', {}, 'from ' + r.from + '\n' + r.to.map(t => 'to ' + t).join('\n') + (r.source ? '\n' + r.source : '') + healthText + leadText);
    node.append(title);
    g.append(node);
    lastCounts[r.id] = r.exchangesTotal;
  });
  lastTime = now;
}

// ---- health
async function drawHealth() {
  const h = await json('/actuator/health');
  const box = document.getElementById('health');
  box.innerHTML = '';
  box.append(el('h2', {}, 'Agent: ', el('span', { class: h.status }, h.status)));
  // what an operator asks first: is the configuration on disk the one running, and does what is sent arrive?
  drawReload(box, (h.components || {}).configReload);
  drawCanaries(box, (h.components || {}).canaries);
  const t = el('table', {}, el('tr', {}, el('th', {}, 'component'), el('th', {}, 'status'), el('th', {}, 'details')));
  for (const [name, c] of Object.entries(h.components || {})) {
    t.append(el('tr', { 'data-component': name }, el('td', {}, name), el('td', { class: c.status }, c.status),
      el('td', { class: 'labels' }, c.details ? JSON.stringify(c.details, null, 1) : '')));
  }
  box.append(t);
  const disc = await json('/api/v1/discovery');
  if (disc.length) {
    box.append(el('h2', {}, 'Kubernetes discovery'));
    // routes of one role and selection share an endpoint URI (and its informers): the route tells the rows apart
    const d = el('table', {}, el('tr', {}, ...['route', 'endpoint', 'synced', 'targets', 'last error'].map(x => el('th', {}, x))));
    disc.forEach(s => d.append(el('tr', { class: 'discovery' }, el('td', {}, s.route || ''), el('td', {}, s.endpoint),
      el('td', { class: s.synced ? 'UP' : 'UNKNOWN' }, String(s.synced)), el('td', {}, String(s.targets)), el('td', {}, s.lastError || ''))));
    box.append(d);
  }
}

// the configuration running, and a reload that was refused (the previous configuration still runs)
function drawReload(box, c) {
  if (!c || !c.details) return;
  const d = c.details;
  box.append(el('h2', {}, 'Configuration'));
  const p = el('p', { class: 'reload' }, `configuration ${d.configuration}, loaded ${d.loadedAt}`
    + (d.lastReload ? `; last reload ${d.lastReload} at ${d.lastReloadAt}` : ''));
  box.append(p);
  if (d.lastError) box.append(el('pre', { class: 'DOWN reload-error' }, d.lastError));
}

// ---- read-back canaries: does what the agent sends arrive where it is read?
function drawCanaries(box, c) {
  if (!c || !c.details) return;
  const rows = Object.entries(c.details).filter(([k, v]) => typeof v === 'object');
  if (!rows.length) return;
  box.append(el('h2', {}, 'Read-back canaries'));
  const t = el('table', {}, el('tr', {}, ...['canary', 'state', 'store', 'sent', 'found', 'missing', 'last found', 'latency', 'last error']
    .map(x => el('th', {}, x))));
  rows.forEach(([name, d]) => t.append(el('tr', { class: 'canary', 'data-canary': name },
    el('td', {}, name), el('td', { class: d.health }, d.state), el('td', {}, d.queryUrl || '-'),
    el('td', {}, String(d.sent ?? '-')), el('td', {}, String(d.found ?? '-')), el('td', {}, String(d.missing ?? '-')),
    el('td', {}, d.lastFound || '-'), el('td', {}, d.latencySeconds !== undefined ? d.latencySeconds.toFixed(1) + 's' : '-'),
    el('td', {}, d.lastQueryError || d.lastError || ''))));
  box.append(t);
}

// ---- targets
async function drawTargets() {
  const jobs = await json('/api/v1/targets');
  const box = document.getElementById('targets');
  box.innerHTML = '';
  // headed by the job label the series carry (job="cnpg_metrics"), the scrape endpoint's name beside it
  jobs.sort((a, b) => a.jobLabel.localeCompare(b.jobLabel)).forEach(j => {
    const up = j.targets.filter(t => t.state === 'UP').length;
    box.append(el('h2', { 'data-job': j.job, 'data-job-label': j.jobLabel }, `${j.jobLabel} (${up}/${j.targets.length} up)`,
      el('span', { class: 'endpoint' }, ' scrape:' + j.job)));
    const t = el('table', {}, el('tr', {}, ...['endpoint', 'state', 'labels', 'last scrape', 'duration', 'samples', 'error'].map(x => el('th', {}, x))));
    j.targets.forEach(x => t.append(el('tr', { class: 'target' },
      el('td', {}, x.url), el('td', { class: x.probeSuccess === false ? 'DOWN' : x.state }, x.state + (x.probeSuccess === false ? ' (probe failed)' : '')),
      el('td', { class: 'labels' }, labelsText(x.labels)),
      el('td', {}, x.lastScrapeMs ? new Date(x.lastScrapeMs).toLocaleTimeString() : '-'),
      el('td', {}, x.lastDurationSeconds ? x.lastDurationSeconds.toFixed(3) + 's' : '-'),
      el('td', {}, String(x.lastSamples)), el('td', {}, x.lastError || ''))));
    for (const [labels, why] of Object.entries(j.invalidTargets || {})) {
      t.append(el('tr', {}, el('td', {}, '(not scraped)'), el('td', { class: 'DOWN' }, 'INVALID'), el('td', { class: 'labels' }, labels),
        el('td', {}, ''), el('td', {}, ''), el('td', {}, ''), el('td', {}, why)));
    }
    box.append(t);
  });
  if (!jobs.length) box.append(el('p', {}, 'No scrape jobs.'));
}

// ---- relabel debugger
// A trace has a link of its own: #relabel?step=NAME&target=ADDRESS (the target's __address__), honoured on load.
let relabelSteps = [];
async function loadRelabel(params) {
  relabelSteps = await json('/api/v1/relabel');
  const sel = document.getElementById('relabel-step');
  const current = params.get('step') || sel.value;
  sel.innerHTML = '';
  relabelSteps.forEach(s => sel.append(el('option', { value: s.name }, `${s.name} (${s.ruleCount} rules, ${s.lastInput.length} targets seen)`)));
  if (current) sel.value = current;
  showInputs();
  const target = params.get('target');
  if (params.get('step') && target) {
    const step = relabelSteps.find(s => s.name === params.get('step'));
    const i = step ? step.lastInput.findIndex(l => l.__address__ === target) : -1;
    if (i >= 0) document.getElementById('relabel-inputs').children[i].classList.add('selected');
    await trace(params.get('step'), 'target=' + encodeURIComponent(target));
  }
}

function showInputs() {
  const name = document.getElementById('relabel-step').value;
  const step = relabelSteps.find(s => s.name === name);
  const ul = document.getElementById('relabel-inputs');
  ul.innerHTML = '';
  (step ? step.lastInput : []).forEach((labels, i) => {
    const title = labels.__meta_kubernetes_pod_name || labels.__meta_kubernetes_node_name || labels.instance || labels.__address__;
    ul.append(el('li', { onclick: e => {
      [...ul.children].forEach(c => c.classList.remove('selected'));
      e.currentTarget.classList.add('selected');
      // the address bar now links to this trace (replaceState: no hashchange, no reload)
      if (labels.__address__) history.replaceState(null, '', relabelLink(name, labels.__address__));
      trace(name, 'index=' + i);
    } }, title + ' (' + (labels.__address__ || '') + ')'));
  });
}

function relabelLink(step, address) {
  return '#relabel?' + new URLSearchParams({ step, target: address }).toString();
}

// one rule's change as lines: + added, ~ changed (old → new), - removed
function changeList(r) {
  const ul = el('ul', { class: 'diff' });
  for (const [k, v] of Object.entries(r.added)) ul.append(el('li', { class: 'added', 'data-label': k }, `+ ${k}="${v}"`));
  for (const [k, c] of Object.entries(r.changed)) ul.append(el('li', { class: 'changed', 'data-label': k }, `~ ${k}: "${c.from}" → "${c.to}"`));
  for (const [k, v] of Object.entries(r.removed)) ul.append(el('li', { class: 'removed', 'data-label': k }, `- ${k}="${v}"`));
  if (r.outcome === 'DROPPED') ul.append(el('li', { class: 'removed' }, 'dropped: the target goes no further'));
  else if (!ul.children.length) ul.append(el('li', { class: 'none' }, 'no change'));
  return ul;
}

async function trace(name, which) {
  const box = document.getElementById('relabel-trace');
  const r = await fetch(`/api/v1/relabel/${encodeURIComponent(name)}/trace?${which}`);
  box.innerHTML = '';
  if (!r.ok) {
    box.append(el('p', { class: 'DOWN' }, r.status === 404
      ? `relabel:${name} has not seen that target (${decodeURIComponent(which)}) in its last input, or no such step runs`
      : `trace failed: HTTP ${r.status}`));
    return;
  }
  const t = await r.json();
  const count = m => Object.keys(m).length;
  box.append(el('p', { class: 'verdict ' + t.result, 'data-result': t.result },
    t.result === 'kept' ? `kept after ${t.rules.length} rules: ${count(t.output)} labels go on` : `dropped by rule ${t.droppedBy}`));
  if (t.input.__address__) box.append(el('p', {}, el('a', { href: relabelLink(name, t.input.__address__), class: 'permalink' }, 'link to this trace')));
  box.append(el('details', {}, el('summary', {}, `input: ${count(t.input)} labels`), el('pre', { class: 'labels' }, labelsText(t.input))));
  const table = el('table', {}, el('tr', {}, ...['rule', 'outcome', 'what it changed', 'rule config'].map(x => el('th', {}, x))));
  t.rules.forEach(s => table.append(el('tr', { 'data-rule': s.rule, 'data-outcome': s.outcome }, el('td', {}, String(s.rule)),
    el('td', { class: s.outcome }, s.outcome), el('td', { class: 'labels' }, changeList(s)), el('td', { class: 'labels' }, s.config))));
  box.append(table);
  if (t.output) box.append(el('details', {}, el('summary', {}, `output: ${count(t.output)} labels`), el('pre', { class: 'labels' }, labelsText(t.output))));
}

// ---- live tap
// GET /api/v1/tap streams Server-Sent Events (tap, item, skipped, end). Read with fetch rather than EventSource: a
// refused tap's message (unknown step, 4 taps open) shows, and a stream that ended is not opened again.
// A link starts a tap: #tap?route=ROUTE&step=STEP (and direction, rate, seconds, limit).
const TAP_MAX_LINES = 500; // the page keeps the latest; the agent's own bounds are its rate and buffer
let tapRoutes = [];
let tapAbort = null;

async function loadTap(params) {
  tapRoutes = await json('/api/v1/tap/steps');
  const sel = document.getElementById('tap-route');
  sel.innerHTML = '';
  tapRoutes.forEach(r => sel.append(el('option', { value: r.route }, r.route)));
  if (params.get('route')) sel.value = params.get('route');
  showTapSteps(params.get('step'));
  for (const k of ['direction', 'rate', 'seconds']) if (params.get(k)) document.getElementById('tap-' + k).value = params.get(k);
  if (params.get('route')) startTap(params);
}

function showTapSteps(selected) {
  const r = tapRoutes.find(x => x.route === document.getElementById('tap-route').value);
  const sel = document.getElementById('tap-step');
  sel.innerHTML = '';
  (r ? r.steps : []).forEach(s => sel.append(el('option', { value: s.id, title: s.uri },
    s.position ? `${s.position}. ${s.id}` : `from (what leaves ${s.uri.split('?')[0]})`)));
  if (selected) {
    // a link may name a step by position or scheme: the agent resolves it
    if (![...sel.options].some(o => o.value === selected)) sel.append(el('option', { value: selected }, selected));
    sel.value = selected;
  }
}

function tapStatus(text, cls) {
  const p = document.getElementById('tap-status');
  p.className = 'tap-status ' + (cls || '');
  p.innerHTML = '';
  p.append(...text);
}

function tapLine(ol, li) {
  ol.append(li);
  while (ol.children.length > TAP_MAX_LINES) ol.firstChild.remove();
  ol.scrollTop = ol.scrollHeight;
}

async function startTap(params = new URLSearchParams()) {
  stopTap();
  const value = id => document.getElementById(id).value;
  const q = new URLSearchParams({ route: value('tap-route'), step: value('tap-step'), direction: value('tap-direction'),
    rate: value('tap-rate'), seconds: value('tap-seconds') });
  if (params.get('limit')) q.set('limit', params.get('limit'));
  history.replaceState(null, '', '#tap?' + new URLSearchParams({ route: q.get('route'), step: q.get('step'), direction: q.get('direction') }));
  const ol = document.getElementById('tap-lines');
  ol.innerHTML = '';
  const abort = new AbortController();
  tapAbort = abort;
  document.getElementById('tap-start').disabled = true;
  document.getElementById('tap-stop').disabled = false;
  let describe = '', items = 0, skipped = 0;
  const counts = () => [describe + ' · ', el('span', { class: 'count', id: 'tap-items' }, String(items)), ' items · ',
    el('span', { class: 'count', id: 'tap-skipped', 'data-skipped': skipped }, String(skipped)), ' skipped'];
  tapStatus(['opening the tap…']);
  try {
    const r = await fetch('/api/v1/tap?' + q, { signal: abort.signal });
    if (!r.ok) {
      const e = await r.json().catch(() => ({}));
      tapStatus(['refused: ' + (e.error || 'HTTP ' + r.status)], 'DOWN');
      return;
    }
    const reader = r.body.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    for (;;) {
      const { value: chunk, done } = await reader.read();
      if (done) break;
      buf += decoder.decode(chunk, { stream: true });
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const name = (block.match(/^event: (.*)$/m) || [])[1];
        const data = (block.match(/^data: (.*)$/m) || [])[1];
        if (!name || !data) continue; // a keep-alive comment
        const d = JSON.parse(data);
        if (name === 'tap') {
          describe = 'tapping ' + d.describe;
          tapStatus(counts());
        } else if (name === 'item') {
          items++;
          tapLine(ol, el('li', { class: 'tap-line ' + d.dir + (d.kind === 'error' ? ' error' : ''), 'data-kind': d.kind, 'data-dir': d.dir },
            el('span', { class: 'dir' }, d.dir), el('span', { class: 'time' }, new Date(d.timeMs).toLocaleTimeString()), d.text));
          tapStatus(counts());
        } else if (name === 'skipped') {
          skipped += d.skipped;
          tapLine(ol, el('li', { class: 'skipped', 'data-skipped': d.skipped }, `… ${d.skipped} skipped (over the rate limit, or the buffer was full)`));
          tapStatus(counts());
        } else if (name === 'end') {
          describe = describe.replace(/^tapping/, 'tapped');
          tapStatus([...counts(), ' · ended: ' + d.reason], 'ended');
        }
      }
    }
  } catch (e) {
    if (e.name !== 'AbortError') tapStatus(['tap failed: ' + e.message], 'DOWN');
  } finally {
    if (tapAbort === abort) {
      tapAbort = null;
      document.getElementById('tap-start').disabled = false;
      document.getElementById('tap-stop').disabled = true;
    }
  }
}

// the agent notices the closed stream within seconds and frees the tap
function stopTap() {
  if (!tapAbort) return;
  tapAbort.abort();
  tapAbort = null;
  document.getElementById('tap-start').disabled = false;
  document.getElementById('tap-stop').disabled = true;
  const p = document.getElementById('tap-status');
  p.append(' · stopped');
  p.classList.add('ended');
}

// ---- delivery ledger: per sink produced = acknowledged + dropped + queued, checked; per source what it handed each sink
async function drawLedger() {
  const l = await json('/api/v1/ledger');
  const box = document.getElementById('ledger');
  box.innerHTML = '';
  const n = v => Number(v).toLocaleString('en-US');
  box.append(el('h2', {}, 'Sinks'));
  const t = el('table', { class: 'ledger' }, el('tr', {}, ...['sink', 'since', 'produced', 'persisted', 'acknowledged', 'dropped', 'queued',
    'produced = acknowledged + dropped + queued'].map(x => el('th', {}, x))));
  l.sinks.forEach(s => {
    const reasons = Object.entries(s.dropped).map(([r, c]) => r + ' ' + n(c)).join('\n');
    const check = s.balanced ? `balanced: ${n(s.produced)} = ${n(s.acknowledged)} + ${n(s.droppedTotal)} + ${n(s.queued)}`
      : `off by ${n(s.imbalance)}: ${n(s.produced)} ≠ ${n(s.acknowledged)} + ${n(s.droppedTotal)} + ${n(s.queued)}`;
    t.append(el('tr', { 'data-sink': s.key, 'data-balanced': String(s.balanced) },
      el('td', {}, s.key), el('td', {}, new Date(s.since).toLocaleTimeString()),
      el('td', { 'data-state': 'produced' }, n(s.produced) + (s.carriedOver ? ` (${n(s.carriedOver)} carried over)` : '')),
      el('td', { 'data-state': 'persisted' }, n(s.persisted)),
      el('td', { 'data-state': 'acknowledged' }, n(s.acknowledged)),
      el('td', { 'data-state': 'dropped', class: 'labels' }, n(s.droppedTotal) + (reasons ? '\n' + reasons : '')),
      el('td', { 'data-state': 'queued' }, n(s.queued)),
      el('td', { class: s.balanced ? 'UP' : 'DOWN', 'data-check': String(s.imbalance) }, check)));
  });
  box.append(t);
  if (!l.sinks.length) box.append(el('p', {}, 'No sink sends through a queue (sinks without a url keep what they get in their debug view).'));
  const keys = l.sinks.map(s => s.key);
  box.append(el('h2', {}, 'Sources'));
  const src = el('table', { class: 'ledger' }, el('tr', {}, el('th', {}, 'source route'), el('th', {}, 'from'), ...keys.map(k => el('th', {}, 'to ' + k))));
  l.sources.forEach(s => src.append(el('tr', { 'data-source': s.route }, el('td', {}, s.route), el('td', {}, s.from),
    ...keys.map(k => el('td', { 'data-sink': k }, s.sinks[k] === undefined ? '-' : n(s.sinks[k]))))));
  box.append(src);
}

// ---- tabs and refresh
function show(tab) {
  document.querySelectorAll('main > section').forEach(s => (s.hidden = s.id !== 'tab-' + tab));
  document.querySelectorAll('nav a').forEach(a => a.classList.toggle('active', a.dataset.tab === tab));
}

async function refresh() {
  const [tab, query] = (location.hash || '#graph').slice(1).split('?');
  show(tab);
  try {
    if (tab === 'graph') await drawGraph();
    if (tab === 'health') await drawHealth();
    if (tab === 'targets') await drawTargets();
    if (tab === 'ledger') await drawLedger();
    if (tab === 'relabel' && !relabelSteps.length) await loadRelabel(new URLSearchParams(query || ''));
    if (tab === 'tap' && !tapRoutes.length) await loadTap(new URLSearchParams(query || ''));
    document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
  } catch (e) {
    document.getElementById('updated').textContent = 'error: ' + e.message;
  }
}

document.getElementById('relabel-step').addEventListener('change', showInputs);
document.getElementById('tap-route').addEventListener('change', () => showTapSteps());
document.getElementById('tap-start').addEventListener('click', () => startTap());
document.getElementById('tap-stop').addEventListener('click', stopTap);
window.addEventListener('hashchange', () => { relabelSteps = []; tapRoutes = []; stopTap(); refresh(); });
refresh();
setInterval(refresh, REFRESH_MS);
