import { Shim } from 'fabric-shim';

interface LevelledLogger {
  level: string;
  levels: Record<string, number>;
  write(info: unknown): boolean;
}

const GATED = Symbol.for('adrecon.logLevelGate');

function isLevelledPrototype(value: unknown): value is LevelledLogger & Record<symbol, unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { write?: unknown }).write === 'function';
}

/**
 * Drops a log message of a level the logger does not record before it is formatted, for every logger of
 * fabric-shim and fabric-contract-api (one winston instance, one `Logger` prototype). winston 3 formats every message
 * (timestamp, metadata, colours, padding) and only its transport then drops those below the level, so the shim's
 * `debug` lines of every message to and from the peer cost about 12 % of a chaincode server's CPU while a delivery
 * report batch ran (docs/benchmarks.md); after this, what is written is unchanged.
 */
export function gateDisabledLogLevels(): void {
  const logger: unknown = Shim.newLogger('adrecon');
  const base: unknown = Object.getPrototypeOf(Object.getPrototypeOf(logger));
  if (!isLevelledPrototype(base) || base[GATED] === true) return;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called with the logger as `this` below
  const write = base.write;
  base.write = function gatedWrite(this: LevelledLogger, info: unknown): boolean {
    const level = (info as { level?: unknown } | null)?.level;
    const rank = typeof level === 'string' ? this.levels[level] : undefined;
    const limit = this.levels[this.level];
    if (rank !== undefined && limit !== undefined && rank > limit) return true;
    return write.call(this, info);
  };
  base[GATED] = true;
}
