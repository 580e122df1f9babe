// Editor: the home's rules files in CodeMirror with EventScript highlighting,
// completion from the engine's names, and diagnostics as you type (POST /api/check).
// Deploy asks the engine for the per-rule diff first (a dry run with the edited text),
// shows it, and only then saves the file (refused with 409 when it changed on disk
// since it was opened) and reloads. Rollback returns the engine to the previous
// generation and puts the file's previous text back.
import { useEffect, useRef, useState } from 'preact/hooks';
import { undo, redo } from '@codemirror/commands';
import { html } from '../html.js';
import { ApiError, enc, get, post, put } from '../api.js';
import { completions } from '../editor/eventscript.js';
import { createEditor } from '../editor/setup.js';

// How often the page asks whether the open file changed on disk.
const DISK_POLL_MS = 3000;

// The text each file had before this tab last deployed it, for Rollback: kept beside
// the page, so leaving the editor and coming back does not lose it.
const beforeDeploy = new Map();

function FileList({ files, current }) {
  return html`<nav class="files" aria-label="rules files">
    ${files.map((f) => html`<a href="#/editor/${enc(f.name)}" class=${f.name === current ? 'active' : ''}
                               data-testid="file-${f.name}">${f.name}</a>`)}
  </nav>`;
}

function Diagnostics({ list }) {
  return html`<ul class="diagnostics" data-testid="deploy-diagnostics">
    ${list.map((d) => html`<li class=${d.severity}><code>${d.file}:${d.line}:${d.col}</code> ${d.message}</li>`)}
  </ul>`;
}

// The per-rule diff of a dry run, with the buttons to apply or cancel it.
function DiffPanel({ result, onApply, onCancel, busy }) {
  const s = result.summary;
  return html`<div class="panel diff" data-testid="deploy-diff">
    <h3>Deploy will apply</h3>
    <p>${s.unchanged} unchanged, ${s.changed} changed, ${s.added} added, ${s.removed} removed</p>
    <ul>${result.rules.map((r) => html`<li class="fate-${r.fate}" data-testid="diff-${r.name}">
      <span class="fate">${r.fate}</span> ${r.name} <small>${r.file || ''}${r.line ? `:${r.line}` : ''}</small></li>`)}</ul>
    ${result.diagnostics.length > 0 && html`<${Diagnostics} list=${result.diagnostics} />`}
    <button onClick=${onApply} disabled=${busy} data-testid="deploy-apply">Apply</button>
    <button class="secondary" onClick=${onCancel} disabled=${busy}>Cancel</button>
  </div>`;
}

function useNames() {
  const [source, setSource] = useState(null);
  useEffect(() => {
    Promise.all([get('/api/names'), get('/api/devices')]).then(([names, { devices }]) => {
      const props = new Set(devices.flatMap((d) => Object.keys(d.properties)));
      setSource(() => completions(names, [...props]));
    }).catch(() => setSource(() => () => null));
  }, []);
  return source;
}

