// Console: evaluate EventScript in the running engine (POST /api/eval), with the
// results in canonical form and a history kept for the tab (up/down to recall).
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { post } from '../api.js';

const HISTORY_KEY = 'er.console';

function loadHistory() {
  try { return JSON.parse(sessionStorage.getItem(HISTORY_KEY)) || []; } catch { return []; }
}

function resultText(r) {
  if (!r.ok) return r.error;
  if (r.suspended) return '(suspended: it goes on in the engine)';
  return r.values.length ? r.values.join('\t') : '(no values)';
}

export function ConsolePage() {
  const [entries, setEntries] = useState(loadHistory);
  const [source, setSource] = useState('');
  const [cursor, setCursor] = useState(-1);
  async function run(event) {
    event.preventDefault();
    if (!source.trim()) return;
    let entry;
    try {
      const r = await post('/api/eval', { source });
      entry = { source, ok: r.ok, text: resultText(r) };
    } catch (e) {
      entry = { source, ok: false, text: e.message };
    }
    const next = [...entries, entry].slice(-200);
    sessionStorage.setItem(HISTORY_KEY, JSON.stringify(next));
    setEntries(next);
    setSource('');
    setCursor(-1);
  }
  function recall(event) {
    if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return;
    event.preventDefault();
    const sources = entries.map((e) => e.source);
    let at = cursor < 0 ? sources.length : cursor;
    at = event.key === 'ArrowUp' ? Math.max(at - 1, 0) : Math.min(at + 1, sources.length);
    setCursor(at);
    setSource(sources[at] || '');
  }
  return html`<section class="console">
    <h2>Console</h2>
    <ol class="console-log" data-testid="console-log">
      ${entries.map((e) => html`<li><code class="in">${'> '}${e.source}</code>
        <pre class=${e.ok ? 'out' : 'out error'}>${e.text}</pre></li>`)}
    </ol>
    <form onSubmit=${run} class="console-input">
      <input value=${source} onInput=${(e) => setSource(e.target.value)} onKeyDown=${recall}
        placeholder="hall_light:value   (Enter runs; ↑ ↓ history)" aria-label="EventScript to evaluate"
        data-testid="console-input" autofocus />
      <button type="submit">Run</button>
      <button type="button" class="secondary" onClick=${() => { sessionStorage.removeItem(HISTORY_KEY); setEntries([]); }}>Clear</button>
    </form>
  </section>`;
}
