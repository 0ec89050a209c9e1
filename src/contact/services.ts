import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import type { Problem } from '../content/errors';
import { ContentError } from '../content/errors';

/** A website or app that patients reach through NHS login. */
export interface Service {
  /** Stable identifier carried in forms and tickets: `nhs-app`. Never shown. */
  id: string;
  /** What patients see: `NHS App`. */
  name: string;
  /** Offered as its own radio button; the rest are in the "Other" list. */
  common: boolean;
  /** Where "Go back to <name>" takes a patient who came from it (`?from=<id>`): an https address. */
  url?: string;
}

export const SERVICES_FILE = path.join('_data', 'services.yml');

const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const KEYS = new Set(['id', 'name', 'common', 'url']);

/** Whether `value` is an absolute https address, which a "Go back" link may point to. */
function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

/** The line each top-level list item starts on, and the line of each key inside it. */
function itemLines(text: string): { start: number; keys: Record<string, number> }[] {
  const items: { start: number; keys: Record<string, number> }[] = [];
  text.split('\n').forEach((line, index) => {
    if (/^-(\s|$)/.test(line)) items.push({ start: index + 1, keys: {} });
    const key = /^(?:-\s+|\s+)([A-Za-z_][\w-]*)\s*:/.exec(line);
    const current = items[items.length - 1];
    if (key && current && !(key[1]! in current.keys)) current.keys[key[1]!] = index + 1;
  });
  return items;
}

/**
 * Turns the text of services.yml into services, or every problem with it. `file` is the path
 * used in messages.
 */
export function parseServices(text: string, file: string): { services: Service[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const at = (message: string, line?: number): void => {
    problems.push({ file, line, message });
  };
  let data: unknown;
  try {
    data = text.trim() === '' ? undefined : yaml.load(text);
  } catch (error) {
    const mark = (error as { mark?: { line?: number }; reason?: string }).mark;
    const reason = (error as { reason?: string }).reason ?? String(error);
    at(`YAML syntax error: ${reason}`, typeof mark?.line === 'number' ? mark.line + 1 : undefined);
    return { services: [], problems };
  }
  if (!Array.isArray(data) || data.length === 0) {
    at('must be a list of services, each with an "id" and a "name"', 1);
    return { services: [], problems };
  }

  const lines = itemLines(text);
  const services: Service[] = [];
  const seenIds = new Map<string, number>();
  const seenNames = new Map<string, number>();
  data.forEach((item: unknown, index) => {
    const where = lines[index];
    const lineOf = (key: string): number | undefined => where?.keys[key] ?? where?.start;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      at(`item ${index + 1} must have an "id" and a "name"`, where?.start);
      return;
    }
    const entry = item as Record<string, unknown>;
    const before = problems.length;
    for (const key of Object.keys(entry)) {
      if (!KEYS.has(key)) at(`unknown key "${key}"`, lineOf(key));
    }
    const { id, name, common, url } = entry;
    if (id === undefined || id === null || id === '') at('"id" is required', where?.start);
    else if (typeof id !== 'string' || !ID.test(id)) {
      at(`"id" must be lower-case letters, digits and hyphens (got ${JSON.stringify(id)})`, lineOf('id'));
    } else if (seenIds.has(id)) at(`"id" ${id} is already used on line ${seenIds.get(id)}`, lineOf('id'));
    else seenIds.set(id, lineOf('id') ?? 0);
    const nameKey = typeof name === 'string' ? name.trim().toLowerCase() : '';
    if (name === undefined || name === null || name === '') at('"name" is required', where?.start);
    else if (typeof name !== 'string' || nameKey === '' || name.length > 100) {
      at(`"name" must be text of up to 100 characters (got ${JSON.stringify(name)})`, lineOf('name'));
    } else if (seenNames.has(nameKey)) at(`"name" ${name} is already used on line ${seenNames.get(nameKey)}`, lineOf('name'));
    else seenNames.set(nameKey, lineOf('name') ?? 0);
    if (common !== undefined && typeof common !== 'boolean') {
      at(`"common" must be true or false (got ${JSON.stringify(common)})`, lineOf('common'));
    }
    if (url !== undefined && (typeof url !== 'string' || !isHttpsUrl(url))) {
      at(`"url" must be an https:// address (got ${JSON.stringify(url)})`, lineOf('url'));
    }
    if (problems.length > before) return;
    services.push({ id: id as string, name: (name as string).trim(), common: common === true, ...(url ? { url: url as string } : {}) });
  });
  if (problems.length === 0 && !services.some((service) => service.common)) {
    at('mark at least one service "common: true" so the form can offer it as a choice', 1);
  }
  return { services: problems.length === 0 ? services : [], problems };
}

function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') ? file : relative.split(path.sep).join('/');
}

/**
 * Reads and checks `<content>/_data/services.yml`. Returns undefined when the file does not exist;
 * throws ContentError naming the file, line and every problem when it is invalid.
 */
export function loadServices(contentDir: string): Service[] | undefined {
  const file = path.join(contentDir, SERVICES_FILE);
  if (!fs.existsSync(file)) return undefined;
  const { services, problems } = parseServices(fs.readFileSync(file, 'utf8'), displayPath(file));
  if (problems.length > 0) throw new ContentError(problems);
  return services;
}

/** Every service the form offers: fails start-up when the list is missing. */
export function requireServices(contentDir: string, services: Service[] | undefined): Service[] {
  if (services) return services;
  throw new ContentError([
    { file: displayPath(path.join(contentDir, SERVICES_FILE)), message: 'the list of websites and apps for the contact form is missing' },
  ]);
}