function FileEditor({ name, complete }) {
  const parent = useRef(null);
  const view = useRef(null);
  const opened = useRef({ text: '', version: null });
  const [dirty, setDirty] = useState(false);
  const [conflict, setConflict] = useState(null);
  const [diff, setDiff] = useState(null);
  const [notice, setNotice] = useState(null);
  const [errors, setErrors] = useState(null);
  const [busy, setBusy] = useState(false);

  const text = () => view.current.state.doc.toString();
  const replaceText = (value) => view.current.dispatch({ changes: { from: 0, to: view.current.state.doc.length, insert: value } });

  useEffect(() => {
    let alive = true;
    get(`/api/files/${enc(name)}`).then((file) => {
      if (!alive) return;
      opened.current = { text: file.text, version: file.version };
      const check = (value) => post('/api/check', { files: { [name]: value } }).then((r) => r.diagnostics);
      view.current = createEditor(parent.current, {
        text: file.text, file: name, check, complete, onChange: (value) => setDirty(value !== opened.current.text),
      });
    }).catch((e) => setNotice({ kind: 'error', text: e.message }));
    const poll = setInterval(() => {
      const asked = opened.current;  // A save meanwhile replaces it: the answer is stale then.
      get(`/api/files/${enc(name)}`).then((file) => {
        if (alive && asked === opened.current && asked.version && file.version !== asked.version) setConflict(file);
      }).catch(() => {});
    }, DISK_POLL_MS);
    return () => { alive = false; clearInterval(poll); if (view.current) view.current.destroy(); };
  }, [name]);

  async function startDeploy() {
    setBusy(true); setNotice(null); setErrors(null); setDiff(null);
    try {
      const result = await post('/api/reload', { dry_run: true, files: { [name]: text() } });
      if (result.ok) setDiff(result);
      else setErrors(result.diagnostics);
    } catch (e) { setNotice({ kind: 'error', text: e.message }); }
    setBusy(false);
  }

  async function applyDeploy() {
    setBusy(true);
    const value = text();
    try {
      const saved = await put(`/api/files/${enc(name)}`, { text: value, base: opened.current.version });
      beforeDeploy.set(name, opened.current.text);
      opened.current = { text: value, version: saved.version };
      setDirty(false);
      const result = await post('/api/reload', {});
      setDiff(null);
      if (result.ok) {
        const s = result.summary;
        setNotice({ kind: 'ok', text: `Deployed (generation ${result.generation}): ${s.unchanged} unchanged, ${s.changed} changed, ${s.added} added, ${s.removed} removed.` });
      } else {
        setErrors(result.diagnostics);
      }
    } catch (e) {
      setDiff(null);
      if (e instanceof ApiError && e.status === 409) setConflict({ version: e.body.version });
      else setNotice({ kind: 'error', text: e.message });
    }
    setBusy(false);
  }

  async function rollback() {
    setBusy(true); setNotice(null); setErrors(null);
    try {
      const result = await post('/api/rollback');
      if (beforeDeploy.has(name)) {
        const before = beforeDeploy.get(name);
        const saved = await put(`/api/files/${enc(name)}`, { text: before, base: opened.current.version });
        opened.current = { text: before, version: saved.version };
        replaceText(before);
        beforeDeploy.delete(name);
        setDirty(false);
      }
      setNotice({ kind: 'ok', text: `Rolled back to generation ${result.generation}.` });
    } catch (e) { setNotice({ kind: 'error', text: e.message }); }
    setBusy(false);
  }

  async function loadDisk() {
    const file = await get(`/api/files/${enc(name)}`);
    opened.current = { text: file.text, version: file.version };
    replaceText(file.text);
    setConflict(null);
    setDirty(false);
  }

  const keepMine = () => { opened.current = { ...opened.current, version: conflict.version }; setConflict(null); };
  return html`<div class="editor-main">
    <div class="toolbar">
      <strong data-testid="editor-file">${name}</strong>${dirty && html`<span class="muted" data-testid="dirty"> (edited)</span>`}
      <button onClick=${() => undo(view.current)} title="Undo (Ctrl-Z)">Undo</button>
      <button onClick=${() => redo(view.current)} title="Redo (Ctrl-Y)">Redo</button>
      <button onClick=${startDeploy} disabled=${busy} data-testid="deploy">Deploy…</button>
      <button class="secondary" onClick=${rollback} disabled=${busy} data-testid="rollback">Rollback</button>
    </div>
    ${conflict && html`<div class="panel conflict" role="alert" data-testid="conflict">
      <strong>${name} changed on disk since you opened it.</strong>
      <button onClick=${loadDisk}>Load the disk version</button>
      <button class="secondary" onClick=${keepMine}>Keep mine (deploy overwrites)</button></div>`}
    ${notice && html`<p class=${notice.kind === 'ok' ? 'notice' : 'error'} role="status" data-testid="editor-notice">${notice.text}</p>`}
    ${errors && html`<div class="panel refused" data-testid="deploy-refused">
      <strong>Deploy refused: the running rules are unchanged.</strong><${Diagnostics} list=${errors} /></div>`}
    ${diff && html`<${DiffPanel} result=${diff} busy=${busy} onApply=${applyDeploy} onCancel=${() => setDiff(null)} />`}
    <div class="cm-host" ref=${parent} data-testid="editor"></div>
  </div>`;
}

export function EditorPage({ arg }) {
  const [files, setFiles] = useState([]);
  const [problem, setProblem] = useState(null);
  const complete = useNames();
  useEffect(() => {
    get('/api/files').then((f) => setFiles(f.files)).catch((e) => setProblem(e.message));
  }, []);
  const current = arg || (files[0] && files[0].name);
  return html`<section class="editor-page">
    <${FileList} files=${files} current=${current} />
    ${problem && html`<p class="error">${problem}</p>`}
    ${current && complete ? html`<${FileEditor} key=${current} name=${current} complete=${complete} />`
                          : html`<p class="muted">${files.length === 0 ? 'No rules files.' : 'Loading…'}</p>`}
  </section>`;
}
