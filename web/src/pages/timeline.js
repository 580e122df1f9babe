// Timeline: the engine's timeline lines, live, filtered by rule, device and text; and
// for a chosen day the chart of device states with the rule runs marked.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { get, subscribe } from '../api.js';
import { todayText } from '../format.js';
import { DayChart } from '../chart.js';

// Lines kept in the page: the engine keeps 1,000 as well.
const KEEP = 2000;

function useTimeline() {
  const [lines, setLines] = useState([]);
  useEffect(() => {
    let next = 0;  // The sequence number after the newest line seen.
    // Merges lines by sequence number: the stream and a catch-up may overlap or arrive
    // out of order, and each line must show once, in order.
    const add = (more) => {
      if (more.length === 0) return;
      next = Math.max(next, ...more.map((l) => l.seq + 1));
      setLines((old) => {
        const bySeq = new Map(old.map((l) => [l.seq, l]));
        for (const l of more) bySeq.set(l.seq, l);
        return [...bySeq.values()].sort((a, b) => a.seq - b.seq).slice(-KEEP);
      });
    };
    const catchUp = (since) => get(`/api/timeline?since=${since}`).then((t) => add(t.lines)).catch(() => {});
    const unsubscribe = subscribe((message) => {
      if (message.kind === 'timeline') add([{ seq: message.seq, text: message.text }]);
      // After (re)connecting, what happened meanwhile comes from the kept lines.
      if (message.kind === 'hello') catchUp(next);
    });
    catchUp(0);
    return unsubscribe;
  }, []);
  return lines;
}

function lineMatches(text, rule, device, filter) {
  if (rule && !text.includes(`[${rule}]`)) return false;
  if (device && !text.includes(` ${device}`)) return false;
  return !filter || text.toLowerCase().includes(filter.toLowerCase());
}

function Chart({ names }) {
  const [day, setDay] = useState(todayText());
  const [fit, setFit] = useState(true);
  const [data, setData] = useState(null);
  const [problem, setProblem] = useState(null);
  const load = () => get(`/api/history?day=${day}`).then(setData).catch((e) => setProblem(e.message));
  useEffect(() => {
    load();
    let pending = null;
    const unsubscribe = subscribe((m) => {
      if (m.kind !== 'device' || pending || day !== todayText()) return;
      pending = setTimeout(() => { pending = null; load(); }, 1000);
    });
    return () => { unsubscribe(); clearTimeout(pending); };
  }, [day]);
  return html`<div class="chart-box">
    <div class="toolbar"><h3>Day chart</h3>
      <input type="date" value=${day} onChange=${(e) => setDay(e.target.value)} data-testid="chart-day" />
      <select value=${fit ? 'fit' : 'day'} onChange=${(e) => setFit(e.target.value === 'fit')} data-testid="chart-range">
        <option value="fit">the span with data</option><option value="day">the whole day</option></select>
      <button onClick=${load}>Refresh</button>
      <span class="muted">${names.rules.length} rules; ticks mark rule runs</span></div>
    ${problem && html`<p class="error">${problem}</p>`}
    ${data && html`<div class="chart-scroll"><${DayChart} day=${data} fit=${fit} /></div>`}
  </div>`;
}

export function TimelinePage() {
  const lines = useTimeline();
  const [names, setNames] = useState({ rules: [], devices: [] });
  const [rule, setRule] = useState('');
  const [device, setDevice] = useState('');
  const [filter, setFilter] = useState('');
  useEffect(() => { get('/api/names').then(setNames).catch(() => {}); }, []);
  const shown = lines.filter((l) => lineMatches(l.text, rule, device, filter));
  return html`<section>
    <div class="toolbar">
      <h2>Timeline</h2>
      <select value=${rule} onChange=${(e) => setRule(e.target.value)} data-testid="filter-rule">
        <option value="">every rule</option>${names.rules.map((r) => html`<option>${r}</option>`)}</select>
      <select value=${device} onChange=${(e) => setDevice(e.target.value)} data-testid="filter-device">
        <option value="">every device</option>${names.devices.map((d) => html`<option>${d}</option>`)}</select>
      <input type="search" placeholder="text" value=${filter} onInput=${(e) => setFilter(e.target.value)}
             data-testid="filter-text" />
    </div>
    <ol class="timeline" data-testid="timeline">
      ${shown.slice(-300).reverse().map((l) => html`<li key=${l.seq}>${l.text}</li>`)}
    </ol>
    <${Chart} names=${names} />
  </section>`;
}
