// The browser test cases (tests/web/run.mjs): each gets a fresh page of the same
// Chromium and the one engine, and waits for what it expects with a deadline.
import { waitFor } from './wait.mjs';

const T = 15000;  // The deadline of one expectation, in ms.

async function login(page, engine, token = engine.token) {
  await page.goto(engine.url + '/');
  await page.getByTestId('token-input').fill(token);
  await page.getByTestId('login-button').click();
}

async function loggedIn(page, engine, hash) {
  await login(page, engine);
  await page.getByTestId('page-home').waitFor({ timeout: T });
  if (hash) {
    await page.evaluate((h) => { location.hash = h; }, hash);
  }
}

async function textOf(locator) {
  return (await locator.count()) > 0 ? (await locator.first().textContent()) : '';
}

async function expectText(locator, wanted, what) {
  return waitFor(async () => (await textOf(locator)).includes(wanted), T, what);
}

async function setEditorText(page, text) {
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
}

export const CASES = [
  ['the wrong token is refused', async ({ page, engine, shot }) => {
    await login(page, engine, 'not-the-token');
    await expectText(page.getByTestId('login-error'), 'Wrong token', 'the refusal');
    await shot('web-login.png', true);
    if (await page.evaluate(() => sessionStorage.getItem('eventrunner.token'))) throw new Error('a wrong token was kept');
    if (await page.getByTestId('page-home').count()) throw new Error('a page opened with a wrong token');
  }],

  ['log in and see a value change live', async ({ page, engine, shot }) => {
    await loggedIn(page, engine);
    await expectText(page.getByTestId('value-garden_temp'), '12', 'the sensor value');
    await expectText(page.getByTestId('live'), 'live', 'the stream to connect');
    await engine.api('POST', '/api/devices/garden_temp/report', { property: 'value', value: 23 });
    await expectText(page.getByTestId('value-garden_temp'), '23', 'the reported value on the page');
    await shot('web-home.png', true);
  }],

  ['edit a global inline', async ({ page, engine }) => {
    await engine.api('PUT', '/api/globals/Mode', { value: 'day' });
    await loggedIn(page, engine);
    const input = page.getByTestId('global-Mode');
    await waitFor(async () => (await input.count()) === 1 && (await input.inputValue()) === '"day"', T, 'the global');
    await input.fill('"evening"');
    await input.press('Enter');
    await waitFor(async () => (await engine.api('GET', '/api/globals/Mode')).value === 'evening', T,
                  'the engine to take the new value');
  }],

  ['switch a lamp and see the rule it triggers in the timeline', async ({ page, engine, shot }) => {
    await loggedIn(page, engine);
    await page.getByTestId('switch-hall_lamp').click();
    await expectText(page.getByTestId('switch-hall_lamp'), 'On', 'the lamp to show on');
    await waitFor(async () => (await engine.api('GET', '/api/devices/hall_lamp')).properties.value === true, T,
                  'the engine to switch the lamp');
    await page.getByTestId('nav-timeline').click();
    await expectText(page.getByTestId('timeline'), '[lamp_follows]', "the triggered rule's line");
    await page.getByTestId('filter-rule').selectOption('lamp_follows');
    await expectText(page.getByTestId('timeline'), 'hall lamp is on', 'the filtered timeline');
    await page.getByTestId('day-chart').locator('g[data-device="hall_lamp"] rect.band').first()
      .waitFor({ timeout: T });
    await page.getByTestId('day-chart').locator('line.run[data-rule="lamp_follows"]').first()
      .waitFor({ state: 'attached', timeout: T });
    await page.getByTestId('filter-rule').selectOption('');
    await shot('web-timeline.png', true);
  }],

  ['an error typed in the editor is shown at its line', async ({ page, engine, shot }) => {
    await loggedIn(page, engine, '#/editor/20-greeting.er');
    await page.locator('.cm-content').waitFor({ timeout: T });
    await setEditorText(page, '');
    await page.keyboard.type('hall_l');
    await expectText(page.locator('.cm-tooltip-autocomplete'), 'hall_lamp', 'device names completed');
    await page.keyboard.type('amp:isO');
    await expectText(page.locator('.cm-tooltip-autocomplete'), 'isOn', 'device properties completed');
    await page.keyboard.press('Escape');
    await setEditorText(page, '::greeting:: #greet => log("hello from greeting")\nx > 5 => log(x)\n');
    const marked = page.locator('.cm-line:has(.cm-lintRange-error)');
    await waitFor(async () => (await marked.count()) === 1, T, 'one line marked with an error');
    const line = await marked.textContent();
    if (line !== 'x > 5 => log(x)') throw new Error(`the error marks the wrong line: ${JSON.stringify(line)}`);
    const index = await page.locator('.cm-line').evaluateAll((lines) =>
      lines.findIndex((l) => l.querySelector('.cm-lintRange-error')));
    if (index !== 1) throw new Error(`the error is on line ${index + 1}, not 2`);
    await page.locator('.cm-lintRange-error').hover();
    await expectText(page.locator('.cm-tooltip-lint'), '2:1: Rule has no triggers', 'the diagnostic text');
    await shot('web-editor-error.png', true);
  }],

  ['fix, deploy with a diff, run the changed rule, roll back', async ({ page, engine, shot }) => {
    await loggedIn(page, engine, '#/editor/20-greeting.er');
    await page.locator('.cm-content').waitFor({ timeout: T });
    await setEditorText(page, '::greeting:: #greet => log("greeting changed")\n::wave:: #wave => log("waving")\n');
    await waitFor(async () => (await page.locator('.cm-lintRange-error').count()) === 0 &&
                               (await page.getByTestId('dirty').count()) === 1, T, 'a clean, edited text');
    await page.getByTestId('deploy').click();
    await expectText(page.getByTestId('diff-greeting'), 'changed', 'greeting shown as changed');
    await expectText(page.getByTestId('diff-wave'), 'added', 'wave shown as added');
    if (!engine.readHomeFile('20-greeting.er').includes('hello from greeting')) throw new Error('saved before Apply');
    await shot('web-deploy-diff.png', true);
    await page.getByTestId('deploy-apply').click();
    await expectText(page.getByTestId('editor-notice'), 'Deployed', 'the deploy to finish');
    if (!engine.readHomeFile('20-greeting.er').includes('greeting changed')) throw new Error('the file was not saved');
    await page.getByTestId('nav-rules').click();
    await page.getByTestId('run-greeting').click();
    await page.getByTestId('nav-timeline').click();
    await expectText(page.getByTestId('timeline'), 'greeting changed', 'the changed rule to run');
    await page.evaluate(() => { location.hash = '#/editor/20-greeting.er'; });
    await page.locator('.cm-content').waitFor({ timeout: T });
    await page.getByTestId('rollback').click();
    await expectText(page.getByTestId('editor-notice'), 'Rolled back', 'the rollback');
    const rule = await engine.api('GET', '/api/rules/greeting');
    if (!rule.source.includes('hello from greeting')) throw new Error('the engine did not roll back: ' + rule.source);
    await waitFor(() => engine.readHomeFile('20-greeting.er').includes('hello from greeting'), T, 'the file restored');
  }],

  ['a failed deploy shows its diagnostics and changes nothing', async ({ page, engine }) => {
    await loggedIn(page, engine, '#/editor/20-greeting.er');
    await page.locator('.cm-content').waitFor({ timeout: T });
    const before = engine.readHomeFile('20-greeting.er');
    await setEditorText(page, 'x > 5 => log(x)\n');
    await page.getByTestId('deploy').click();
    await expectText(page.getByTestId('deploy-refused'), 'Rule has no triggers', 'the refusal with its diagnostic');
    if (engine.readHomeFile('20-greeting.er') !== before) throw new Error('a refused deploy wrote the file');
  }],

  ['undo, and a file changed on disk is a visible conflict', async ({ page, engine }) => {
    await loggedIn(page, engine, '#/editor/10-lights.er');
    await page.locator('.cm-content').waitFor({ timeout: T });
    const original = engine.readHomeFile('10-lights.er');
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.insertText('-- a note\n');
    await page.getByTestId('dirty').waitFor({ timeout: T });
    await page.getByRole('button', { name: 'Undo' }).click();
    await waitFor(async () => (await page.getByTestId('dirty').count()) === 0, T, 'undo to restore the text');
    engine.writeHomeFile('10-lights.er', original + '-- edited elsewhere\n');
    await expectText(page.getByTestId('conflict'), 'changed on disk', 'the conflict bar');
    await page.getByRole('button', { name: 'Load the disk version' }).click();
    await expectText(page.locator('.cm-content'), 'edited elsewhere', 'the disk version in the editor');
    engine.writeHomeFile('10-lights.er', original);
  }],

  ['a trace highlights the false term', async ({ page, engine, shot }) => {
    await engine.api('POST', '/api/devices/hall_motion/report', { property: 'value', value: true });
    await waitFor(async () => (await engine.api('GET', '/api/traces?rule=night_light&outcome=false')).traces.length > 0,
                  T, 'a false trace of night_light');
    await loggedIn(page, engine, '#/traces/night_light');
    await expectText(page.getByTestId('why'), 'night_light', 'the why paragraph');
    await page.getByTestId('bucket-false').click();
    await expectText(page.getByTestId('false-term'), '$Mode == "night"', 'the false term highlighted');
    await page.getByTestId('trace-full').click();
    await page.getByTestId('trace-full').waitFor({ state: 'detached', timeout: T });
    await engine.api('POST', '/api/devices/hall_motion/report', { property: 'value', value: false });
    await engine.api('POST', '/api/devices/hall_motion/report', { property: 'value', value: true });
    await waitFor(async () => (await engine.api('GET', '/api/traces?rule=night_light&outcome=false')).traces
      .some((r) => r.values), T, 'a trace with values');
    await page.reload();
    await page.getByTestId('bucket-false').click();
    await expectText(page.locator('table.values'), '$Mode', 'the values each term read');
    await shot('web-trace.png', true);
  }],

  ['the rules page, console and phone width', async ({ page, engine, shot }) => {
    await loggedIn(page, engine, '#/rules');
    await expectText(page.getByTestId('rule-night_light'), 'night_light', 'the rules list');
    await shot('web-rules.png', true);
    await page.getByTestId('rule-filter').fill('greet');
    await waitFor(async () => (await page.getByTestId('rule-night_light').count()) === 0, T, 'the filter');
    await page.getByTestId('nav-console').click();
    await page.getByTestId('console-input').fill('hall_lamp:value');
    await page.getByTestId('console-input').press('Enter');
    await expectText(page.getByTestId('console-log'), 'hall_lamp:value', 'the evaluated line');
    await page.setViewportSize({ width: 390, height: 760 });
    await page.getByTestId('nav-home').click();
    await page.getByTestId('device-hall_lamp').waitFor({ timeout: T });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 2) throw new Error(`the home page is ${overflow}px wider than a phone`);
    await shot('web-phone.png', true);
  }],
];
