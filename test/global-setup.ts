import fs from 'node:fs';
import path from 'node:path';
import { buildStyles, STYLES_OUTPUT } from '../src/render/styles';

/** Builds the stylesheet the app serves when it is missing or older than our CSS. */
export default async function globalSetup(): Promise<void> {
  const publicDir = path.join(__dirname, '..', 'public');
  const source = path.join(publicDir, 'css', 'app.css');
  const stale = !fs.existsSync(STYLES_OUTPUT) || fs.statSync(STYLES_OUTPUT).mtimeMs < fs.statSync(source).mtimeMs;
  if (stale) await buildStyles({ fonts: true, publicDir });
}
