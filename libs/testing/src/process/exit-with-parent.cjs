// Preload (`node --require <this file> main.js`) for a server started by a launcher: when the
// launcher dies, however it dies (kill -9 included), this process is re-parented, so its ppid
// changes; it then sends itself SIGTERM and drains like any service told to stop. Launchers
// (npm start, the bench, e2e helpers) start services with it, so no service outlives them.
// DIRECTORY_LAUNCHER_PID names the launcher: one killed before this file even loads is noticed too.
'use strict';

const launcher = Number(process.env.DIRECTORY_LAUNCHER_PID) || process.ppid;
const CHECK_MS = 500;

function check() {
  if (process.ppid === launcher) return;
  clearInterval(timer);
  process.kill(process.pid, 'SIGTERM');
}

const timer = setInterval(check, CHECK_MS);
// The watch must never be what keeps the service alive.
timer.unref();
