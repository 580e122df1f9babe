// The day chart of the Timeline page: one row per device, on/off bands for booleans and
// a line for numbers, with rule runs marked as ticks across the rows. Plain SVG from
// GET /api/history: a chart library would be larger than this file. The time axis is
// the whole day, or ("fit") the span that has data, up to now.
import { html } from './html.js';

const ROW = 28;
const LABEL = 130;
const WIDTH = 900;
const TOP = 22;
// Tick steps of the time axis, in seconds: the first that gives at most 8 ticks.
const STEPS = [1, 5, 10, 15, 30, 60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600];

// The time range shown: {from, to} in epoch seconds.
export function chartRange(day, fit) {
  if (!fit) return { from: day.from, to: day.to };
  const times = [...day.devices.flatMap((d) => d.points.map(([t]) => t)), ...day.runs.map((r) => r.at)];
  const end = Math.min(day.to, day.now);
  const start = times.length ? Math.min(...times) : end - 3600;
  const margin = Math.max((end - start) * 0.03, 1);
  return { from: Math.max(day.from, start - margin), to: Math.min(day.to, end + margin) };
}

function xOf(at, range) {
  return LABEL + ((at - range.from) / (range.to - range.from)) * (WIDTH - LABEL);
}

// [[from, to, value]] spans of a device over the day, up to now.
function spans(device, day) {
  const end = Math.min(day.to, day.now);
  const out = [];
  let at = day.from;
  let value = device.before;
  for (const [t, v] of device.points) {
    if (value !== null && value !== undefined) out.push([at, t, value]);
    at = t;
    value = v;
  }
  if (value !== null && value !== undefined && end > at) out.push([at, end, value]);
  return out;
}

function BooleanRow({ device, day, range, y }) {
  return spans(device, day).filter(([, , v]) => v === true).map(([a, b]) => html`<rect class="band"
    x=${xOf(a, range)} y=${y + 4} width=${Math.max(xOf(b, range) - xOf(a, range), 1)} height=${ROW - 8}>
    <title>${device.name} on</title></rect>`);
}

function NumberRow({ device, day, range, y }) {
  const parts = spans(device, day);
  const values = parts.map(([, , v]) => Number(v));
  const low = Math.min(...values, 0);
  const high = Math.max(...values, 1);
  const py = (v) => y + ROW - 4 - ((v - low) / (high - low || 1)) * (ROW - 8);
  const points = parts.flatMap(([a, b, v]) => [`${xOf(a, range)},${py(v)}`, `${xOf(b, range)},${py(v)}`]).join(' ');
  return html`<polyline class="line" points=${points}><title>${device.name}: ${low} … ${high}</title></polyline>`;
}

// Tick labels in the home's clock: the day starts at day.from, the home's midnight.
function Ticks({ day, range, height }) {
  const step = STEPS.find((s) => (range.to - range.from) / s <= 8) || 6 * 3600;
  const ticks = [];
  for (let t = day.from + Math.ceil((range.from - day.from) / step) * step; t <= range.to; t += step) ticks.push(t);
  return ticks.map((t) => {
    const px = xOf(t, range);
    const seconds = Math.round(t - day.from);
    const two = (n) => String(n).padStart(2, '0');
    const clock = `${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}`;
    const label = step < 60 ? `${clock}:${two(seconds % 60)}` : clock;
    return html`<g><line class="hour" x1=${px} x2=${px} y1=${TOP - 6} y2=${height} />
      <text class="axis" x=${px + 2} y=${TOP - 10}>${label}</text></g>`;
  });
}

export function DayChart({ day, fit }) {
  const range = chartRange(day, fit);
  const height = TOP + day.devices.length * ROW + 4;
  const inRange = (at) => at >= range.from && at <= range.to;
  return html`<svg class="day-chart" viewBox="0 0 ${WIDTH} ${height}" role="img"
    aria-label="device states on ${day.day}" data-testid="day-chart">
    <defs><clipPath id="plot"><rect x=${LABEL} y="0" width=${WIDTH - LABEL} height=${height} /></clipPath></defs>
    <${Ticks} day=${day} range=${range} height=${height} />
    <g clip-path="url(#plot)">
      ${day.runs.filter((r) => inRange(r.at)).map((r) => html`<line class="run" x1=${xOf(r.at, range)}
        x2=${xOf(r.at, range)} y1=${TOP - 4} y2=${height} data-rule=${r.rule}><title>${r.rule} ran</title></line>`)}
      ${day.devices.map((d, i) => {
        const y = TOP + i * ROW;
        return html`<g data-device=${d.name}>
          ${d.kind === 'number' ? html`<${NumberRow} device=${d} day=${day} range=${range} y=${y} />`
                                : html`<${BooleanRow} device=${d} day=${day} range=${range} y=${y} />`}
        </g>`;
      })}
    </g>
    ${day.devices.map((d, i) => html`<g>
      <text class="label" x="4" y=${TOP + i * ROW + ROW / 2 + 4}>${d.name}</text>
      <line class="row" x1=${LABEL} x2=${WIDTH} y1=${TOP + (i + 1) * ROW} y2=${TOP + (i + 1) * ROW} /></g>`)}
  </svg>`;
}
