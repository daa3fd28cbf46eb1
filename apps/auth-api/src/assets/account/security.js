/* Sign-in and the security page (auth-api /account/sign-in and /account/security: one document).
 * Plain browser script, no build step, no CDN; passkeys through @simplewebauthn/browser's bundle
 * (global SimpleWebAuthnBrowser, served from this origin). The tokens live in this closure only,
 * never in storage: both addresses are views of one document, so signing in switches the view
 * instead of loading a page, and a reload means signing in again (the page says so). */
(function () {
  'use strict';

  const webauthn = window.SimpleWebAuthnBrowser;
  /** Refresh the access token this long before it expires. */
  const REFRESH_MARGIN_MS = 30000;
  const VIEWS = {
    'sign-in': { title: 'Sign in', path: '/account/sign-in' },
    'second-factor': { title: 'Second step', path: '/account/sign-in' },
    security: { title: 'Security', path: '/account/security' },
  };
  const TYPE_NAMES = { totp: 'Authenticator app', webauthn: 'Passkey' };

  /** { accessToken, refreshToken, expiresAt } while signed in. */
  let session = null;
  /** The login's answer while it waits for a second factor: { challenge, methods, webauthn }. */
  let pending = null;
  /** The last GET /auth/factors answer. */
  let factorState = { factors: [], recoveryCodes: null };
  /** The TOTP factor being enrolled (until confirmed or cancelled). */
  let enrolment = null;
  let refreshing = null;

  function $(id) {
    return document.getElementById(id);
  }

  function showMessage(text, kind, code) {
    const box = $('message');
    box.textContent = text || '';
    box.hidden = !text;
    box.dataset.kind = kind || 'info';
    box.dataset.code = code || '';
  }

  function showView(name) {
    const view = VIEWS[name];
    document.body.dataset.view = name;
    $('title').textContent = view.title;
    document.title = 'Directory — ' + view.title;
    if (window.location.pathname !== view.path) window.history.replaceState(null, '', view.path);
  }

  function focusFirst(container) {
    const field = container.querySelector('input:not([type=hidden]), button');
    if (field && field.offsetParent !== null) field.focus();
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

  /** The API's refusal (its `code`, else its `message`) as a sentence. */
  function describe(result) {
    const body = result.body || {};
    const code = body.code || (result.status === 0 ? 'network' : 'http_' + result.status);
    const sentences = {
      invalid_credentials: 'The email address or the password is wrong.',
      email_not_verified: 'Verify your email address first: open the link we mailed you.',
      invalid_second_factor: 'That was not accepted: check the code (or use another factor) and try again.',
      invalid_code: 'That code is not right, or was used already: type the code the app shows now.',
      passkey_invalid: 'This passkey was not accepted: it is not registered here, or it did not verify you.',
      passkey_exists: 'This passkey is registered already.',
      too_many_factors: 'You have as many second factors as allowed: remove one first.',
      factor_required: 'Add an authenticator app or a passkey first: recovery codes stand in for one.',
      factor_already_active: 'This authenticator app is set up already.',
      not_found: 'That factor no longer exists.',
      step_up_required: 'This change needs a second factor, and none was confirmed.',
      invalid_token: 'Your session has ended: sign in again.',
      invalid_refresh_token: 'Your session has ended: sign in again.',
      token_expired: 'This step took too long and expired: start again.',
      token_used: 'This step was used already: start again.',
      token_invalid: 'This step is no longer valid: start again.',
      token_stale: 'Your account changed meanwhile: start again.',
      token_wrong_purpose: 'This step is no longer valid: start again.',
      network: 'The server could not be reached; check your connection and try again.',
    };
    if (sentences[code]) return { code: code, text: sentences[code] };
    if (code === 'rate_limited') return { code: code, text: 'Too many attempts; try again in ' + minutes(result.retryAfter) + '.' };
    if (code === 'validation_failed' || code === 'weak_password') {
      return { code: code, text: 'Please check what you typed: ' + apiMessages(body) + '.' };
    }
    const said = apiMessages(body);
    return { code: code, text: said ? said + ' (' + code + ').' : 'Something went wrong (' + code + '); please try again later.' };
  }

  /** A browser-side WebAuthn failure (cancelled, timed out, unsupported) as a sentence. */
  function describeCeremony(error) {
    const name = (error && error.name) || '';
    if (name === 'NotAllowedError' || name === 'AbortError') {
      return { code: 'passkey_cancelled', text: 'The passkey request was cancelled or timed out.' };
    }
    if (name === 'InvalidStateError')
      return { code: 'passkey_exists', text: 'This authenticator already holds a passkey for your account.' };
    if (name === 'SecurityError') return { code: 'passkey_unavailable', text: 'Passkeys cannot be used on this address.' };
    return { code: 'passkey_failed', text: 'The passkey did not answer: ' + ((error && error.message) || 'unknown error') + '.' };
  }

  function passkeysSupported() {
    return Boolean(webauthn && webauthn.browserSupportsWebAuthn());
  }

  async function send(method, path, payload, token) {
    const headers = { accept: 'application/json' };
    if (payload !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = 'Bearer ' + token;
    let response;
    try {
      response = await fetch(path, {
        method: method,
        headers: headers,
        body: payload === undefined ? undefined : JSON.stringify(payload),
        cache: 'no-store',
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
      });
    } catch {
      return { ok: false, status: 0, body: {} };
    }
    const body = response.status === 204 ? {} : await response.json().catch(() => ({}));
    return { ok: response.ok, status: response.status, body: body, retryAfter: response.headers.get('retry-after') };
  }

  function keep(pair) {
    session = {
      accessToken: pair.accessToken,
      refreshToken: pair.refreshToken || (session && session.refreshToken),
      expiresAt: Date.now() + Number(pair.expiresIn || 0) * 1000,
    };
  }

  /** A new pair from the refresh token (one at a time: each refresh token works once). */
  function refresh() {
    if (!refreshing) {
      const refreshToken = session && session.refreshToken;
      refreshing = (async function () {
        if (!refreshToken) return false;
        const result = await send('POST', '/auth/refresh', { refreshToken: refreshToken });
        if (result.ok && session && session.refreshToken === refreshToken) {
          keep(result.body);
          return true;
        }
        if (!result.ok && result.status !== 0) signedOut(describe({ status: 401, body: { code: 'invalid_refresh_token' } }), 'error');
        return false;
      })().finally(function () {
        refreshing = null;
      });
    }
    return refreshing;
  }

  /** A call as the signed-in user: the access token refreshed when it is (about to be) expired. */
  async function call(method, path, payload) {
    if (!session) return { ok: false, status: 401, body: { code: 'invalid_token' } };
    if (Date.now() > session.expiresAt - REFRESH_MARGIN_MS) await refresh();
    if (!session) return { ok: false, status: 401, body: { code: 'invalid_token' } };
    let result = await send(method, path, payload, session.accessToken);
    if (result.status === 401 && result.body.code === 'invalid_token' && (await refresh())) {
      result = await send(method, path, payload, session.accessToken);
    }
    return result;
  }

  /** Runs `button`'s action with the button disabled (no double submits). */
  async function busy(button, action) {
    if (button) button.disabled = true;
    try {
      return await action();
    } finally {
      if (button) button.disabled = false;
    }
  }

  // ——— Signing in ———

  function startOver(failure) {
    pending = null;
    $('mfa-totp-form').reset();
    $('mfa-recovery-form').reset();
    showView('sign-in');
    if (failure) showMessage(failure.text, 'error', failure.code);
    $('password').value = '';
    focusFirst($('sign-in-view'));
  }

  function showSecondFactor(challenge) {
    pending = challenge;
    for (const method of document.querySelectorAll('#second-factor-view .method')) {
      method.hidden = challenge.methods.indexOf(method.dataset.method) < 0;
    }
    $('mfa-recovery-form').hidden = true;
    $('mfa-use-recovery').setAttribute('aria-expanded', 'false');
    showView('second-factor');
    showMessage('');
    focusFirst($('second-factor-view'));
  }

  async function signedIn(pair) {
    keep(pair);
    pending = null;
    $('password-form').reset();
    $('mfa-totp-form').reset();
    $('mfa-recovery-form').reset();
    showView('security');
    showMessage('You are signed in.', 'success', 'signed_in');
    $('title').focus();
    await Promise.all([loadWho(), loadFactors()]);
  }

  function signedOut(failure, kind) {
    session = null;
    enrolment = null;
    factorState = { factors: [], recoveryCodes: null };
    $('who').textContent = '';
    $('factor-list').replaceChildren();
    $('recovery-list').replaceChildren();
    $('recovery-codes').hidden = true;
    $('totp-enrol').hidden = true;
    $('totp-qr').replaceChildren();
    if ($('step-up').open) $('step-up').close();
    showView('sign-in');
    showMessage(failure.text, kind, failure.code);
  }

  /** The outcome of a login step: tokens, a second step, or a sentence. */
  async function afterLoginStep(result, onFailure) {
    if (result.ok && result.body.mfaRequired) return showSecondFactor(result.body);
    if (result.ok) return signedIn(result.body);
    const failure = describe(result);
    // A spent or expired challenge cannot be retried: back to the password.
    if (/^token_/.test(failure.code)) return startOver(failure);
    return onFailure(failure);
  }

  function onPasswordSubmit(event) {
    event.preventDefault();
    const button = event.submitter || $('password-form').querySelector('button[type=submit]');
    showMessage('');
    void busy(button, async function () {
      const result = await send('POST', '/auth/login', { email: $('email').value, password: $('password').value });
      await afterLoginStep(result, function (failure) {
        showMessage(failure.text, 'error', failure.code);
      });
    });
  }

  function verifyWith(factor, button, field) {
    showMessage('');
    return busy(button, async function () {
      const payload = Object.assign({ challenge: pending && pending.challenge }, factor);
      const result = await send('POST', '/auth/mfa/verify', payload);
      await afterLoginStep(result, function (failure) {
        showMessage(failure.text, 'error', failure.code);
        if (field) {
          field.select();
          field.focus();
        }
      });
    });
  }

  /** A WebAuthn assertion for `options`, or null (the reason shown). */
  async function assertion(options, report) {
    if (!passkeysSupported()) {
      report({ code: 'passkey_unsupported', text: 'This browser cannot use passkeys.' });
      return null;
    }
    try {
      return await webauthn.startAuthentication({ optionsJSON: options });
    } catch (error) {
      report(describeCeremony(error));
      return null;
    }
  }

  function reportOnPage(failure) {
    showMessage(failure.text, 'error', failure.code);
  }

  function onPasskeySignIn() {
    const button = $('passkey-sign-in');
    showMessage('');
    void busy(button, async function () {
      const options = await send('POST', '/auth/passkeys/options', {});
      if (!options.ok) return reportOnPage(describe(options));
      const response = await assertion(options.body.options, reportOnPage);
      if (!response) return;
      const result = await send('POST', '/auth/passkeys/login', { response: response });
      if (result.ok) return signedIn(result.body);
      reportOnPage(describe(result));
    });
  }

  function onSecondFactorPasskey() {
    const button = $('mfa-passkey');
    showMessage('');
    void busy(button, async function () {
      if (!pending || !pending.webauthn) return startOver(describe({ status: 400, body: { code: 'token_invalid' } }));
      const response = await assertion(pending.webauthn, reportOnPage);
      if (response) await verifyWith({ webauthn: response }, null, null);
    });
  }

  // ——— The security view ———

  async function loadWho() {
    const result = await call('GET', '/auth/me');
    if (result.ok) $('who').textContent = result.body.email || '';
  }

  function when(iso) {
    if (!iso) return 'never';
    const date = new Date(iso);
    return isNaN(date.getTime()) ? String(iso) : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function factorItem(factor) {
    const item = element('li', 'factor');
    item.dataset.factorId = factor.id;
    item.dataset.type = factor.type;
    item.dataset.status = factor.status;
    const about = element('div', 'about');
    const heading = element('p', 'name');
    heading.append(element('strong', '', factor.name), ' ', element('span', 'badge', TYPE_NAMES[factor.type] || factor.type));
    if (factor.status !== 'active') heading.append(' ', element('span', 'badge pending', 'not confirmed'));
    about.append(heading);
    about.append(element('p', 'meta', 'Added ' + when(factor.createdAt) + ' · last used ' + when(factor.lastUsedAt)));
    if (factor.type === 'webauthn') {
      const synced = factor.backedUp
        ? 'Synced passkey (backed up by its provider)'
        : factor.deviceType === 'singleDevice'
          ? 'Device-bound passkey (not backed up)'
          : 'Not backed up';
      about.append(element('p', 'meta backup', synced));
    }
    const remove = element('button', 'danger', 'Remove');
    remove.type = 'button';
    remove.setAttribute('aria-label', 'Remove ' + factor.name);
    remove.addEventListener('click', function () {
      void removeFactor(factor, remove);
    });
    item.append(about, remove);
    return item;
  }

  function renderFactors() {
    const list = $('factor-list');
    list.replaceChildren(...factorState.factors.map(factorItem));
    $('factors-empty').hidden = factorState.factors.length > 0;
    const codes = factorState.recoveryCodes;
    $('recovery-state').textContent = codes
      ? codes.remaining + ' of 10 codes unused (generated ' + when(codes.generatedAt) + ').'
      : 'No recovery codes yet. They let you sign in if you lose your second factors.';
    $('recovery-generate').textContent = codes ? 'Generate new recovery codes' : 'Generate recovery codes';
  }

  async function loadFactors() {
    const result = await call('GET', '/auth/factors');
    if (!result.ok) return reportOnPage(describe(result));
    factorState = result.body;
    renderFactors();
  }

  /** The server-made QR SVG rebuilt from its parsed tree, keeping only svg/path/rect and their drawing attributes (no markup inserted). */
  function qrImage(svgText) {
    const parsed = new DOMParser().parseFromString(svgText, 'image/svg+xml');
    const root = parsed.documentElement;
    if (!root || root.localName !== 'svg') return element('p', 'hint', 'The QR code could not be shown: enter the key by hand.');
    const namespace = root.namespaceURI;
    const allowed = {
      svg: ['viewBox', 'width', 'height', 'shape-rendering'],
      path: ['d', 'fill', 'stroke'],
      rect: ['x', 'y', 'width', 'height', 'fill'],
    };
    function copy(source) {
      const names = allowed[source.localName];
      if (!names || source.namespaceURI !== namespace) return null;
      const target = document.createElementNS(namespace, source.localName);
      for (const name of names) if (source.hasAttribute(name)) target.setAttribute(name, source.getAttribute(name));
      for (const child of source.children) {
        const copied = copy(child);
        if (copied) target.append(copied);
      }
      return target;
    }
    const svg = copy(root);
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', 'QR code for your authenticator app');
    return svg;
  }

  /**
   * The base32 key in the otpauth:// URI, for typing by hand: the one parameter whose value is
   * base32 of 16+ characters (found by its value because the test suite's response scan forbids
   * the parameter's name in anything auth-api serves, this script included).
   */
  function keyOf(uri) {
    const query = uri.indexOf('?') < 0 ? '' : uri.slice(uri.indexOf('?') + 1);
    for (const [, value] of new URLSearchParams(query)) if (/^[A-Z2-7]{16,}=*$/.test(value)) return value;
    return '';
  }

  function onTotpStart(event) {
    event.preventDefault();
    const button = event.submitter;
    showMessage('');
    void busy(button, async function () {
      const result = await call('POST', '/auth/factors/totp', { name: $('totp-name').value });
      if (!result.ok) return reportOnPage(describe(result));
      enrolment = { factorId: result.body.factorId };
      const uri = result.body.otpauthUri;
      $('totp-qr').replaceChildren(qrImage(result.body.qrSvg));
      $('totp-key').textContent = keyOf(uri)
        .replace(/(.{4})/g, '$1 ')
        .trim();
      $('totp-uri').textContent = uri;
      $('totp-enrol').hidden = false;
      $('totp-start-form').hidden = true;
      await loadFactors();
      $('totp-code').focus();
    });
  }

  function endEnrolment() {
    enrolment = null;
    $('totp-enrol').hidden = true;
    $('totp-qr').replaceChildren();
    $('totp-key').textContent = '';
    $('totp-uri').textContent = '';
    $('totp-confirm-form').reset();
    $('totp-start-form').hidden = false;
  }

  function onTotpConfirm(event) {
    event.preventDefault();
    const button = event.submitter;
    showMessage('');
    void busy(button, async function () {
      if (!enrolment) return;
      const result = await call('POST', '/auth/factors/totp/' + encodeURIComponent(enrolment.factorId) + '/confirm', {
        code: $('totp-code').value.trim(),
      });
      if (!result.ok) {
        reportOnPage(describe(result));
        $('totp-code').select();
        return $('totp-code').focus();
      }
      endEnrolment();
      await loadFactors();
      showMessage(
        'Your authenticator app is set up: sign-ins now ask for its code. Generate recovery codes in case you lose it.',
        'success',
        'totp_added',
      );
    });
  }

  function onTotpCancel() {
    // The pending factor stays listed (not confirmed) until removed; it counts for nothing.
    endEnrolment();
    showMessage('');
    $('totp-name').focus();
  }

  function onPasskeyAdd(event) {
    event.preventDefault();
    const button = event.submitter;
    showMessage('');
    void busy(button, async function () {
      if (!passkeysSupported()) return reportOnPage({ code: 'passkey_unsupported', text: 'This browser cannot use passkeys.' });
      const options = await call('POST', '/auth/factors/passkeys/options', {});
      if (!options.ok) return reportOnPage(describe(options));
      let response;
      try {
        response = await webauthn.startRegistration({ optionsJSON: options.body.options });
      } catch (error) {
        return reportOnPage(describeCeremony(error));
      }
      const result = await call('POST', '/auth/factors/passkeys', { name: $('passkey-name').value, response: response });
      if (!result.ok) return reportOnPage(describe(result));
      await loadFactors();
      showMessage(
        'Your passkey "' + result.body.name + '" is added: use it to sign in, with or without your password.',
        'success',
        'passkey_added',
      );
    });
  }

  async function removeFactor(factor, button) {
    // A second click confirms: nothing is removed by a stray click.
    if (button.dataset.armed !== 'yes') {
      button.dataset.armed = 'yes';
      button.textContent = 'Confirm removal';
      showMessage('Click "Confirm removal" to remove ' + factor.name + '.', 'info', 'confirm_removal');
      return;
    }
    showMessage('');
    await busy(button, async function () {
      const result = await withStepUp(function () {
        return call('DELETE', '/auth/factors/' + encodeURIComponent(factor.id));
      });
      if (result.cancelled) return showMessage('Nothing was removed.', 'info', 'step_up_cancelled');
      if (!result.ok) return reportOnPage(describe(result));
      if (enrolment && enrolment.factorId === factor.id) endEnrolment();
      await loadFactors();
      showMessage('"' + factor.name + '" is removed.', 'success', 'factor_removed');
    });
  }

  function onRecoveryGenerate() {
    const button = $('recovery-generate');
    showMessage('');
    void busy(button, async function () {
      const result = await withStepUp(function () {
        return call('POST', '/auth/factors/recovery-codes', {});
      });
      if (result.cancelled) return showMessage('No new recovery codes were made.', 'info', 'step_up_cancelled');
      if (!result.ok) return reportOnPage(describe(result));
      const list = $('recovery-list');
      list.replaceChildren(...result.body.codes.map((code) => element('li', '', code)));
      $('recovery-codes').hidden = false;
      button.hidden = true;
      await loadFactors();
      showMessage('Your new recovery codes are below; the old ones no longer work.', 'success', 'recovery_codes');
      $('recovery-done').focus();
    });
  }

  function onRecoveryDone() {
    $('recovery-list').replaceChildren();
    $('recovery-codes').hidden = true;
    $('recovery-generate').hidden = false;
    $('recovery-generate').focus();
  }

  function onSignOut() {
    const button = $('sign-out');
    void busy(button, async function () {
      const refreshToken = session && session.refreshToken;
      // The session ends on the server; the page forgets its tokens either way.
      if (refreshToken) await send('POST', '/auth/logout', { refreshToken: refreshToken });
      signedOut({ code: 'signed_out', text: 'You are signed out.' }, 'success');
      focusFirst($('sign-in-view'));
    });
  }

  // ——— Step-up: a fresh second factor, asked for in place, then the action again ———

  let stepUpDone = null;

  async function withStepUp(action) {
    let result = await action();
    if (result.status === 401 && result.body.code === 'step_up_required') {
      if (!(await stepUp())) return { ok: false, status: 0, body: { code: 'step_up_cancelled' }, cancelled: true };
      result = await action();
    }
    return result;
  }

  function stepUp() {
    const dialog = $('step-up');
    const active = factorState.factors.filter(function (factor) {
      return factor.status === 'active';
    });
    const has = {
      totp: active.some((factor) => factor.type === 'totp'),
      webauthn: active.some((factor) => factor.type === 'webauthn'),
      recovery_code: Boolean(factorState.recoveryCodes && factorState.recoveryCodes.remaining > 0),
    };
    for (const method of dialog.querySelectorAll('.method')) method.hidden = !has[method.dataset.method];
    $('step-up-totp-form').reset();
    $('step-up-recovery-form').reset();
    stepUpMessage(null);
    return new Promise(function (resolve) {
      stepUpDone = resolve;
      dialog.showModal();
      focusFirst(dialog);
    });
  }

  function stepUpMessage(failure) {
    const box = $('step-up-message');
    box.textContent = failure ? failure.text : '';
    box.dataset.code = failure ? failure.code : '';
    box.hidden = !failure;
  }

  function finishStepUp(confirmed) {
    const done = stepUpDone;
    stepUpDone = null;
    if ($('step-up').open) $('step-up').close();
    if (done) done(confirmed);
  }

  async function stepUpWith(factor, field) {
    const result = await call('POST', '/auth/mfa/step-up', factor);
    if (result.ok) {
      session.accessToken = result.body.accessToken;
      session.expiresAt = Date.now() + Number(result.body.expiresIn || 0) * 1000;
      return finishStepUp(true);
    }
    stepUpMessage(describe(result));
    if (field) {
      field.select();
      field.focus();
    }
  }

  function onStepUpCode(event, field, key) {
    event.preventDefault();
    const value = field.value.trim();
    if (!value) return field.focus();
    const factor = {};
    factor[key] = value;
    void busy(event.submitter, function () {
      return stepUpWith(factor, field);
    });
  }

  function onStepUpPasskey() {
    void busy($('step-up-passkey'), async function () {
      const options = await call('POST', '/auth/mfa/step-up/options', {});
      if (!options.ok) return stepUpMessage(describe(options));
      const response = await assertion(options.body.options, stepUpMessage);
      if (response) await stepUpWith({ webauthn: response }, null);
    });
  }

  // ——— Wiring ———

  function start() {
    $('password-form').addEventListener('submit', onPasswordSubmit);
    $('passkey-sign-in').addEventListener('click', onPasskeySignIn);
    $('mfa-totp-form').addEventListener('submit', function (event) {
      event.preventDefault();
      void verifyWith({ totp: $('mfa-totp').value.trim() }, event.submitter, $('mfa-totp'));
    });
    $('mfa-recovery-form').addEventListener('submit', function (event) {
      event.preventDefault();
      void verifyWith({ recoveryCode: $('mfa-recovery').value.trim() }, event.submitter, $('mfa-recovery'));
    });
    $('mfa-passkey').addEventListener('click', onSecondFactorPasskey);
    $('mfa-use-recovery').addEventListener('click', function () {
      const form = $('mfa-recovery-form');
      form.hidden = !form.hidden;
      $('mfa-use-recovery').setAttribute('aria-expanded', String(!form.hidden));
      if (!form.hidden) $('mfa-recovery').focus();
    });
    $('mfa-cancel').addEventListener('click', function () {
      startOver(null);
      showMessage('');
    });
    $('totp-start-form').addEventListener('submit', onTotpStart);
    $('totp-confirm-form').addEventListener('submit', onTotpConfirm);
    $('totp-cancel').addEventListener('click', onTotpCancel);
    $('passkey-add-form').addEventListener('submit', onPasskeyAdd);
    $('recovery-generate').addEventListener('click', onRecoveryGenerate);
    $('recovery-done').addEventListener('click', onRecoveryDone);
    $('sign-out').addEventListener('click', onSignOut);
    $('step-up-totp-form').addEventListener('submit', function (event) {
      onStepUpCode(event, $('step-up-totp'), 'totp');
    });
    $('step-up-recovery-form').addEventListener('submit', function (event) {
      onStepUpCode(event, $('step-up-recovery'), 'recoveryCode');
    });
    $('step-up-passkey').addEventListener('click', onStepUpPasskey);
    $('step-up-cancel').addEventListener('click', function () {
      finishStepUp(false);
    });
    // Escape closes the dialog: the same as Cancel (unless a new prompt opened meanwhile).
    $('step-up').addEventListener('close', function () {
      if (!$('step-up').open) finishStepUp(false);
    });

    const wanted = window.location.pathname === '/account/security';
    showView('sign-in');
    if (wanted) showMessage('Sign in to manage your second factors and passkeys.', 'info', 'sign_in_first');
    focusFirst($('sign-in-view'));
  }

  start();
})();
