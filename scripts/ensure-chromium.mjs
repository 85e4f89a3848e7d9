#!/usr/bin/env node
/**
 * Pretest: makes sure Debian's Chromium is at /usr/bin/chromium, which test/browser drives
 * through playwright-core (the project never downloads a browser build of its own: only Debian's
 * package is reachable from the machines it runs on). When it is missing and the machine allows
 * it (root, or password-less sudo, and apt-get), it installs it with `apt-get update && apt-get
 * install -y chromium`; otherwise it says what to run and exits 1, so `npm test` stops before a
 * browser test that could only fail.
 *
 * Plain Node (no TypeScript, no dependencies) because it runs before the build and on a machine
 * where nothing else may be ready yet. `CHROMIUM` overrides the path checked (for this script's
 * own test); the browser test itself always uses /usr/bin/chromium.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const INSTALL = 'apt-get update && apt-get install -y chromium';

const say = (line) => process.stderr.write(`ensure-chromium: ${line}\n`);

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && executable(join(dir, name)));
}

/** Runs a command with the terminal's output; true when it exited 0. */
function run(command, args) {
  const result = spawnSync(command, args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return result.status === 0;
}

/** How to run apt-get as root here: directly, through `sudo -n`, or not at all (a reason). */
function asRoot() {
  if (process.platform !== 'linux') return { reason: `this is ${process.platform}, not a Debian or Ubuntu machine` };
  if (!onPath('apt-get')) return { reason: 'apt-get is not available (not a Debian or Ubuntu machine)' };
  if (process.getuid?.() === 0) return { prefix: [] };
  if (onPath('sudo') && run('sudo', ['-n', 'true'])) return { prefix: ['sudo', '-n'] };
  return { reason: 'installing needs root, and sudo -n (without a password) is not allowed here' };
}

function fail(reason) {
  say(`Chromium is not installed at ${CHROMIUM}, and cannot be installed automatically: ${reason}.`);
  say(`test/browser drives Debian's chromium package. Install it, then run npm test again:`);
  say(`  sudo sh -c '${INSTALL}'`);
  process.exit(1);
}

if (executable(CHROMIUM)) process.exit(0);

const root = asRoot();
if (root.reason) fail(root.reason);

say(`Chromium is not installed at ${CHROMIUM}: installing Debian's chromium package (${INSTALL}).`);
const [command, ...prefix] = [...root.prefix, 'apt-get'];
const apt = (...args) => run(command, [...prefix, ...args]);
if (!apt('update', '-qq')) fail('apt-get update failed (see above)');
if (!apt('install', '-y', '-qq', 'chromium')) fail('apt-get install chromium failed (see above)');
if (!executable(CHROMIUM)) fail(`apt-get installed chromium, but ${CHROMIUM} is still missing`);
say(`installed ${CHROMIUM}.`);
