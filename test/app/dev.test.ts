import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../src/http/app';
import { createLiveSite } from '../../src/render/live-site';
import { renderSite } from '../../src/render/rendered-site';
import { startUp } from '../../src/render/startup';
import { waitFor } from '../contact/helpers/wait';
import { fixtureContent, testConfig } from '../helpers/app';

function copyFixture(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'help-dev-'));
  fs.cpSync(fixtureContent, dir, { recursive: true });
  return dir;
}

function devApp(contentDir: string) {
  const config = testConfig({ contentDir, watch: true });
  const startup = startUp(config);
  const live = createLiveSite({
    build: () => renderSite(config.contentDir, config.viewsDir, startup.views, startup.context),
    views: startup.views,
    context: startup.context,
    logger: pino({ level: 'silent' }),
  });
  const app = createApp({ config, views: startup.views, assets: startup.assets, logger: pino({ level: 'silent' }), current: live.current });
  return { app, live };
}

describe('development mode', () => {
  let dir: string;
  beforeEach(() => {
    dir = copyFixture();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('serves a content change without a restart', async () => {
    const { app, live } = devApp(dir);
    const file = path.join(dir, 'other', 'first.md');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('## Section one', '## Section one changed'));
    expect(live.reload()).toBeUndefined();
    const res = await request(app).get('/other/first').expect(200);
    expect(res.text).toContain('Section one changed');
  });

  it('keeps the last good page after a broken edit, and shows the problem with file and line', async () => {
    const { app, live } = devApp(dir);
    const file = path.join(dir, 'other', 'first.md');
    const good = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, good.replace('position: 1', 'position: first').replace('## Section one', '## Broken edit'));
    const problem = live.reload();
    expect(problem).toMatch(/other\/first\.md:6: "position" must be a number \(got "first"\)/);
    const res = await request(app).get('/other/first').expect(200);
    expect(res.text).toContain('Section one');
    expect(res.text).not.toContain('Broken edit');
    expect(res.text).toContain('The last content change has a problem');
    expect(res.text).toContain('&quot;position&quot; must be a number');
    await request(app).get('/guides/phone').expect(200);

    fs.writeFileSync(file, good);
    expect(live.reload()).toBeUndefined();
    const fixed = await request(app).get('/other/first').expect(200);
    expect(fixed.text).not.toContain('The last content change has a problem');
  });

  it('reloads by itself when a watched file changes', async () => {
    const { app, live } = devApp(dir);
    const stop = live.watch([dir], 20);
    try {
      const file = path.join(dir, 'other', 'first.md');
      const served = async (words: string): Promise<string> =>
        waitFor(`/other/first to show "${words}"`, async () => {
          const { text } = await request(app).get('/other/first');
          return text.includes(words) ? text : undefined;
        });
      // Saved the way many editors save: a new file renamed over the old one.
      fs.writeFileSync(`${file}.tmp`, fs.readFileSync(file, 'utf8').replace('## Section two', '## Section two watched'));
      fs.renameSync(`${file}.tmp`, file);
      expect(await served('Section two watched')).toContain('Section two watched');
      // ...and then saved again in place.
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('## Section two watched', '## Section two saved again'));
      expect(await served('Section two saved again')).toContain('Section two saved again');
    } finally {
      stop();
    }
  });
});
