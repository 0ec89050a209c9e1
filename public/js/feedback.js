// "Was this page helpful?" sent in place. Without this file the form posts and the server
// answers with a thank-you page; with it the answer is sent with fetch and announced politely.

const CODE_LINK = /\/cid\/(CID\d{4,5})$/;

/** The heading the address points at (`#heading-id`), if it is a section heading of this page. */
function sectionHeading() {
  if (!location.hash) return undefined;
  let id;
  try {
    id = decodeURIComponent(location.hash.slice(1));
  } catch {
    return undefined;
  }
  const heading = document.getElementById(id);
  return heading && /^H[23]$/.test(heading.tagName) && heading.closest('main') ? heading : undefined;
}

/** The reference code a section explains: its "Link to this reference" sits under the heading. */
function codeOf(heading) {
  for (let node = heading.nextElementSibling; node && !/^H[23]$/.test(node.tagName); node = node.nextElementSibling) {
    const link = node.querySelector('[data-copy]');
    const match = link && CODE_LINK.exec(link.getAttribute('data-copy'));
    if (match) return match[1];
  }
  return undefined;
}

function enhance(container) {
  const form = container.querySelector('form');
  const status = container.querySelector('.app-feedback__status');
  // A form that posts to another site (a static copy of the help centre) is left to post normally.
  if (!form || !status || new URL(form.action, location.href).origin !== location.origin) return;
  const section = form.querySelector('.app-feedback__section');
  const contact = form.querySelector('.app-feedback__contact');

  const followSection = () => {
    const heading = sectionHeading();
    section.value = heading ? heading.id : '';
    const code = heading && codeOf(heading);
    if (contact) contact.href = code ? `/contact?error=${code}` : '/contact';
  };
  followSection();
  window.addEventListener('hashchange', followSection);

  const say = (text, link) => {
    status.textContent = text;
    if (link) {
      const anchor = document.createElement('a');
      anchor.href = link.href;
      anchor.textContent = link.text;
      status.append(' ', anchor, '.');
    }
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const choice = form.querySelector('input[name="helpful"]:checked');
    if (!choice) {
      say('Choose Yes or No, then send your feedback.');
      form.querySelector('input[name="helpful"]').focus();
      return;
    }
    const button = form.querySelector('.app-feedback__submit');
    button.disabled = true;
    try {
      const response = await fetch(form.action, {
        method: 'POST',
        body: new URLSearchParams(new FormData(form)),
        credentials: 'omit',
      });
      if (response.ok) {
        form.hidden = true;
        if (choice.value === 'no' && contact)
          say('Thank you for your feedback. If you still need help,', {
            href: contact.getAttribute('href'),
            text: 'contact NHS login support',
          });
        else say('Thank you for your feedback.');
        status.setAttribute('tabindex', '-1');
        status.focus();
        return;
      }
      say(
        response.status === 429
          ? 'You have sent a lot of feedback. Wait a few minutes, then try again.'
          : 'Sorry, your feedback could not be sent. Try again later.',
      );
    } catch {
      say('Sorry, your feedback could not be sent. Check your connection and try again.');
    }
    button.disabled = false;
  });
}

document.querySelectorAll('[data-feedback]').forEach(enhance);
