// Traces: per rule, the outcome buckets (docs/traces.md); the "why" paragraph on top;
// a chosen record shows the rule's source with the term that made the condition false
// highlighted (its `term_at` line:col), and the values each term read.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { enc, get, post } from '../api.js';
import { timeText, valueText } from '../format.js';

const OUTCOMES = ['ran', 'false', 'suppressed', 'error', 'cancelled'];

// Where `term` is in the rule's source: {line (0-based in the source), start, end}.
// `term_at` is the line and column in the file; the rule starts at `rule.line`.
export function locateTerm(rule, record) {
  const lines = rule.source.split('\n');
  if (!record.term) return null;
  const [fileLine, col] = String(record.term_at || '').split(':').map(Number);
  const candidates = [];
  if (fileLine && rule.line) candidates.push(fileLine - rule.line);
  if (fileLine) candidates.push(fileLine - 1);
  for (const line of candidates) {
    const text = lines[line];
    if (text !== undefined && col && text.substr(col - 1, record.term.length) === record.term) {
      return { line, start: col - 1, end: col - 1 + record.term.length };
    }
  }
  for (let line = 0; line < lines.length; line++) {  // The source moved: find the text.
    const start = lines[line].indexOf(record.term);
    if (start >= 0) return { line, start, end: start + record.term.length };
  }
  return null;
}

function Source({ rule, record }) {
  const spot = record ? locateTerm(rule, record) : null;
  return html`<pre class="rule-source" data-testid="trace-source">${rule.source.split('\n').map((text, i) => {
    const number = html`<span class="ln">${(rule.line || 1) + i}</span>`;
    if (!spot || spot.line !== i) return html`<div>${number}${text || ' '}</div>`;
    return html`<div>${number}${text.slice(0, spot.start)}<mark class="false-term" data-testid="false-term"
      title="this term was false">${text.slice(spot.start, spot.end)}</mark>${text.slice(spot.end)}</div>`;
  })}</pre>`;
}

function triggerText(trigger, deviceNames) {
  if (!trigger) return '';
  if (trigger.type === 'device') {
    const device = deviceNames.get(trigger.id) || trigger.id;
    return `${device}.${trigger.property} ${valueText(trigger.old)} → ${valueText(trigger.new)}`;
  }
  if (trigger.name) return `${trigger.name} ${valueText(trigger.old)} → ${valueText(trigger.new)}`;
  return `#${trigger.type}`;
}

function RecordView({ rule, record, deviceNames }) {
  return html`<div class="record" data-testid="trace-record">
    <p><strong class="outcome-${record.outcome}">${record.outcome}</strong> at ${timeText(record.at / 1000)}
      · ${triggerText(record.trigger, deviceNames)}${record.detail ? html` · ${record.detail}` : ''}
      ${record.reason ? ` (${record.reason})` : ''}</p>
    ${record.error && html`<p class="error">${record.error}</p>`}
    <${Source} rule=${rule} record=${record} />
    ${record.values && html`<table class="values"><thead><tr><th>term</th><th>read</th></tr></thead>
      <tbody>${record.values.map((v) => html`<tr><td><code>${v.term}</code></td><td>${valueText(v.value)}</td></tr>`)}</tbody></table>`}
  </div>`;
}

function RuleTraces({ identity }) {
  const [rule, setRule] = useState(null);
  const [why, setWhy] = useState(null);
  const [deviceNames, setDeviceNames] = useState(new Map());
  const [outcome, setOutcome] = useState('');
  const [chosen, setChosen] = useState(0);
  const [problem, setProblem] = useState(null);
  useEffect(() => {
    setChosen(0);
    Promise.all([get(`/api/rules/${enc(identity)}`), get(`/api/rules/${enc(identity)}/why`)])
      .then(([r, w]) => { setRule(r); setWhy(w); }).catch((e) => setProblem(e.message));
    get('/api/devices').then(({ devices }) => setDeviceNames(new Map(devices.map((d) => [d.id, d.name]))))
      .catch(() => {});
  }, [identity]);
  // The values each term read are recorded in the `full` trace mode only
  // (docs/traces.md): switch this rule to it, as er.trace(name, "full") does.
  async function recordValues() {
    try {
      await post('/api/eval', { source: `er.trace(${JSON.stringify(rule.name)}, "full")` });
      setWhy(await get(`/api/rules/${enc(identity)}/why`));
    } catch (e) { setProblem(e.message); }
  }
  if (problem) return html`<p class="error">${problem}</p>`;
  if (!rule || !why) return html`<p class="muted">Loading…</p>`;
  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, why.records.filter((r) => r.outcome === o).length]));
  const records = why.records.filter((r) => !outcome || r.outcome === outcome);
  const record = records[Math.min(chosen, records.length - 1)];
  return html`<div class="rule-traces">
    <p class="why" data-testid="why">${why.text}</p>
    <div class="buckets">
      <button class=${outcome === '' ? 'active' : ''} onClick=${() => { setOutcome(''); setChosen(0); }}>all ${why.records.length}</button>
      ${OUTCOMES.map((o) => html`<button class=${outcome === o ? 'active' : ''} data-testid="bucket-${o}"
        onClick=${() => { setOutcome(o); setChosen(0); }}>${o} ${counts[o]}</button>`)}
      <span class="muted">trace mode: ${why.trace}</span>
      ${why.trace !== 'full' && html`<button class="secondary" onClick=${recordValues} data-testid="trace-full"
        title="the next evaluations record the value each term read">Record values</button>`}
    </div>
    <div class="trace-split">
      <ol class="records">${records.map((r, i) => html`<li class=${i === chosen ? 'active' : ''}>
        <button class="link" onClick=${() => setChosen(i)} data-testid="record-${i}">
          ${timeText(r.at / 1000)} <span class="outcome-${r.outcome}">${r.outcome}</span></button></li>`)}</ol>
      ${record ? html`<${RecordView} rule=${rule} record=${record} deviceNames=${deviceNames} />` : html`<div><${Source} rule=${rule} /></div>`}
    </div>
  </div>`;
}

export function TracesPage({ arg }) {
  const [rules, setRules] = useState([]);
  useEffect(() => { get('/api/rules').then((r) => setRules(r.rules)).catch(() => {}); }, []);
  const current = arg || (rules[0] && rules[0].identity);
  return html`<section class="traces-page">
    <nav class="files" aria-label="rules">
      ${rules.map((r) => html`<a href="#/traces/${enc(r.identity)}" class=${r.identity === current ? 'active' : ''}
        data-testid="trace-rule-${r.name}">${r.name}</a>`)}
    </nav>
    ${current ? html`<${RuleTraces} key=${current} identity=${current} />` : html`<p class="muted">No rules.</p>`}
  </section>`;
}
