// The HTTP load client the bridge benches share: JSON POSTs over keep-alive, sequential with one request in flight.
import http from "node:http";
import { performance } from "node:perf_hooks";
import { percentile } from "./lib.mjs";

/** POST a JSON body; resolves with the response text on a 2xx status, rejects with the status and body otherwise. */
export function post(agent, url, body) {
  return new Promise((resolve, reject) => {
    const request = http.request(url, {
      method: "POST",
      agent,
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
    });
    request.on("response", (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => {
        text += chunk;
      });
      response.on("end", () =>
        response.statusCode >= 200 && response.statusCode < 300
          ? resolve(text)
          : reject(new Error(`${response.statusCode} ${text}`)),
      );
    });
    request.on("error", reject);
    request.end(body);
  });
}

/** `count` sequential POSTs on one keep-alive connection after a warm-up; p50 and p99 in ms. */
export async function sequential({ url, body, count, warmup = 500 }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  for (let i = 0; i < Math.min(warmup, count); i++) await post(agent, url, body);
  const samples = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await post(agent, url, body);
    samples[i] = performance.now() - started;
  }
  agent.destroy();
  samples.sort();
  return { p50Ms: percentile(samples, 50), p99Ms: percentile(samples, 99) };
}
