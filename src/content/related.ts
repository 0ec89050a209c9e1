import type { Problem } from './errors';
import type { Site } from './site';

/** `related` URLs in front matter that name no page, each as a problem naming the file and line. */
export function relatedProblems(site: Site): Problem[] {
  const urls = new Set(site.pages.map((page) => page.url));
  const problems: Problem[] = [];
  for (const page of site.pages) {
    if (page.kind !== 'article') continue;
    for (const url of page.related) {
      if (!urls.has(url))
        problems.push({ file: page.file, line: page.lines.related, message: `"related" names ${url}, but no page has that URL` });
      else if (url === page.url)
        problems.push({ file: page.file, line: page.lines.related, message: `"related" names the article itself (${url})` });
    }
  }
  return problems;
}
