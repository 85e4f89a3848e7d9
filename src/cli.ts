#!/usr/bin/env node
/**
 * `deskgraph [--config FILE] [--port N] [--host H]` (CONTRACT §5). With a config file it serves
 * real vendors; without one it starts the demo: the five vendor simulators on loopback and the
 * gateway wired to them. SIGTERM/SIGINT drain in-flight requests, then exit 0.
 *
 * stdout carries the human lines (the URL when ready); structured logs go to stderr.
 */
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { ConfigError, loadConfigFile } from './config/load.js';
import type { DeskGraphConfig } from './config/schema.js';
import { LOOPBACK_HOSTS, startDemo, type Demo } from './demo.js';
import { createGateway } from './server/gateway.js';
import { createLogger } from './telemetry/logger.js';
import { startTracing, TracingConfigError, type Tracing } from './telemetry/tracing.js';

const USAGE = `Usage: deskgraph [--config FILE] [--port N] [--host HOST]

  --config FILE   serve the providers of FILE (YAML or JSON, \${VAR} from the environment)
                  without it: the demo (vendor simulators on loopback + gateway)
  --port N        listen on N (also PORT in the environment; default: server.port, 4000)
  --host HOST     listen on HOST (default: server.host, 0.0.0.0; the demo uses 127.0.0.1)
  --help          this text`;

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        config: { type: 'string', short: 'c' },
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (error) {
    console.error(`deskgraph: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }

  const portText = args.port ?? process.env['PORT'];
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65_535)) {
    console.error(`deskgraph: port must be a whole number from 0 to 65535, not ${JSON.stringify(portText)}`);
    return 2;
  }

  let config: DeskGraphConfig;
  let demo: Demo | undefined;
  // Logged once the logger exists (its level comes from the file).
  const warnings: string[] = [];
  try {
    if (args.config) {
      config = await loadConfigFile(args.config, process.env, { onWarning: (message) => warnings.push(message) });
    } else {
      demo = await startDemo({ loopbackOnly: args.host === undefined || LOOPBACK_HOSTS.includes(args.host) || args.host === '::1' });
      config = demo.config;
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }

  // OpenTelemetry, as its OTEL_* variables say (off when none is set).
  let tracing: Tracing | undefined;
  try {
    tracing = await startTracing();
  } catch (error) {
    if (!(error instanceof TracingConfigError)) throw error;
    console.error(`deskgraph: ${error.message}`);
    await demo?.close();
    return 1;
  }

  const logger = createLogger(config.log.level, pino.destination(2));
  for (const warning of warnings) logger.warn(warning);
  if (tracing) logger.info('OpenTelemetry tracing is on (OTEL_* environment variables)');
  if (demo) logger.info({ simulators: demo.urls }, 'demo vendor simulators started');
  // Handlers go in before the ready line: a supervisor may signal as soon as it reads it, and
  // a SIGTERM with no handler yet would kill the process instead of draining it.
  const stopRequested = new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, 'draining and shutting down');
      resolve();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  const gateway = createGateway({ config, logger, defaultQuery: demo?.defaultQuery, tracing: tracing !== undefined });
  let url: string;
  try {
    url = await gateway.listen(port ?? config.server.port, args.host ?? (demo ? '127.0.0.1' : config.server.host));
  } catch (error) {
    console.error(`deskgraph: cannot listen: ${(error as Error).message}`);
    await gateway.close(0);
    await demo?.close();
    await tracing?.shutdown();
    return 1;
  }
  console.log(`DeskGraph ${demo ? 'demo ' : ''}ready at ${url}`);
  if (demo) console.log(`Open ${url} in a browser for GraphiQL.`);

  await stopRequested;
  await gateway.close();
  await demo?.close();
  // Exports the spans still buffered before the process ends.
  await tracing?.shutdown();
  logger.info('stopped');
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error('deskgraph: fatal:', error);
    process.exitCode = 1;
  },
);
