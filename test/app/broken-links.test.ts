import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { ContentError } from '../../src/content/errors';
import { createApp } from '../../src/http/app';
import { createLiveSite } from '../../src/render/live-site';
import { renderSite } from '../../src/render/rendered-site';
import { startUp } from '../../src/render/startup';
import { fixtureContent, testConfig } from '../helpers/app';

/** A broken internal link is a content error like any other: the site does not start with one. */

describe('a broken internal link', () => {
  it('stops the site starting, naming the file, line, link and the nearest page', () => {
    const contentDir = path.join(__dirname, '..', 'fixtures', 'broken', 'links');
    expect(() => startUp(testConfig({ contentDir }))).toThrow(ContentError);
    expect(() => startUp(testConfig({ contentDir }))).toThrow(
      /broken\/links\/bad\.md:11: link "\/goood" goes to \/goood, which is not a page \(did you mean \/good\?\)/,
    );
  });

  describe('in development mode', () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'help-links-'));
      fs.cpSync(fixtureContent, dir, { recursive: true });
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('shows the problem in the banner and keeps serving the last good version', async () => {
      const config = testConfig({ contentDir: dir, watch: true });
      const startup = startUp(config);
      const live = createLiveSite({
        build: (options) => renderSite(config.contentDir, config.viewsDir, startup.views, startup.context, options),
        views: startup.views,
        context: startup.context,
        logger: pino({ level: 'silent' }),
      });
      const app = createApp({
        config,
        views: startup.views,
        assets: startup.assets,
        logger: pino({ level: 'silent' }),
        current: live.current,
      });
      const file = path.join(dir, 'other', 'first.md');
      fs.writeFileSync(
        file,
        fs.readFileSync(file, 'utf8').replace('## Section one', '## Section one\n\nSee [phone help](/guides/phon#nowhere).'),
      );

      expect(await live.reload()).toMatch(
        /other\/first\.md:\d+: link "\/guides\/phon#nowhere" goes to \/guides\/phon, which is not a page \(did you mean \/guides\/phone\?\)/,
      );
      const res = await request(app).get('/other/first').expect(200);
      expect(res.text).toContain('The last content change has a problem');
      expect(res.text).toContain('goes to /guides/phon, which is not a page');
      expect(res.text).not.toContain('href="/guides/phon#nowhere"');
    }, 60_000);
  });
});
