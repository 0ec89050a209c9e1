// Progressive enhancement only: every page works without this file.
import { initAll } from './nhsuk.js';

initAll();

/** Marks the contents-list link of the section being read, as the reader scrolls. */
function trackCurrentSection() {
  const list = document.querySelector('.app-contents-list');
  if (!list || !('IntersectionObserver' in window)) return;
  const links = new Map();
  list.querySelectorAll('a[href^="#"]').forEach((link) => {
    const target = document.getElementById(decodeURIComponent(link.getAttribute('href').slice(1)));
    if (target) links.set(target, link);
  });
  if (links.size === 0) return;
  const headings = [...links.keys()];
  const mark = (heading) => {
    links.forEach((link, target) => {
      if (target === heading) link.setAttribute('aria-current', 'true');
      else link.removeAttribute('aria-current');
    });
  };
  const update = () => {
    const offset = window.innerHeight * 0.25;
    let current = headings[0];
    for (const heading of headings) {
      if (heading.getBoundingClientRect().top - offset <= 0) current = heading;
    }
    mark(current);
  };
  const observer = new IntersectionObserver(update, { rootMargin: '0px 0px -75% 0px' });
  headings.forEach((heading) => observer.observe(heading));
  window.addEventListener('scroll', update, { passive: true });
  update();
}

trackCurrentSection();
