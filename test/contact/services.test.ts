import fs from 'node:fs';
import path from 'node:path';
import { ContentError } from '../../src/content/errors';
import { loadServices, parseServices, requireServices } from '../../src/contact/services';
import { startUp } from '../../src/render/startup';
import { fixtureContent, siteContent, testConfig } from '../helpers/app';
import { removeTempDir, tempDir } from './helpers/contact-app';

const FILE = 'content/_data/services.yml';

function problemsOf(text: string): string[] {
  return parseServices(text, FILE).problems.map((p) => `${p.file}:${p.line ?? '-'}: ${p.message}`);
}

describe('parseServices', () => {
  it('reads ids, names and which are common', () => {
    const { services, problems } = parseServices(
      '- id: nhs-app\n  name: NHS App\n  common: true\n- id: airmid\n  name: " Airmid "\n',
      FILE,
    );
    expect(problems).toEqual([]);
    expect(services).toEqual([
      { id: 'nhs-app', name: 'NHS App', common: true },
      { id: 'airmid', name: 'Airmid', common: false },
    ]);
  });

  it('names the file and line of every problem at once', () => {
    const text = [
      '- id: nhs-app', //         1
      '  name: NHS App', //       2
      '  common: yes please', //  3
      '- id: NHS App', //         4
      '  name: Other', //         5
      '- id: nhs-app', //         6
      '  name: nhs app', //       7
      '  colour: blue', //        8
      '- name: No id', //         9
      '- just text', //           10
    ].join('\n');
    expect(problemsOf(text)).toEqual([
      `${FILE}:3: "common" must be true or false (got "yes please")`,
      `${FILE}:4: "id" must be lower-case letters, digits and hyphens (got "NHS App")`,
      `${FILE}:8: unknown key "colour"`,
      `${FILE}:6: "id" nhs-app is already used on line 1`,
      `${FILE}:7: "name" nhs app is already used on line 2`,
      `${FILE}:9: "id" is required`,
      `${FILE}:10: item 5 must have an "id" and a "name"`,
    ]);
  });

  it('reports a YAML syntax error with its line', () => {
    expect(problemsOf('- id: a\n  name: [unclosed\n')).toEqual([expect.stringMatching(new RegExp(`^${FILE}:\\d+: YAML syntax error`))]);
  });

  it.each([[''], ['id: a'], ['[]']])('asks for a list: %j', (text) => {
    expect(problemsOf(text)).toEqual([`${FILE}:1: must be a list of services, each with an "id" and a "name"`]);
  });

  it('needs at least one common service to offer as a radio', () => {
    expect(problemsOf('- id: a\n  name: A\n')).toEqual([
      `${FILE}:1: mark at least one service "common: true" so the form can offer it as a choice`,
    ]);
  });
});

describe('loading at start-up', () => {
  it('loads the site’s list', () => {
    const services = loadServices(siteContent)!;
    expect(services.length).toBeGreaterThan(10);
    expect(services.filter((s) => s.common).map((s) => s.id)).toContain('nhs-app');
  });

  it('refuses to start the server without a list', () => {
    expect(loadServices(fixtureContent)).toBeUndefined();
    expect(() => requireServices(fixtureContent, undefined)).toThrow(
      /_data\/services\.yml: the list of websites and apps for the contact form is missing/,
    );
  });

  it('reports a broken list together with broken content, naming both files', () => {
    const dir = tempDir('broken-content-');
    try {
      fs.cpSync(fixtureContent, dir, { recursive: true });
      fs.appendFileSync(path.join(dir, 'guides', 'phone.md'), '');
      fs.writeFileSync(path.join(dir, 'guides', 'bad.md'), '---\ntype: article\ntitle: Bad\nhub: guides\nposition: three\n---\n');
      fs.mkdirSync(path.join(dir, '_data'));
      fs.writeFileSync(path.join(dir, '_data', 'services.yml'), '- id: Bad Id\n  name: X\n  common: true\n');
      let error: unknown;
      try {
        startUp(testConfig({ contentDir: dir }));
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ContentError);
      const message = (error as ContentError).message;
      expect(message).toMatch(/guides\/bad\.md:5: "position" must be a number/);
      expect(message).toMatch(/_data\/services\.yml:1: "id" must be lower-case letters, digits and hyphens \(got "Bad Id"\)/);
    } finally {
      removeTempDir(dir);
    }
  });
});
