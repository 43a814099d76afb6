/** How the report writes figures: counts with separators, durations, ratios and sizes. */
export const count = (n: number) => n.toLocaleString('en-US');
export const seconds = (ms: number) =>
  ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 1000).toFixed(2)} s`;
export const micros = (ms: number) => `${(ms * 1000).toFixed(0)} µs`;
export const ratio = (value: number) => `${value.toFixed(value >= 10 ? 1 : 2)}×`;
export const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
export const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
