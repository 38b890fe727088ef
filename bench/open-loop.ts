/**
 * Open-loop load at a constant rate: request i is sent at its due time start + i / rate whether or not earlier
 * ones have answered, and its latency counts from that due time. A stall of the server (or of this sender)
 * therefore shows in the percentiles as the requests it delayed, instead of silently lowering the rate as a
 * closed loop does (autocannon's `overallRate` also sends each second's quota in one burst).
 */
import http from 'node:http';

export interface OpenLoopResult {
  /** Requests due in the run (rate × duration); every one was sent. */
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Largest delay between a request's due time and its actual send, in ms: the sender's own lag. */
  sendLag: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

export async function openLoop(options: {
  url: string;
  headers: Record<string, string>;
  rate: number;
  durationSeconds: number;
}): Promise<OpenLoopResult> {
  const target = new URL(options.url);
  // Enough sockets that requests never queue in the sender: a slow server gets more connections, not fewer sends.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });
  const total = Math.round(options.rate * options.durationSeconds);
  const interval = 1000 / options.rate;
  const latencies: number[] = [];
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let sendLag = 0;
  const inFlight: Promise<void>[] = [];
  const send = (due: number) =>
    new Promise<void>((resolve) => {
      sendLag = Math.max(sendLag, performance.now() - due);
      const req = http.request(target, { method: 'GET', headers: options.headers, agent }, (res) => {
        res.resume();
        res.on('end', () => {
          latencies.push(performance.now() - due);
          if (res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300) ok += 1;
          else non2xx += 1;
          resolve();
        });
      });
      req.on('error', () => {
        errors += 1;
        resolve();
      });
      req.end();
    });
  const start = performance.now() + 50;
  for (let i = 0; i < total; i += 1) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(send(due));
  }
  await Promise.all(inFlight);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    sent: total,
    ok,
    non2xx,
    errors,
    p50: round(percentile(latencies, 50)),
    p90: round(percentile(latencies, 90)),
    p99: round(percentile(latencies, 99)),
    max: round(latencies.at(-1) ?? NaN),
    sendLag: round(sendLag),
  };
}
