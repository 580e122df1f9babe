// EventScript for CodeMirror 6 (docs/eventscript.md): the legacy Lua stream mode, with
// the rule syntax on top: `=>`, `::name::` labels, time literals (`22:00`, `06:30:15`),
// `@`/`@@` daily and interval triggers, `$globals`, `#events` and `device:property`.
import { StreamLanguage } from '@codemirror/language';
import { lua } from '@codemirror/legacy-modes/mode/lua';

// The Lua mode's state holds the tokenizer it is in (`cur`); at the start it is the
// plain-code one. Ours only looks at text there, never inside strings or comments.
const plainCode = lua.startState(2).cur;

// Returns the token style for EventScript's own syntax at the stream, or null.
function eventScriptToken(stream) {
  if (stream.match(/^::[A-Za-z_]\w*::/)) return 'meta';
  if (stream.match('=>')) return 'keyword';
  if (stream.match(/^@@?/)) return 'keyword';
  if (stream.match(/^\d{1,2}:\d\d(:\d\d)?(?![\w:])/)) return 'atom';
  if (stream.match(/^\$[A-Za-z_]\w*/)) return 'variable-2';
  if (stream.match(/^#[A-Za-z_]\w*/)) return 'tag';
  if (stream.match(/^\.\.(?=\s*[\d(a-z])/)) return 'operator';
  if (stream.match(/^[&|!](?!=)/) || stream.match('??')) return 'operator';
  const before = stream.string.charAt(stream.pos - 1);
  if (/[\w)}\]]/.test(before) && stream.match(/^:[A-Za-z_]\w*/)) return 'property';
  return null;
}

const eventScriptMode = {
  name: 'eventscript',
  startState: lua.startState,
  indent: lua.indent,
  languageData: lua.languageData,
  token(stream, state) {
    if (state.cur === plainCode && !stream.eatSpace()) {
      const style = eventScriptToken(stream);
      if (style) return style;
    } else if (state.cur === plainCode) {
      return null;
    }
    return lua.token(stream, state);
  },
};

export const eventScript = StreamLanguage.define(eventScriptMode);

// Device properties and actions completed after `name:` (docs/devices.md sections 3
// and 4), besides the properties the devices themselves report.
export const DEVICE_WORDS = [
  'value', 'state', 'isOn', 'isOff', 'breached', 'safe', 'isOpen', 'isClosed', 'isAllOn', 'isAnyOff',
  'last', 'lastChanged', 'manual', 'bat', 'isDead', 'central', 'key', 'name', 'type', 'id', 'lux', 'temp',
  'on', 'off', 'toggle', 'color', 'dim', 'position', 'turnOn', 'turnOff', 'setValue',
];

export const KEYWORDS = [
  'and', 'or', 'not', 'if', 'then', 'else', 'elseif', 'end', 'for', 'in', 'do', 'while', 'repeat', 'until',
  'function', 'local', 'return', 'true', 'false', 'nil', 'wait', 'post', 'log', 'trueFor', 'once',
  'since', 'cooldown', 'every', 'single', 'sunrise', 'sunset', 'dawn', 'dusk', 'now', 'midnight',
];

// A completion source from the engine's names (GET /api/names) and device properties.
export function completions(names, deviceProperties) {
  const devices = names.devices.map((label) => ({ label, type: 'variable', detail: 'device' }));
  const globals = names.globals.map((g) => ({ label: `$${g}`, type: 'variable', detail: 'global' }));
  const builtins = names.builtins.map((label) => ({ label, type: 'function', detail: 'builtin' }));
  const keywords = KEYWORDS.map((label) => ({ label, type: 'keyword' }));
  const properties = [...new Set([...DEVICE_WORDS, ...deviceProperties])]
    .map((label) => ({ label, type: 'property' }));
  return (context) => {
    const member = context.matchBefore(/[\w)}\]]:\w*/);
    if (member) {
      const colon = member.text.indexOf(':');
      return { from: member.from + colon + 1, options: properties, validFor: /^\w*$/ };
    }
    const global = context.matchBefore(/\$\w*/);
    if (global) return { from: global.from, options: globals, validFor: /^\$\w*$/ };
    const word = context.matchBefore(/[A-Za-z_]\w*/);
    if (!word && !context.explicit) return null;
    return { from: word ? word.from : context.pos, options: [...devices, ...keywords, ...builtins], validFor: /^\w*$/ };
  };
}

// The CodeMirror range of an engine diagnostic (1-based line and column) in `doc`.
export function diagnosticRange(doc, line, col) {
  const lineNo = Math.min(Math.max(line || 1, 1), doc.lines);
  const text = doc.line(lineNo);
  const from = Math.min(text.from + Math.max((col || 1) - 1, 0), text.to);
  const rest = doc.sliceString(from, text.to);
  const word = rest.match(/^[\w$#@:.]+/);
  const to = word ? from + word[0].length : Math.min(from + 1, text.to);
  return { from, to: Math.max(to, from) };
}
