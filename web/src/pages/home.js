// Home: the devices grouped by room (the name's first word, "hall_light" -> hall) or
// by type, with live values from the stream, and the $globals with inline editing.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { enc, get, isLive, post, put, subscribe } from '../api.js';
import { parseTyped, timeText, valueText } from '../format.js';

const SWITCHES = new Set(['binarySwitch', 'colorController']);
const DIMMERS = new Set(['multilevelSwitch', 'rollerShutter']);

function roomOf(device) {
  const name = String(device.name || device.id);
  return name.includes('_') ? name.split('_')[0] : 'other';
}

function groupDevices(devices, by) {
  const groups = new Map();
  for (const device of devices) {
    const key = by === 'type' ? device.type || 'device' : roomOf(device);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(device);
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
}

// Applies a stream message to the device list: a new array, the changed device copied.
function applyChange(devices, message) {
  return devices.map((d) => {
    if (d.id !== message.id) return d;
    const properties = { ...d.properties, [message.property]: message.value };
    const available = message.property === 'available' ? message.value !== false : d.available;
    return { ...d, properties, available, lastChanged: Date.now() / 1000 };
  });
}

function Control({ device, onError }) {
  const act = (action, args = []) => post(`/api/devices/${enc(device.id)}`, { action, args }).catch(onError);
  const value = device.properties.value;
  if (SWITCHES.has(device.type)) {
    const on = value === true || (typeof value === 'number' && value > 0);
    return html`<button class=${on ? 'switch on' : 'switch'} aria-pressed=${on}
      onClick=${() => act(on ? 'turnOff' : 'turnOn')} data-testid="switch-${device.name}">${on ? 'On' : 'Off'}</button>`;
  }
  if (DIMMERS.has(device.type)) {
    return html`<input type="range" min="0" max="100" value=${Number(value) || 0} aria-label="level of ${device.name}"
      onChange=${(e) => act('setValue', [Number(e.target.value)])} data-testid="dim-${device.name}" />`;
  }
  return null;
}

function DeviceCard({ device, onError }) {
  const others = Object.entries(device.properties).filter(([k]) => k !== 'value' && k !== 'available');
  return html`<article class=${device.available ? 'card' : 'card unavailable'} data-testid="device-${device.name}">
    <header><strong>${device.name}</strong><small>${device.type} · ${device.id}</small></header>
    <div class="value" data-testid="value-${device.name}">${valueText(device.properties.value)}</div>
    <${Control} device=${device} onError=${onError} />
    <footer>
      <span class=${device.available ? 'ok' : 'bad'}>${device.available ? 'available' : 'unavailable'}</span>
      <span title="last change">${timeText(device.lastChanged)}</span>
    </footer>
    ${others.length > 0 && html`<details><summary>properties</summary>
      <dl>${others.map(([k, v]) => html`<dt>${k}</dt><dd>${valueText(v)}</dd>`)}</dl></details>`}
  </article>`;
}

function GlobalRow({ name, value, onError }) {
  const [text, setText] = useState(JSON.stringify(value));
  useEffect(() => setText(JSON.stringify(value)), [value]);
  const save = (e) => {
    e.preventDefault();
    put(`/api/globals/${enc(name)}`, { value: parseTyped(text) }).catch(onError);
  };
  return html`<form class="global" onSubmit=${save}>
    <label for="g-${name}">$${name}</label>
    <input id="g-${name}" value=${text} onInput=${(e) => setText(e.target.value)} data-testid="global-${name}" />
    <button type="submit">Set</button>
  </form>`;
}

export function HomePage() {
  const [devices, setDevices] = useState([]);
  const [globals, setGlobals] = useState({});
  const [by, setBy] = useState(localStorage.getItem('er.groupBy') || 'room');
  const [problem, setProblem] = useState(null);
  const [live, setLive] = useState(isLive());
  const onError = (error) => setProblem(error.message);
  useEffect(() => {
    get('/api/devices').then((d) => setDevices(d.devices)).catch(onError);
    get('/api/globals').then((g) => setGlobals(g.globals)).catch(onError);
    return subscribe((message) => {
      if (message.kind === 'hello') setLive(true);
      if (message.kind === 'closed') setLive(false);
      if (message.kind === 'device') setDevices((list) => applyChange(list, message));
      if (message.kind === 'timeline' && message.text.includes('$')) {
        get('/api/globals').then((g) => setGlobals(g.globals)).catch(() => {});
      }
    });
  }, []);
  const choose = (value) => { localStorage.setItem('er.groupBy', value); setBy(value); };
  return html`<section>
    <div class="toolbar">
      <h2>Devices</h2>
      <span class=${live ? 'live on' : 'live'} data-testid="live">${live ? 'live' : 'offline'}</span>
      <label>group by <select value=${by} onChange=${(e) => choose(e.target.value)}>
        <option value="room">room</option><option value="type">type</option></select></label>
    </div>
    ${problem && html`<p class="error" role="alert">${problem}</p>`}
    ${groupDevices(devices, by).map(([group, list]) => html`<div class="group">
      <h3>${group}</h3>
      <div class="cards">${list.map((d) => html`<${DeviceCard} key=${d.id} device=${d} onError=${onError} />`)}</div>
    </div>`)}
    <h2>Globals</h2>
    <div class="globals">
      ${Object.keys(globals).length === 0 && html`<p class="muted">No $globals yet.</p>`}
      ${Object.entries(globals).sort().map(([k, v]) => html`<${GlobalRow} key=${k} name=${k} value=${v} onError=${onError} />`)}
    </div>
  </section>`;
}
