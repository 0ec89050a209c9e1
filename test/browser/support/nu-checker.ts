import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The Nu HTML Checker (the W3C validator) from the vnu-jar package, run on Debian's Java. It
 * checks HTML and CSS against the living standards, which html-validate does not. Java starts
 * slowly, so every saved file is checked in one run.
 */
export const VNU_JAR = require.resolve('vnu-jar/build/dist/vnu.jar');
export const JAVA = process.env.JAVA ?? 'java';

export interface NuMessage {
  type: 'error' | 'info' | 'non-document-error';
  subType?: 'warning' | 'fatal';
  url: string;
  lastLine?: number;
  message: string;
  extract?: string;
}

/** Every message the checker gives for `files` (HTML by default; `--css` for stylesheets). */
export function runNuChecker(files: string[], options: { css?: boolean } = {}): Promise<NuMessage[]> {
  const args = ['-Xss4m', '-jar', VNU_JAR, '--format', 'json', '--exit-zero-always', ...(options.css ? ['--css'] : []), ...files];
  return new Promise((resolve, reject) => {
    execFile(JAVA, args, { maxBuffer: 64 * 1024 * 1024 }, (error, _stdout, stderr) => {
      if (error)
        return reject(new Error(`vnu.jar failed to run (is Java installed? apt-get install default-jre-headless): ${error.message}`));
      try {
        resolve((JSON.parse(stderr) as { messages: NuMessage[] }).messages);
      } catch {
        reject(new Error(`vnu.jar printed something other than JSON:\n${stderr.slice(0, 2000)}`));
      }
    });
  });
}

/** "file:line: message" for a message, with the file named relative to `dir`. */
export function describeNuMessage(message: NuMessage, dir: string): string {
  const file = message.url.startsWith('file:') ? path.relative(dir, new URL(message.url).pathname) : message.url;
  return `${file}:${message.lastLine ?? '?'}: ${message.message}${message.extract ? ` («${message.extract.trim().slice(0, 100)}»)` : ''}`;
}

/** Saves `body` as `name` under `dir`, making folders as needed, and returns the file's path. */
export function saveFile(dir: string, name: string, body: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, body);
  return file;
}

/**
 * CSS the Nu checker's CSS validator does not know yet, though current browsers do: container
 * queries and their units, `clip-path: shape()` and `path()`, and the `mask` shorthand with a
 * repeat value. All of it comes from nhsuk-frontend's compiled Sass. Listed, with the reason, in
 * docs/accessibility.md; every other CSS message still fails.
 */
const CSS_CHECKER_GAPS = [
  /^CSS: Unrecognized at-rule “@container”/,
  /^CSS: “container(-type)?”: Property “container(-type)?” doesn't exist/,
  /^CSS: “clip-path”: “(shape|path)\(/,
  /^CSS: “mask”: Too many values or values are not recognized/,
];
const CQ_UNIT = /\d+cq[whib]\b/;

export function isKnownCssCheckerGap(message: NuMessage): boolean {
  if (!message.message.startsWith('CSS: ')) return false;
  if (CSS_CHECKER_GAPS.some((gap) => gap.test(message.message))) return true;
  return /^CSS: “max-width”: (Parse Error|Unknown dimension)/.test(message.message) && CQ_UNIT.test(message.extract ?? '');
}
