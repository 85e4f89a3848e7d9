/** A real pino logger whose lines are kept as parsed objects, for tests that read the log. */
import { createLogger, type Logger } from '../../src/telemetry/logger.js';

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface CapturedLog {
  logger: Logger;
  lines: LogLine[];
  /** Lines at pino's error level (50) or above. */
  errors(): LogLine[];
}

export function captureLog(level: 'debug' | 'info' | 'warn' = 'info'): CapturedLog {
  const lines: LogLine[] = [];
  const logger = createLogger(level, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  return { logger, lines, errors: () => lines.filter((line) => line.level >= 50) };
}
