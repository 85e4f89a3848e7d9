#!/usr/bin/env node
/**
 * `npm test` needs a Redis on 127.0.0.1:6379 (the shared-state tests talk to a real one, under a
 * random key prefix, and never flush it). This starts one when nothing answers there and
 * `redis-server` is installed, with the command the README gives (nothing written to disk);
 * otherwise it says plainly what to do. A Redis that already answers is left alone.
 *
 * Plain Node (no dependency): it runs before `npm ci` has necessarily built anything.
 */
import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';

const HOST = '127.0.0.1';
const PORT = 6379;
const START = ['--daemonize', 'yes', '--bind', '127.0.0.1', '-::1', '--port', String(PORT), '--save', '', '--appendonly', 'no'];

/** True when something on HOST:PORT answers PING with PONG. */
function answers(timeoutMs = 500) {
  return new Promise((resolve) => {
    const socket = connect({ host: HOST, port: PORT });
    let reply = '';
    const done = (ok) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
    socket.on('error', () => done(false));
  });
}

if (await answers()) process.exit(0);

const found = spawnSync('redis-server', ['--version'], { stdio: 'ignore' });
if (found.error || found.status !== 0) {
  console.error(
    [
      `ensure-redis: nothing answers on ${HOST}:${PORT} and redis-server is not installed.`,
      'The shared-state tests need a real Redis. Install it (Debian/Ubuntu: apt-get install redis-server) or start one:',
      `  redis-server ${START.map((arg) => (arg === '' ? '""' : arg)).join(' ')}`,
    ].join('\n'),
  );
  process.exit(1);
}

console.error(`ensure-redis: starting redis-server on ${HOST}:${PORT} (no persistence)`);
let started = spawnSync('redis-server', START, { stdio: 'inherit' });
if (started.status !== 0) {
  // A machine without IPv6 on loopback refuses `-::1`; IPv4 alone is enough for the tests.
  started = spawnSync('redis-server', START.filter((arg) => arg !== '-::1'), { stdio: 'inherit' });
}
for (let attempt = 0; attempt < 50; attempt += 1) {
  if (await answers()) process.exit(0);
  await new Promise((resolve) => setTimeout(resolve, 100));
}
console.error(`ensure-redis: redis-server was started but ${HOST}:${PORT} does not answer PING`);
process.exit(1);
