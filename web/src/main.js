// The web console's shell: login, navigation and hash routes (#/home, #/rules,
// #/editor/FILE, #/timeline, #/traces/RULE, #/console), so every page is linkable.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { api, disconnect, setToken, token } from './api.js';
import { learnHomeOffset } from './format.js';
import { HomePage } from './pages/home.js';
import { RulesPage } from './pages/rules.js';
import { EditorPage } from './pages/editor.js';
import { TimelinePage } from './pages/timeline.js';
import { TracesPage } from './pages/traces.js';
import { ConsolePage } from './pages/console.js';

const PAGES = [
  ['home', 'Home', HomePage],
  ['rules', 'Rules', RulesPage],
  ['editor', 'Editor', EditorPage],
  ['timeline', 'Timeline', TimelinePage],
  ['traces', 'Traces', TracesPage],
  ['console', 'Console', ConsolePage],
];

// "#/editor/20-lights.er" -> {page: "editor", arg: "20-lights.er"}.
function parseHash() {
  const [, page = 'home', ...rest] = location.hash.split('/');
  const arg = rest.length ? decodeURIComponent(rest.join('/')) : null;
  return { page: PAGES.some(([name]) => name === page) ? page : 'home', arg };
}

function Login({ onLogin }) {
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState(null);
  const [busy, setBusy] = useState(false);
  async function submit(event) {
    event.preventDefault();
    setBusy(true);
    try {
      await api('GET', '/api/health', undefined, value.trim());
      setToken(value.trim());
      onLogin();
    } catch (error) {
      setProblem(error.status === 401 ? 'Wrong token: the engine refused it.' : `The engine did not answer: ${error.message}`);
    } finally {
      setBusy(false);
    }
  }
  return html`<main class="login">
    <form onSubmit=${submit} data-testid="login-form">
      <h1>EventRunner</h1>
      <p>Enter the engine's token (the contents of <code>${'<state file>.token'}</code>, or the one the start banner printed).</p>
      <input type="password" name="token" autocomplete="current-password" placeholder="token"
             value=${value} onInput=${(e) => setValue(e.target.value)} data-testid="token-input" autofocus />
      <button type="submit" disabled=${busy || !value.trim()} data-testid="login-button">Log in</button>
      ${problem && html`<p class="error" role="alert" data-testid="login-error">${problem}</p>`}
    </form>
  </main>`;
}

function Nav({ page, home, onLogout }) {
  return html`<header class="top">
    <span class="brand">EventRunner${home ? html` · <span class="home-name">${home}</span>` : ''}</span>
    <nav>
      ${PAGES.map(([name, label]) => html`<a href="#/${name}" class=${page === name ? 'active' : ''}
                                             data-testid="nav-${name}">${label}</a>`)}
    </nav>
    <button class="link" onClick=${onLogout} data-testid="logout">Log out</button>
  </header>`;
}

function App() {
  const [loggedIn, setLoggedIn] = useState(Boolean(token()));
  const [route, setRoute] = useState(parseHash());
  const [home, setHome] = useState(null);
  useEffect(() => {
    const onHash = () => setRoute(parseHash());
    const onLogout = () => setLoggedIn(false);
    window.addEventListener('hashchange', onHash);
    window.addEventListener('er-logout', onLogout);
    return () => {
      window.removeEventListener('hashchange', onHash);
      window.removeEventListener('er-logout', onLogout);
    };
  }, []);
  useEffect(() => {
    // The pages wait for the health answer: it gives the home's clock, so times and
    // "today" are the home's from the first render.
    if (loggedIn) {
      api('GET', '/api/health').then((h) => { learnHomeOffset(h.clock); setHome(h.home); })
        .catch(() => setHome(''));
    }
  }, [loggedIn]);
  if (!loggedIn) return html`<${Login} onLogin=${() => setLoggedIn(true)} />`;
  const logout = () => { setToken(null); disconnect(); setLoggedIn(false); };
  if (home === null) return html`<p class="muted page">Connecting to the engine…</p>`;
  const Page = PAGES.find(([name]) => name === route.page)[2];
  return html`<div class="shell">
    <${Nav} page=${route.page} home=${home} onLogout=${logout} />
    <main class="page" data-testid="page-${route.page}"><${Page} arg=${route.arg} /></main>
  </div>`;
}

render(html`<${App} />`, document.getElementById('app'));
