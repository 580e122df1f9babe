// Rules: every rule with its file, enabled switch, last run, next time, stats and the
// error that disabled it; filter by text; run now. Refreshed from the stream.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { enc, get, post, subscribe } from '../api.js';
import { timeText } from '../format.js';

async function loadRules() {
  const [{ rules }, state] = await Promise.all([get('/api/rules'), get('/api/state')]);
  const lastRun = new Map(state.rules.map((r) => [r.identity || r.name, r.last_run]));
  return rules.map((r) => ({ ...r, last_run: lastRun.get(r.identity) || null }));
}

function matches(rule, filter, onlyProblems) {
  if (onlyProblems && !rule.error && rule.enabled) return false;
  if (!filter) return true;
  const text = `${rule.name} ${rule.file || ''} ${rule.source}`.toLowerCase();
  return text.includes(filter.toLowerCase());
}

function RuleRow({ rule, refresh, onError }) {
  const verb = (what) => post(`/api/rules/${enc(rule.identity)}/${what}`).then(refresh).catch(onError);
  return html`<tr data-testid="rule-${rule.name}" class=${rule.error ? 'failed' : ''}>
    <td><strong>${rule.name}</strong><div class="source" title=${rule.source}>${rule.source.split('\n')[0]}</div>
      ${rule.error && html`<div class="error">disabled by error: ${rule.error}</div>`}</td>
    <td>${rule.file ? html`<a href="#/editor/${enc(rule.file)}">${rule.file}:${rule.line}</a>` : '–'}</td>
    <td><label class="toggle"><input type="checkbox" checked=${rule.enabled}
      onChange=${(e) => verb(e.target.checked ? 'enable' : 'disable')} data-testid="enabled-${rule.name}" />
      ${rule.enabled ? 'on' : 'off'}</label></td>
    <td>${rule.last_run ? timeText(rule.last_run / 1000) : '–'}</td>
    <td>${rule.next || '–'}</td>
    <td class="stats" title="triggered / fired / errors">${rule.stats.triggered} / ${rule.stats.fired} / ${rule.stats.errors}</td>
    <td class="actions"><button onClick=${() => verb('run')} data-testid="run-${rule.name}">Run now</button>
      <a href="#/traces/${enc(rule.identity)}">traces</a></td>
  </tr>`;
}

export function RulesPage() {
  const [rules, setRules] = useState([]);
  const [filter, setFilter] = useState('');
  const [onlyProblems, setOnlyProblems] = useState(false);
  const [problem, setProblem] = useState(null);
  const onError = (error) => setProblem(error.message);
  const refresh = () => loadRules().then(setRules).catch(onError);
  useEffect(() => {
    refresh();
    let pending = null;
    // Runs show up as timeline lines; refresh at most twice a second.
    return subscribe((message) => {
      if (!['rule', 'reload', 'timeline'].includes(message.kind) || pending) return;
      pending = setTimeout(() => { pending = null; refresh(); }, 500);
    });
  }, []);
  const shown = rules.filter((r) => matches(r, filter, onlyProblems));
  return html`<section>
    <div class="toolbar">
      <h2>Rules</h2>
      <input type="search" placeholder="filter by name, file or source" value=${filter}
             onInput=${(e) => setFilter(e.target.value)} data-testid="rule-filter" />
      <label><input type="checkbox" checked=${onlyProblems} onChange=${(e) => setOnlyProblems(e.target.checked)} />
        disabled only</label>
      <span class="muted">${shown.length} of ${rules.length}</span>
    </div>
    ${problem && html`<p class="error" role="alert">${problem}</p>`}
    <div class="table-wrap"><table class="rules">
      <thead><tr><th>Rule</th><th>File</th><th>Enabled</th><th>Last run</th><th>Next</th>
        <th title="triggered / fired / errors">Stats</th><th></th></tr></thead>
      <tbody>${shown.map((r) => html`<${RuleRow} key=${r.identity} rule=${r} refresh=${refresh} onError=${onError} />`)}</tbody>
    </table></div>
  </section>`;
}
