// The frame reads back the plugin stream URL the board's stream client builds (`pluginStreamUrl`), to ask the
// board for that stream by its parts; the board builds the URL again from the parts it checked.

/** What `pluginStreamUrl` encoded: the stream to ask the board for. */
export function parseStreamUrl(url: string): {
  pluginId: string;
  channel: string;
  companyId: string | null;
  lastEventId: string | null;
} {
  const parsed = new URL(url, "http://frame.invalid");
  const match = /^\/api\/plugins\/([^/]+)\/bridge\/stream\/([^/]+)$/.exec(parsed.pathname);
  if (!match) throw new Error(`Not a plugin stream URL: ${url}`);
  return {
    pluginId: decodeURIComponent(match[1]!),
    channel: decodeURIComponent(match[2]!),
    companyId: parsed.searchParams.get("companyId"),
    lastEventId: parsed.searchParams.get("lastEventId"),
  };
}
