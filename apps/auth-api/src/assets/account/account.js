/* The pages links in mail open (auth-api /account/*). Plain browser script: no build step, no
 * CDN. The link's token rides in the URL fragment (#token=…), which browsers never send to a
 * server: this script reads it, removes it from the address bar and history at once, keeps it in
 * this closure only (never in storage), and posts it to auth-api on this same origin. */
(function () {
  'use strict';

  const page = document.body.dataset.page;

  /** What each page does with its token. */
  const FLOWS = {
    'verify-email': {
      endpoint: '/auth/email/verify',
      auto: true,
      success: function () {
        return 'Your email address is verified. You can close this page.';
      },
      newLink: 'Sign in and ask for a new verification mail.',
      used: 'If you opened it before, your address is already verified.',
    },
    'confirm-email-change': {
      endpoint: '/auth/email/confirm-change',
      auto: true,
      success: function () {
        return 'Your email address is changed. You were signed out everywhere: sign in again with the new address.';
      },
      newLink: 'Ask for the change again from your profile.',
      used: 'If you opened it before, your email address is already changed.',
    },
    'reset-password': {
      endpoint: '/auth/password/reset',
      passwordField: 'newPassword',
      success: function () {
        return 'Your password is changed. Every session was signed out: sign in with your new password.';
      },
      newLink: '',
    },
    'accept-invitation': {
      endpoint: '/auth/invitations/accept',
      passwordField: 'password',
      success: function (body) {
        const who = body && typeof body.email === 'string' ? ' as ' + body.email : '';
        return 'Welcome! Your account is active: sign in' + who + ' with the password you chose.';
      },
      newLink: 'Ask whoever invited you to send a new invitation.',
      used: 'If you opened it before, your account is already active: sign in with the password you chose.',
    },
  };

  /** The API's token codes (400) as sentences; each ends the flow on this page. */
  const TOKEN_SENTENCES = {
    token_expired: 'This link has expired; ask for a new one.',
    token_used: 'This link has already been used: each link works once.',
    token_invalid: 'This link is not valid: it may have been cut or altered on its way. Open the whole link from your mail again.',
    token_stale: 'This link no longer applies: the account changed after it was sent (its password or email address).',
    token_wrong_purpose: 'This link is not for this page: open it exactly as it appears in your mail.',
    token_missing: 'This page needs the whole link from your mail (with the part after #): open it again from the message.',
  };

  function $(id) {
    return document.getElementById(id);
  }

  function setState(state) {
    document.body.dataset.state = state;
  }

  function showMessage(text, kind, code) {
    const box = $('message');
    box.textContent = text || '';
    box.hidden = !text;
    box.dataset.kind = kind || 'info';
    box.dataset.code = code || '';
  }

  /** The token from `#token=…`, and the fragment gone from the address bar and the history entry. */
  function takeToken() {
    const fragment = window.location.hash.replace(/^#/, '');
    if (fragment) window.history.replaceState(null, '', window.location.pathname + window.location.search);
    const match = /(?:^|&)token=([^&]*)/.exec(fragment);
    if (!match) return '';
    try {
      return decodeURIComponent(match[1]);
    } catch {
      return match[1];
    }
  }

  function apiMessages(body) {
    if (!body || body.message === undefined) return '';
    return Array.isArray(body.message) ? body.message.join('; ') : String(body.message);
  }

  function minutes(retryAfter) {
    const seconds = Number(retryAfter);
    if (!seconds || seconds <= 0) return 'a few minutes';
    const count = Math.max(1, Math.ceil(seconds / 60));
    return count === 1 ? 'a minute' : count + ' minutes';
  }

  /** A refusal as a sentence, and whether the link is spent for this page (`final`). */
  function describe(result, flow) {
    const code = (result.body && result.body.code) || (result.status === 0 ? 'network' : 'http_' + result.status);
    if (TOKEN_SENTENCES[code]) {
      // What to do next: a used link most likely did its work already; others need a new link.
      const next = !flow || code === 'token_wrong_purpose' ? '' : code === 'token_used' && flow.used ? flow.used : flow.newLink;
      const more = next ? ' ' + next : '';
      return { code: code, text: TOKEN_SENTENCES[code] + more, final: true };
    }
    switch (code) {
      case 'weak_password':
        return { code: code, text: 'Choose a stronger password: ' + apiMessages(result.body) + '.', final: false };
      case 'validation_failed':
        return { code: code, text: 'Please check what you typed: ' + apiMessages(result.body) + '.', final: false };
      case 'email_taken':
        return {
          code: code,
          text: 'Another account now uses this address, so yours cannot change to it; your email address stays as it was.',
          final: true,
        };
      case 'rate_limited':
        return { code: code, text: 'Too many attempts; try again in ' + minutes(result.retryAfter) + '.', final: false };
      case 'network':
        return { code: code, text: 'The server could not be reached; check your connection and try again.', final: false };
      default:
        return { code: code, text: 'Something went wrong (' + code + '); please try again later.', final: false };
    }
  }

  async function post(path, payload) {
    let response;
    try {
      response = await fetch(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(payload),
        cache: 'no-store',
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
      });
    } catch {
      return { ok: false, status: 0, body: {} };
    }
    const body = await response.json().catch(function () {
      return {};
    });
    return { ok: response.ok, status: response.status, body: body, retryAfter: response.headers.get('retry-after') };
  }

  /** verify-email, confirm-email-change: the token is posted as soon as the page opens. */
  async function submitAtOnce(flow, token) {
    setState('working');
    showMessage('');
    const result = await post(flow.endpoint, { token: token });
    if (result.ok) {
      setState('done');
      showMessage(flow.success(result.body), 'success', 'ok');
      return;
    }
    const failure = describe(result, flow);
    // A network hiccup or throttling: the token is still in this closure, offer the same post again.
    setState(failure.final ? 'failed' : 'retry');
    showMessage(failure.text, 'error', failure.code);
  }

  /** reset-password, accept-invitation: a password typed twice, then the token and the password. */
  function passwordForm(flow, token) {
    const form = $('password-form');
    const button = form.querySelector('button[type=submit]');
    setState('form');
    form.addEventListener('submit', async function (event) {
      event.preventDefault();
      const password = $('password').value;
      if (password !== $('confirm').value) {
        showMessage('The two passwords are not the same: type the new password twice.', 'error', 'password_mismatch');
        return;
      }
      showMessage('');
      button.disabled = true;
      const payload = { token: token };
      payload[flow.passwordField] = password;
      const result = await post(flow.endpoint, payload);
      button.disabled = false;
      if (result.ok) {
        form.reset();
        setState('done');
        showMessage(flow.success(result.body), 'success', 'ok');
        return;
      }
      const failure = describe(result, flow);
      if (failure.final) {
        form.reset();
        setState('failed');
      }
      showMessage(failure.text, 'error', failure.code);
    });
  }

  /** forgot-password: an email address; the API answers the same whether or not it has an account. */
  function forgotForm() {
    const form = $('forgot-form');
    const button = form.querySelector('button[type=submit]');
    setState('form');
    form.addEventListener('submit', async function (event) {
      event.preventDefault();
      showMessage('');
      button.disabled = true;
      const result = await post('/auth/password/forgot', { email: $('email').value });
      button.disabled = false;
      if (result.ok) {
        setState('done');
        const text = apiMessages(result.body) || 'If an account uses this address, a link to reset its password is on its way.';
        showMessage(text + ' Check your inbox; the link works once, for a short time.', 'success', 'ok');
        return;
      }
      const failure = describe(result, null);
      showMessage(failure.text, 'error', failure.code);
    });
  }

  function start() {
    if (page === 'forgot-password') return forgotForm();
    const flow = FLOWS[page];
    if (!flow) return;
    const token = takeToken();
    if (!token) {
      setState('failed');
      showMessage(TOKEN_SENTENCES.token_missing, 'error', 'token_missing');
      return;
    }
    if (flow.auto) {
      const retry = $('retry');
      if (retry)
        retry.addEventListener('click', function () {
          void submitAtOnce(flow, token);
        });
      return submitAtOnce(flow, token);
    }
    return passwordForm(flow, token);
  }

  // The link opened again in this tab (say, clicked once more in the mail): only the fragment
  // differs from this page's address, so the browser would not load the page again. Do.
  window.addEventListener('hashchange', function () {
    if (/(?:^#|&)token=/.test(window.location.hash)) window.location.reload();
  });

  void start();
})();
