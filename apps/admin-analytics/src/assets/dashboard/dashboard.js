/* Directory admin dashboard. Plain browser script: no build step, no CDN; Chart.js is served
 * by admin-analytics from node_modules. The access token lives in this closure only (never
 * in storage), so closing the tab signs out. */
(function () {
  'use strict';

  const settings = JSON.parse(document.getElementById('dashboard-settings').textContent);
  let token = null;
  const charts = {};
  const DAY_MS = 86400000;
  const REASONS = ['bad_password', 'locked', 'unknown_email'];
  const COLORS = { blue: '#2563eb', green: '#16a34a', red: '#dc2626', orange: '#f59e0b', purple: '#7c3aed', slate: '#64748b' };

  function $(id) {
    return document.getElementById(id);
  }

  function setState(state) {
    document.body.dataset.state = state;
  }

  function showMessage(text, kind) {
    const box = $('message');
    box.textContent = text || '';
    box.hidden = !text;
    box.dataset.kind = kind || 'info';
  }

  function DashboardError(message, kind) {
    this.message = message;
    this.kind = kind;
  }

  function messageOf(body, status) {
    if (body && Array.isArray(body.message)) return body.message.join('; ');
    return (body && body.message) || 'Request failed (' + status + ')';
  }

  function isoDay(date) {
    return date.toISOString().slice(0, 10);
  }

  function defaultRange() {
    const now = new Date();
    const tomorrow = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + DAY_MS);
    $('to').value = isoDay(tomorrow);
    $('from').value = isoDay(new Date(tomorrow.getTime() - 28 * DAY_MS));
  }

  async function post(url, payload) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(payload),
    });
    const body = await response.json().catch(function () {
      return {};
    });
    return { response: response, body: body };
  }

  function tooMany(response) {
    const seconds = Number(response.headers.get('retry-after'));
    return seconds > 0 ? 'Too many attempts; try again in ' + seconds + ' seconds.' : 'Too many attempts; try again later.';
  }

  async function signIn(event) {
    event.preventDefault();
    showMessage('');
    const answer = await post(settings.loginUrl, { email: $('email').value, password: $('password').value });
    const response = answer.response;
    if (!response.ok) {
      if (response.status === 401) showMessage('Wrong email or password.', 'error');
      else showMessage(response.status === 429 ? tooMany(response) : messageOf(answer.body, response.status), 'error');
      return;
    }
    $('password').value = '';
    if (answer.body.mfaRequired) {
      askSecondFactor(answer.body);
      return;
    }
    token = answer.body.accessToken;
    await load();
  }

  /** auth-api's login challenge, waiting for a code; dropped once used, on start over and on sign out. */
  let challenge = null;
  let factorMethod = 'totp';

  /** Shows the method's field (and the way to the other one, when the account has it), and moves focus there. */
  function useFactor(method, methods) {
    factorMethod = method;
    $('totp-step').hidden = method !== 'totp';
    $('recovery-step').hidden = method !== 'recovery_code';
    $('use-recovery').hidden = method !== 'totp' || methods.indexOf('recovery_code') < 0;
    $('use-totp').hidden = method !== 'recovery_code' || methods.indexOf('totp') < 0;
    ['totp', 'recovery-code'].forEach(function (id) {
      $(id).value = '';
      $(id).removeAttribute('aria-invalid');
    });
    factorField().focus();
  }

  function factorField() {
    return $(factorMethod === 'totp' ? 'totp' : 'recovery-code');
  }

  /** Only the methods the answer lists; the proxy refuses an account whose only factor is a passkey. */
  function askSecondFactor(answer) {
    const methods = answer.methods || [];
    challenge = { value: answer.challenge, methods: methods };
    $('passkey-note').hidden = methods.indexOf('webauthn') < 0;
    setState('second-factor');
    useFactor(methods.indexOf('totp') >= 0 ? 'totp' : 'recovery_code', methods);
  }

  function startOver(message) {
    challenge = null;
    setState('signed-out');
    showMessage(message || '', message ? 'error' : 'info');
    $('password').focus();
  }

  function wrongFactor(message) {
    const field = factorField();
    field.value = '';
    field.setAttribute('aria-invalid', 'true');
    field.focus();
    showMessage(message, 'error');
  }

  async function verifySecondFactor(event) {
    event.preventDefault();
    if (!challenge) return startOver();
    showMessage('');
    const field = factorField();
    const value = field.value.replace(/\s+/g, '');
    if (factorMethod === 'totp' && !/^[0-9]{6}$/.test(value)) return wrongFactor('Enter the 6 digits your authenticator app shows.');
    if (factorMethod === 'recovery_code' && !value) return wrongFactor('Enter one of your recovery codes.');
    const payload = { challenge: challenge.value };
    payload[factorMethod === 'totp' ? 'totp' : 'recoveryCode'] = value;
    const answer = await post(settings.mfaUrl, payload);
    // Lets a test (or a tool) wait for each answer without timing it.
    document.body.dataset.attempts = String(Number(document.body.dataset.attempts || 0) + 1);
    const response = answer.response;
    const code = answer.body.code || '';
    if (response.ok) {
      challenge = null;
      field.value = '';
      token = answer.body.accessToken;
      await load();
      return;
    }
    if (response.status === 401) {
      return wrongFactor(
        factorMethod === 'totp'
          ? 'That code is not right, or it was used already; enter the current code from your authenticator app.'
          : 'That recovery code is not right, or it was used already.',
      );
    }
    if (response.status === 429) {
      showMessage(tooMany(response), 'error');
      return field.focus();
    }
    // The challenge is gone (expired, used, or the account changed): only the password brings a new one.
    if (response.status === 400 && code.indexOf('token_') === 0) {
      return startOver(
        code === 'token_expired'
          ? 'The second step timed out; sign in with your password again.'
          : 'This sign-in can no longer be finished; sign in with your password again.',
      );
    }
    wrongFactor(messageOf(answer.body, response.status));
  }

  function signOut() {
    token = null;
    challenge = null;
    Object.keys(charts).forEach(function (id) {
      charts[id].destroy();
      delete charts[id];
    });
    $('cohort-table').replaceChildren();
    $('funnels-table').replaceChildren();
    $('mfa-table').replaceChildren();
    showMessage('');
    setState('signed-out');
  }

  async function api(path, params) {
    const response = await fetch(settings.apiBase + '/' + path + '?' + new URLSearchParams(params), {
      headers: { authorization: 'Bearer ' + token, accept: 'application/json' },
    });
    const body = await response.json().catch(function () {
      return {};
    });
    // AUTH_REQUIRE_MFA_FOR_ADMINS: the server's message says how to enrol a factor and sign in with it.
    if (response.status === 403 && body.code === 'mfa_required') throw new DashboardError(messageOf(body, response.status), 'forbidden');
    if (response.status === 403) throw new DashboardError('admin role required: this account may not see analytics.', 'forbidden');
    if (response.status === 401) throw new DashboardError('Your session has ended; sign in again.', 'signed-out');
    if (!response.ok) throw new DashboardError(messageOf(body, response.status), 'error');
    return body;
  }

  function sum(values) {
    return values.reduce(function (a, b) {
      return a + b;
    }, 0);
  }

  function drawChart(id, type, labels, datasets, stacked) {
    if (charts[id]) charts[id].destroy();
    charts[id] = new window.Chart($(id), {
      type: type,
      data: { labels: labels, datasets: datasets },
      options: {
        animation: false,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        scales: { x: { stacked: !!stacked }, y: { stacked: !!stacked, beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  }

  function line(label, rows, color) {
    return {
      label: label,
      data: rows.map(function (r) {
        return r.count;
      }),
      borderColor: color,
      backgroundColor: color,
      tension: 0.2,
    };
  }

  function drawCohorts(answer) {
    const table = $('cohort-table');
    const offsets = answer.weeks;
    let head = '<tr><th>Cohort</th><th>Users</th>';
    for (let o = 0; o <= offsets; o++) head += '<th>W+' + o + '</th>';
    const rowsByCohort = {};
    const order = [];
    answer.rows.forEach(function (row) {
      if (!rowsByCohort[row.cohortWeek]) {
        rowsByCohort[row.cohortWeek] = [];
        order.push(row.cohortWeek);
      }
      rowsByCohort[row.cohortWeek].push(row);
    });
    table.innerHTML = '<thead>' + head + '</tr></thead>';
    const tbody = document.createElement('tbody');
    order.forEach(function (cohortWeek) {
      const cells = rowsByCohort[cohortWeek];
      const tr = document.createElement('tr');
      tr.dataset.cohort = cohortWeek;
      const th = document.createElement('th');
      th.textContent = cohortWeek;
      const size = document.createElement('td');
      size.textContent = String(cells[0].size);
      size.className = 'size';
      tr.append(th, size);
      for (let offset = 0; offset <= offsets; offset++) {
        const td = document.createElement('td');
        td.className = 'cell';
        const cell = cells[offset];
        if (cell) {
          td.dataset.offset = String(offset);
          td.dataset.active = String(cell.active);
          td.title = cell.active + ' of ' + cell.size + ' active in ' + cell.week;
          if (cell.share === null) {
            td.textContent = '–';
          } else {
            td.textContent = (cell.share * 100).toFixed(1) + '%';
            td.style.background = 'rgba(37, 99, 235, ' + (0.08 + 0.85 * cell.share).toFixed(3) + ')';
            if (cell.share > 0.5) td.style.color = '#fff';
          }
        }
        tr.append(td);
      }
      tbody.append(tr);
    });
    table.append(tbody);
  }

  /** A rate as a percentage, or an en dash when nothing started (the API's null). */
  function percent(rate) {
    return rate === null || rate === undefined ? '–' : (rate * 100).toFixed(1) + '%';
  }

  const FUNNEL_COLUMNS = [
    ['registered', 'Registered'],
    ['verified', 'Verified'],
    ['verificationRate', 'Verification rate', percent],
    ['invited', 'Invited'],
    ['accepted', 'Accepted'],
    ['acceptanceRate', 'Acceptance rate', percent],
    ['mailSent', 'Mails sent'],
    ['mailFailed', 'Mails failed'],
  ];

  function funnelCells(tr, figures) {
    FUNNEL_COLUMNS.forEach(function (column) {
      const td = document.createElement('td');
      td.dataset.column = column[0];
      td.textContent = column[2] ? column[2](figures[column[0]]) : String(figures[column[0]]);
      tr.append(td);
    });
  }

  /** Both funnels per bucket: grouped bars (started beside completed) and the table with the rates and a total row. */
  function drawFunnels(answer) {
    const labels = answer.rows.map(function (r) {
      return r.bucket;
    });
    const series = function (key, label, color, stack) {
      return {
        label: label,
        data: answer.rows.map(function (r) {
          return r[key];
        }),
        backgroundColor: color,
        stack: stack,
      };
    };
    drawChart('funnels-chart', 'bar', labels, [
      series('registered', 'Registered', '#93c5fd', 'registered'),
      series('verified', 'Verified', COLORS.blue, 'verified'),
      series('invited', 'Invited', '#c4b5fd', 'invited'),
      series('accepted', 'Accepted', COLORS.purple, 'accepted'),
    ]);

    const table = $('funnels-table');
    const head = document.createElement('tr');
    ['Bucket']
      .concat(
        FUNNEL_COLUMNS.map(function (column) {
          return column[1];
        }),
      )
      .forEach(function (text) {
        const th = document.createElement('th');
        th.textContent = text;
        head.append(th);
      });
    const thead = document.createElement('thead');
    thead.append(head);
    const tbody = document.createElement('tbody');
    answer.rows.forEach(function (row) {
      const tr = document.createElement('tr');
      tr.dataset.bucket = row.bucket;
      const th = document.createElement('th');
      th.textContent = row.bucket;
      tr.append(th);
      funnelCells(tr, row);
      tbody.append(tr);
    });
    const tfoot = document.createElement('tfoot');
    const total = document.createElement('tr');
    total.dataset.bucket = 'total';
    const label = document.createElement('th');
    label.textContent = 'Whole range';
    label.title = 'Distinct users over the whole range';
    total.append(label);
    funnelCells(total, answer.totals);
    tfoot.append(total);
    table.replaceChildren(thead, tbody, tfoot);
    $('funnels-total').textContent =
      percent(answer.totals.verificationRate) + ' verified · ' + percent(answer.totals.acceptanceRate) + ' of invitations accepted';
  }

  /** The API's rows, in its order: each factor type, then `any` (TOTP or a passkey). */
  const FACTOR_LABELS = {
    totp: 'Authenticator app (TOTP)',
    webauthn: 'Passkey (WebAuthn)',
    recovery_code: 'Recovery codes',
    any: 'Any second factor (TOTP or passkey)',
  };

  /** Shares as horizontal bars (0–100 %) beside a table of counts; the table is what a screen reader reads. */
  function drawMfa(answer) {
    const labels = answer.rows.map(function (r) {
      return FACTOR_LABELS[r.factor] || r.factor;
    });
    if (charts['mfa-chart']) charts['mfa-chart'].destroy();
    charts['mfa-chart'] = new window.Chart($('mfa-chart'), {
      type: 'bar',
      data: {
        labels: labels,
        datasets: [
          {
            label: 'Share of active users (%)',
            data: answer.rows.map(function (r) {
              return r.share === null ? 0 : Number((r.share * 100).toFixed(1));
            }),
            backgroundColor: answer.rows.map(function (r) {
              return r.factor === 'any' ? COLORS.blue : '#93c5fd';
            }),
          },
        ],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        indexAxis: 'y',
        plugins: { legend: { display: false } },
        scales: {
          x: {
            min: 0,
            max: 100,
            ticks: {
              callback: function (value) {
                return value + '%';
              },
            },
          },
        },
      },
    });

    const table = $('mfa-table');
    const head = document.createElement('tr');
    ['Factor', 'Users', 'Share'].forEach(function (text) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = text;
      head.append(th);
    });
    const thead = document.createElement('thead');
    thead.append(head);
    const tbody = document.createElement('tbody');
    answer.rows.forEach(function (row, i) {
      const tr = document.createElement('tr');
      tr.dataset.factor = row.factor;
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = labels[i];
      const users = document.createElement('td');
      users.dataset.column = 'users';
      users.textContent = String(row.users);
      const share = document.createElement('td');
      share.dataset.column = 'share';
      share.textContent = percent(row.share);
      tr.append(th, users, share);
      tbody.append(tr);
    });
    table.replaceChildren(thead, tbody);
    const any = answer.rows.filter(function (r) {
      return r.factor === 'any';
    })[0];
    $('mfa-total').textContent = answer.activeUsers + ' active users · ' + percent(any ? any.share : null) + ' with a second factor';
    const nobody = !answer.rows.some(function (r) {
      return r.users > 0;
    });
    $('mfa-scope').textContent =
      'Active users: status active, signed in since ' +
      answer.from +
      '; factors as enrolled today.' +
      (nobody ? ' Nobody has enrolled a second factor yet.' : '');
  }

  async function load(event) {
    if (event) event.preventDefault();
    if (!token) return;
    setState('loading');
    showMessage('');
    const range = { from: $('from').value, to: $('to').value };
    const interval = $('interval').value;
    const withInterval = { from: range.from, to: range.to, interval: interval };
    try {
      const answers = await Promise.all([
        api('signups', withInterval),
        api('active-users', withInterval),
        api('logins', withInterval),
        api('breakdown', { by: 'department', limit: '10' }),
        api('cohorts', { from: range.from, weeks: $('weeks').value }),
        api('funnels', withInterval),
        api('mfa-adoption', { from: range.from }),
      ]);
      setState('ready');
      const signups = answers[0],
        active = answers[1],
        logins = answers[2],
        departments = answers[3],
        cohorts = answers[4],
        funnels = answers[5],
        mfa = answers[6];
      const buckets = function (answer) {
        return answer.rows.map(function (r) {
          return r.bucket;
        });
      };

      drawChart('signups-chart', 'line', buckets(signups), [line('Signups', signups.rows, COLORS.blue)]);
      $('signups-total').textContent =
        'total ' +
        sum(
          signups.rows.map(function (r) {
            return r.count;
          }),
        );

      drawChart('active-chart', 'line', buckets(active), [line('Active users', active.rows, COLORS.green)]);
      $('active-total').textContent =
        'peak ' +
        Math.max.apply(
          null,
          active.rows
            .map(function (r) {
              return r.count;
            })
            .concat([0]),
        );

      const reasonColors = [COLORS.red, COLORS.orange, COLORS.purple];
      drawChart(
        'logins-chart',
        'bar',
        buckets(logins),
        [
          {
            label: 'Succeeded',
            data: logins.rows.map(function (r) {
              return r.succeeded;
            }),
            backgroundColor: COLORS.green,
            stack: 'logins',
          },
        ].concat(
          REASONS.map(function (reason, i) {
            return {
              label: 'Failed: ' + reason.replace('_', ' '),
              data: logins.rows.map(function (r) {
                return r.failedByReason[reason];
              }),
              backgroundColor: reasonColors[i],
              stack: 'logins',
            };
          }),
        ),
        true,
      );
      $('logins-total').textContent =
        sum(
          logins.rows.map(function (r) {
            return r.succeeded;
          }),
        ) +
        ' succeeded, ' +
        sum(
          logins.rows.map(function (r) {
            return r.failed;
          }),
        ) +
        ' failed';

      drawChart(
        'department-chart',
        'bar',
        departments.rows.map(function (r) {
          return r.key;
        }),
        [
          {
            label: 'Users',
            data: departments.rows.map(function (r) {
              return r.count;
            }),
            backgroundColor: COLORS.slate,
          },
        ],
      );
      $('department-total').textContent = departments.total + ' users';

      drawCohorts(cohorts);
      drawFunnels(funnels);
      drawMfa(mfa);
      $('generated-at').textContent = 'generated ' + signups.generatedAt;
      document.body.dataset.loadedAt = String(Date.now());
    } catch (error) {
      const problem =
        error instanceof DashboardError ? error : new DashboardError('Could not load the analytics: ' + error.message, 'error');
      if (problem.kind === 'forbidden' || problem.kind === 'signed-out') token = null;
      setState(problem.kind === 'error' ? 'ready' : problem.kind);
      showMessage(problem.message, problem.kind === 'forbidden' ? 'error' : 'info');
    }
  }

  defaultRange();
  $('sign-in').addEventListener('submit', signIn);
  $('second-factor').addEventListener('submit', verifySecondFactor);
  $('use-recovery').addEventListener('click', function () {
    useFactor('recovery_code', challenge ? challenge.methods : []);
  });
  $('use-totp').addEventListener('click', function () {
    useFactor('totp', challenge ? challenge.methods : []);
  });
  $('start-over').addEventListener('click', function () {
    startOver();
  });
  $('controls').addEventListener('submit', load);
  $('interval').addEventListener('change', load);
  $('sign-out').addEventListener('click', signOut);
})();
