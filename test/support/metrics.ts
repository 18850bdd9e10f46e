/** Reading GET /metrics in tests: one sample of the Prometheus text exposition. */

/** The value of the sample `name{labels}` (labels exactly as exposed) in a Prometheus text exposition, or undefined when absent. */
export function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** GET /metrics of the server at `origin` (from loopback, no token): the exposition text. */
export async function scrape(origin: string): Promise<string> {
  const response = await fetch(`${origin}/metrics`);
  if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}`);
  return response.text();
}
