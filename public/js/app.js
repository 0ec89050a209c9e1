// Progressive enhancement only: every page works without this file.
import { initAll } from './nhsuk.js';

initAll();

/**
 * nhsuk-frontend's radios and checkboxes script marks an input that reveals more questions with
 * aria-expanded, which ARIA does not allow on a radio or checkbox (WCAG 4.1.2). The revealed
 * questions follow the input in reading order, so the attribute adds nothing: take it off each
 * time the script sets it.
 */
function removeInvalidExpandedState() {
  const strip = () => {
    document
      .querySelectorAll('.nhsuk-radios__input[aria-expanded], .nhsuk-checkboxes__input[aria-expanded]')
      .forEach((input) => input.removeAttribute('aria-expanded'));
  };
  strip();
  document.addEventListener('click', strip);
  document.addEventListener('change', strip);
  window.addEventListener('pageshow', strip);
}

removeInvalidExpandedState();

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

/** Copies text, with a fallback for browsers without the async clipboard API. */
async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const field = document.createElement('textarea');
  field.value = text;
  field.setAttribute('readonly', '');
  field.className = 'app-copy-link__buffer';
  document.body.appendChild(field);
  field.select();
  const copied = document.execCommand('copy');
  field.remove();
  if (!copied) throw new Error('copy failed');
}

/** Shows the "Copy link" buttons (hidden without JavaScript) and announces each copy. */
function enableCopyLinks() {
  document.querySelectorAll('.app-copy-link[data-copy]').forEach((button) => {
    const status = button.parentElement.querySelector('.app-copy-link__status');
    button.hidden = false;
    button.addEventListener('click', async (event) => {
      event.preventDefault();
      try {
        await copyText(button.dataset.copy);
        if (status) status.textContent = 'Link copied';
        button.textContent = 'Link copied';
      } catch {
        if (status) status.textContent = 'Could not copy. Select the link and copy it instead.';
      }
      window.setTimeout(() => {
        button.textContent = 'Copy link';
        if (status) status.textContent = '';
      }, 4000);
    });
  });
}

enableCopyLinks();

/**
 * Printing: a closed <details> prints only its summary, so every folded section is opened
 * before printing and closed again after. Links within the site get their full address to print
 * after them (the print stylesheet shows it).
 */
function prepareForPrint() {
  let opened = [];
  window.addEventListener('beforeprint', () => {
    opened = [...document.querySelectorAll('main details:not([open])')];
    opened.forEach((details) => {
      details.open = true;
    });
    document.querySelectorAll('main a[href^="/"]').forEach((link) => {
      link.dataset.printUrl = link.href;
    });
  });
  window.addEventListener('afterprint', () => {
    opened.forEach((details) => {
      details.open = false;
    });
    opened = [];
  });
}

prepareForPrint();
