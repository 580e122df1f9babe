// The web console in a real headless Chromium (docs/web.md, docs/testing.md): Debian's
// /usr/bin/chromium driven by playwright-core against a real `eventrunner run` of
// tests/web/home. Exits 77 (CTest's SKIP_RETURN_CODE) when chromium or the npm packages
// are missing, 1 when a case fails. Screenshots go to --artifacts DIR; with
// --docs-images DIR the ones docs/web.md shows are written there too.
//
//   EVENTRUNNER=build/app/eventrunner/eventrunner node tests/web/run.mjs --artifacts build/web-artifacts
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Engine } from './engine.mjs';
import { CASES } from './cases.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const SKIP = 77;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const PLAYWRIGHT = resolve(here, '../../web/node_modules/playwright-core/index.mjs');
// The flags the project's browser tests always use: headless, no sandbox (containers),
// nothing that reaches the network on its own.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function option(name) {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : null;
}

async function main() {
  if (!existsSync(CHROMIUM)) return skip(`${CHROMIUM}, which is missing (scripts/setup.sh installs the chromium package)`);
  if (!existsSync(PLAYWRIGHT)) return skip('web/node_modules, which is missing (scripts/setup.sh runs npm ci in web/)');
  process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';
  const { chromium } = await import(pathToFileURL(PLAYWRIGHT).href);
  const artifacts = resolve(option('--artifacts') || join(tmpdir(), 'er-web-artifacts'));
  const docsImages = option('--docs-images');
  const only = option('--only');
  mkdirSync(artifacts, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'er-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1100, height: 720 },
  }).catch((error) => { throw new Error(`chromium did not start: ${error.message}`); });
  const engine = await new Engine(join(here, 'home')).ready();
  let failed = 0;
  const started = Date.now();
  try {
    for (const [name, run] of CASES) {
      if (only && !name.includes(only)) continue;
      const page = await browser.newPage();
      const shot = async (file, docs = false) => {
        await page.screenshot({ path: join(artifacts, file) });
        if (docs && docsImages) await page.screenshot({ path: join(docsImages, file) });
      };
      const t0 = Date.now();
      try {
        await run({ page, engine, shot });
        console.log(`ok   ${name} (${Date.now() - t0} ms)`);
      } catch (error) {
        failed += 1;
        console.log(`FAIL ${name}: ${error.stack || error}`);
        await page.screenshot({ path: join(artifacts, `failed-${name.replace(/\W+/g, '-')}.png`) }).catch(() => {});
      }
      await page.close();
    }
  } finally {
    await browser.close();
    await engine.stop();
    rmSync(profile, { recursive: true, force: true });
  }
  console.log(`${failed === 0 ? 'all passed' : `${failed} failed`} in ${Date.now() - started} ms; screenshots in ${artifacts}`);
  return failed === 0 ? 0 : 1;
}

function skip(why) {
  console.log(`SKIP: the browser tests need ${why}`);
  return SKIP;
}

main().then((code) => process.exit(code), (error) => { console.error(error); process.exit(1); });
