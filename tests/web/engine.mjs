// A real `eventrunner run` of a copy of the test home, for the browser tests: a free
// loopback port (--http 127.0.0.1:0), its own token file and state file in a temporary
// folder; the URL comes from the file the engine writes beside its state file.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './wait.mjs';

export class Engine {
  constructor(homeSource) {
    this.dir = mkdtempSync(join(tmpdir(), 'er-web-'));
    this.home = join(this.dir, 'home');
    cpSync(homeSource, this.home, { recursive: true });
    this.state = join(this.dir, 'state.db');
    this.tokenFile = join(this.dir, 'token');
    this.token = 'web-test-' + Math.random().toString(16).slice(2) + Date.now().toString(16);
    writeFileSync(this.tokenFile, this.token + '\n', { mode: 0o600 });
    this.output = '';
    const args = ['run', this.home, '--http', '127.0.0.1:0', '--state', this.state, '--token-file', this.tokenFile,
                  '--no-watch'];
    this.process = spawn(process.env.EVENTRUNNER || 'eventrunner', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.process.stdout.on('data', (d) => { this.output += d; });
    this.process.stderr.on('data', (d) => { this.output += d; });
    this.exited = new Promise((resolve) => this.process.on('exit', resolve));
  }

  async ready() {
    const urlFile = this.state + '.url';
    await waitFor(() => {
      if (this.process.exitCode !== null) throw new Error('eventrunner ended early:\n' + this.output);
      return existsSync(urlFile);
    }, 20000, 'the engine URL file');
    this.url = readFileSync(urlFile, 'utf8').trim();
    return this;
  }

  // One API call with the token; resolves to the parsed body, throws on any status but 200.
  async api(method, path, body) {
    const response = await fetch(this.url + path, {
      method, headers: { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = await response.json();
    if (response.status !== 200) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(data)}`);
    return data;
  }

  readHomeFile(name) { return readFileSync(join(this.home, name), 'utf8'); }

  // Writes a home file as another editor would: a temporary file renamed over it.
  writeHomeFile(name, text) {
    writeFileSync(join(this.home, name + '.tmp'), text);
    renameSync(join(this.home, name + '.tmp'), join(this.home, name));
  }

  async stop() {
    if (this.process.exitCode === null) {
      this.process.kill('SIGTERM');
      const killer = setTimeout(() => this.process.kill('SIGKILL'), 15000);
      await this.exited;
      clearTimeout(killer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
