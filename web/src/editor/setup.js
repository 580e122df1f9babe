// The editor's CodeMirror setup: our own short list instead of `basicSetup`, so that
// completion is only ours and every extension here is one we chose.
import { EditorState } from '@codemirror/state';
import {
  EditorView, crosshairCursor, drawSelection, highlightActiveLine, highlightActiveLineGutter,
  highlightSpecialChars, keymap, lineNumbers, rectangularSelection,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from '@codemirror/autocomplete';
import { linter, lintGutter, lintKeymap } from '@codemirror/lint';
import { searchKeymap, highlightSelectionMatches } from '@codemirror/search';
import { eventScript, diagnosticRange } from './eventscript.js';

// Turns the engine's diagnostics (POST /api/check) of `file` into CodeMirror's.
function toLint(doc, file, diagnostics) {
  return diagnostics
    .filter((d) => !d.file || d.file === file)
    .map((d) => ({ ...diagnosticRange(doc, d.line, d.col), severity: d.severity === 'warning' ? 'warning' : 'error',
                   message: `${d.line}:${d.col}: ${d.message}`, source: 'eventrunner' }));
}

// `check(text)` resolves to the engine's diagnostics of the text; `onChange(text)`
// hears every edit; `complete` is the completion source.
export function createEditor(parent, { text, file, check, complete, onChange }) {
  const lint = linter(async (view) => {
    const doc = view.state.doc;
    try {
      return toLint(doc, file, await check(doc.toString()));
    } catch {
      return [];  // The engine is away: no diagnostics rather than stale ones.
    }
  }, { delay: 400 });
  const state = EditorState.create({
    doc: text,
    extensions: [
      lineNumbers(), highlightActiveLineGutter(), highlightSpecialChars(), history(), drawSelection(),
      EditorState.allowMultipleSelections.of(true), indentOnInput(), bracketMatching(), closeBrackets(),
      rectangularSelection(), crosshairCursor(), highlightActiveLine(), highlightSelectionMatches(),
      syntaxHighlighting(defaultHighlightStyle, { fallback: true }), eventScript,
      autocompletion({ override: [complete] }), lintGutter(), lint,
      keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap,
                 ...completionKeymap, ...lintKeymap, indentWithTab]),
      EditorView.updateListener.of((update) => { if (update.docChanged) onChange(update.state.doc.toString()); }),
    ],
  });
  return new EditorView({ state, parent });
}
