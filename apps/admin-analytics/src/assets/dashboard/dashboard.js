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

  async function signIn(event) {
    event.preventDefault();
    showMessage('');
    const response = await fetch(settings.loginUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ email: $('email').value, password: $('password').value }),
    });
    const body = await response.json().catch(function () {
      return {};
    });
    if (!response.ok) {
      showMessage(response.status === 401 ? 'Wrong email or password.' : messageOf(body, response.status), 'error');
      return;
    }
    token = body.accessToken;
    $('password').value = '';
    await load();
  }

  function signOut() {
    token = null;
    Object.keys(charts).forEach(function (id) {
      charts[id].destroy();
      delete charts[id];
    });
    $('cohort-table').replaceChildren();
    $('funnels-table').replaceChildren();
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
      ]);
      setState('ready');
      const signups = answers[0],
        active = answers[1],
        logins = answers[2],
        departments = answers[3],
        cohorts = answers[4],
        funnels = answers[5];
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
  $('controls').addEventListener('submit', load);
  $('interval').addEventListener('change', load);
  $('sign-out').addEventListener('click', signOut);
})();
