// Small formatting helpers shared by the pages.

export function valueText(value) {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(2);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

// The home's offset from UTC in seconds: times are shown in the home's zone (as the
// engine's timeline prints them), not in the browser's. Set from GET /api/health.
let homeOffset = -new Date().getTimezoneOffset() * 60;

// Learns the offset from the engine's local clock text ("2026-12-07 11:04:05") read now.
export function learnHomeOffset(clockText) {
  const asUtc = Date.parse(clockText.replace(' ', 'T') + 'Z');
  if (Number.isNaN(asUtc)) return;
  homeOffset = Math.round((asUtc - Date.now()) / 900000) * 900;  // whole quarter hours
}

const pad = (n) => String(n).padStart(2, '0');

// The home's calendar fields of an epoch (seconds), through a shifted UTC date.
function homeDate(epochSeconds) {
  return new Date((epochSeconds + homeOffset) * 1000);
}

function dayOf(d) {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

// "12:04:05" for today (in the home's zone), else "2026-12-06 12:04:05".
export function timeText(epochSeconds) {
  if (!epochSeconds) return '–';
  const d = homeDate(epochSeconds);
  const clock = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return dayOf(d) === todayText() ? clock : `${dayOf(d)} ${clock}`;
}

// Today's date in the home's zone, "YYYY-MM-DD".
export function todayText() {
  return dayOf(homeDate(Date.now() / 1000));
}

// A value typed in an inline editor: JSON when it parses (numbers, true, "text"),
// else the text itself.
export function parseTyped(text) {
  try { return JSON.parse(text); } catch { return text; }
}
