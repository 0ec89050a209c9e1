import path from 'node:path';
import { buildStyles } from '../render/styles';

/** `npm run build` (after tsc): compiles the stylesheet. NHSUK_FONTS=false leaves out the NHS font. */
const fonts = !/^(false|0|no)$/i.test(process.env.NHSUK_FONTS ?? '');
buildStyles({ fonts, publicDir: path.join(__dirname, '..', '..', 'public') })
  .then((output) => process.stdout.write(`Built ${path.relative(process.cwd(), output)}${fonts ? '' : ' without the NHS font'}\n`))
  .catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
