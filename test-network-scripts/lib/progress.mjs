// @ts-check
/** Prints a step with the time since the command started. */
export function progress() {
  const start = process.hrtime.bigint();
  return (/** @type {string} */ message) => {
    const s = Number(process.hrtime.bigint() - start) / 1e9;
    console.log(`[${s.toFixed(2).padStart(6)} s] ${message}`);
  };
}
