import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../src/http/app';
import { createLiveSite } from '../../src/render/live-site';
import { renderSiteAsync } from '../../src/render/rendered-site';
import { startUp } from '../../src/render/startup';
import { fixtureContent, testConfig } from '../helpers/app';

// Each test starts the app and renders the fixture more than once: slow on a busy machine.
jest.setTimeout(30_000);

function copyFixture(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'help-dev-'));
  fs.cpSync(fixtureContent, dir, { recursive: true });
  return dir;
}

function devApp(contentDir: string) {
  const config = testConfig({ contentDir, watch: true });
  const startup = startUp(config);
  const live = createLiveSite({
    build: (options) => renderSiteAsync(config.contentDir, config.viewsDir, startup.views, startup.context, options),
    views: startup.views,
    context: startup.context,
    logger: pino({ level: 'silent' }),
    initial: startup.rendered,
  });
  const app = createApp({ config, views: startup.views, assets: startup.assets, logger: pino({ level: 'silent' }), current: live.current });
  return { app, live };
}

/** Reloads until the page contains the words, or until `tries` reloads have not shown them. */
async function reloadsUntil(
  live: ReturnType<typeof devApp>['live'],
  app: ReturnType<typeof devApp>['app'],
  url: string,
  words: string,
  tries = 20,
) {
  for (let i = 0; i < tries; i += 1) {
    const seen = live.reloadCount();
    const res = await request(app).get(url);
    if (res.text.includes(words)) return res.text;
    if (live.reloadCount() === seen) await live.nextReload();
  }
  return (await request(app).get(url)).text;
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
    expect(await live.reload({ all: false })).toBeUndefined();
    const res = await request(app).get('/other/first').expect(200);
    expect(res.text).toContain('Section one changed');
  });

  it('renders again only the pages an edit affects', async () => {
    const { app, live } = devApp(dir);
    const before = live.current();
    const file = path.join(dir, 'other', 'first.md');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('title: First other', 'title: First other renamed'));
    expect(await live.reload({ all: false })).toBeUndefined();
    const after = live.current();
    expect(after.pages.get('/other/first')).not.toBe(before.pages.get('/other/first'));
    // Its hub shows its title on a card; other pages are kept as they were.
    expect(after.pages.get('/other')).not.toBe(before.pages.get('/other'));
    expect(after.pages.get('/guides/phone')).toBe(before.pages.get('/guides/phone'));
    expect(after.pages.get('/other/second')).toBe(before.pages.get('/other/second'));
    expect((await request(app).get('/other')).text).toContain('First other renamed');
  });

  it('reads, parses and renders the markdown of only the files that changed', async () => {
    const { live } = devApp(dir);
    const before = live.current().site;
    const file = path.join(dir, 'other', 'first.md');
    const text = fs.readFileSync(file, 'utf8');
    // The same length, so only the modification time tells the edit apart.
    fs.writeFileSync(file, text.replace('## Section one', '## Section 1ne'));
    expect(await live.reload({ all: false })).toBeUndefined();
    const after = live.current().site;
    expect(after.byUrl.get('/other/first')!.sections).not.toBe(before.byUrl.get('/other/first')!.sections);
    expect(after.byUrl.get('/other/first')!.headings.map((h) => h.text)).toContain('Section 1ne');
    expect(after.byUrl.get('/other/second')!.sections).toBe(before.byUrl.get('/other/second')!.sections);
    expect(after.byUrl.get('/guides/phone')!.html).toBe(before.byUrl.get('/guides/phone')!.html);
    // A file deleted is gone from the next build; a file added is read.
    fs.rmSync(path.join(dir, 'other', 'second.md'));
    fs.writeFileSync(
      path.join(dir, 'other', 'third.md'),
      text.replace('title: First other', 'title: Third other').replace('position: 1', 'position: 3'),
    );
    const problem = await live.reload({ all: false });
    expect(problem).toBeUndefined();
    expect(live.current().site.byUrl.has('/other/second')).toBe(false);
    expect(live.current().site.byUrl.get('/other/third')!.title).toBe('Third other');
  });

  it('keeps the last good page after a broken edit, and shows the problem with file and line', async () => {
    const { app, live } = devApp(dir);
    const file = path.join(dir, 'other', 'first.md');
    const good = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, good.replace('position: 1', 'position: first').replace('## Section one', '## Broken edit'));
    const problem = await live.reload({ all: false });
    expect(problem).toMatch(/other\/first\.md:6: "position" must be a number \(got "first"\)/);
    const res = await request(app).get('/other/first').expect(200);
    expect(res.text).toContain('Section one');
    expect(res.text).not.toContain('Broken edit');
    expect(res.text).toContain('The last content change has a problem');
    expect(res.text).toContain('&quot;position&quot; must be a number');
    await request(app).get('/guides/phone').expect(200);

    fs.writeFileSync(file, good);
    expect(await live.reload({ all: false })).toBeUndefined();
    const fixed = await request(app).get('/other/first').expect(200);
    expect(fixed.text).not.toContain('The last content change has a problem');
    expect((await request(app).get('/guides/phone')).text).not.toContain('The last content change has a problem');
  });

  it('renders the contact form’s shell again for each site: the banner comes and goes, headings follow edits', async () => {
    const { app, live } = devApp(dir);
    const contactPage = async (): Promise<string> => (await request(app).get('/contact?error=CID3006').expect(200)).text;
    expect(await contactPage()).toContain('Reference: CID3006 – Expired link – Reference CID3006');
    const file = path.join(dir, 'guides', 'phone.md');
    const good = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, good.replace(/^position: .*$/m, 'position: first'));
    expect(await live.reload({ all: false })).toMatch(/guides\/phone\.md/);
    expect(await contactPage()).toContain('The last content change has a problem');

    fs.writeFileSync(file, good.replace('### Expired link – Reference CID3006', '### Link past its date – Reference CID3006'));
    expect(await live.reload({ all: false })).toBeUndefined();
    const fixed = await contactPage();
    expect(fixed).not.toContain('The last content change has a problem');
    expect(fixed).toContain('Reference: CID3006 – Link past its date – Reference CID3006');
  });

  it('shows paths in the banner relative to the project or the content folder, never absolute', async () => {
    const { live } = devApp(dir);
    const stop = live.watch([dir], 10_000);
    try {
      const file = path.join(dir, 'other', 'first.md');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('position: 1', 'position: first'));
      const problem = await live.reload({ all: false });
      expect(problem).toContain(`${path.basename(dir)}/other/first.md:6`);
      expect(problem).not.toContain(os.tmpdir());
    } finally {
      stop();
    }
  });

  it('reloads by itself when a watched file changes', async () => {
    const { app, live } = devApp(dir);
    const stop = live.watch([dir], 20);
    try {
      const file = path.join(dir, 'other', 'first.md');
      // Saved the way many editors save: a new file renamed over the old one.
      fs.writeFileSync(`${file}.tmp`, fs.readFileSync(file, 'utf8').replace('## Section two', '## Section two watched'));
      fs.renameSync(`${file}.tmp`, file);
      expect(await reloadsUntil(live, app, '/other/first', 'Section two watched')).toContain('Section two watched');
      // ...and then saved again in place.
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('## Section two watched', '## Section two saved again'));
      expect(await reloadsUntil(live, app, '/other/first', 'Section two saved again')).toContain('Section two saved again');
    } finally {
      stop();
    }
  });

  it('keeps watching after the content folder is deleted and made again', async () => {
    const { app, live } = devApp(dir);
    const stop = live.watch([dir], 20);
    try {
      const gone = live.nextReload();
      fs.rmSync(dir, { recursive: true, force: true });
      expect(await gone).toMatch(/Content folder not found/);
      expect((await request(app).get('/other/first')).text).toContain('Section one');

      fs.cpSync(fixtureContent, dir, { recursive: true });
      const file = path.join(dir, 'other', 'first.md');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('## Section one', '## Section one is back'));
      expect(await reloadsUntil(live, app, '/other/first', 'Section one is back')).toContain('Section one is back');

      // ...and still sees the next save in the new folder.
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('## Section one is back', '## Section one saved later'));
      expect(await reloadsUntil(live, app, '/other/first', 'Section one saved later')).toContain('Section one saved later');
    } finally {
      stop();
    }
  });
});
