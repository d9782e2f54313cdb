// The import structure `npm run lint` enforces (docs/architecture.md draws it): no import circles anywhere,
// and every dependency points down the layers. A new upward import or circle fails lint with the rule's name.
const SERVER = "^packages/server/src/";
const SDK = "^packages/plugin-sdk/src/";

/** `from` may not import `to`: one rule per forbidden direction, named after what it protects. */
const layer = (name, comment, from, to) => ({
  name,
  comment,
  severity: "error",
  from: { path: from },
  to: { path: to },
});

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "An import circle: split the shared piece into its own module or pass it in as an interface.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    // packages/server: entry (host.ts, index.ts, cli/) → composition/ → http/ → plugins/ → agents/ → domain/ → foundation.
    layer(
      "server-foundation-stays-at-the-bottom",
      "db/, schema/, errors.ts, json-values.ts and version.ts are used by every layer and use none of them.",
      `${SERVER}(db/|schema/|errors\\.ts|json-values\\.ts|version\\.ts)`,
      `${SERVER}(domain|agents|plugins|http|composition|cli)/|${SERVER}(host|index|config)\\.ts`,
    ),
    layer(
      "domain-below-plugins-and-http",
      "Domain services know nothing of agent execution, plugins, HTTP or wiring: those call the domain, not the reverse.",
      `${SERVER}domain/`,
      `${SERVER}(agents|plugins|http|composition|cli)/|${SERVER}(host|index)\\.ts`,
    ),
    layer(
      "agents-below-plugins-and-http",
      "Agent execution (adapters, run executor, run events) runs on the domain; plugins and routes use it, never the reverse.",
      `${SERVER}agents/`,
      `${SERVER}(plugins|http|composition|cli)/|${SERVER}(host|index)\\.ts`,
    ),
    layer(
      "plugins-below-http",
      "The plugin runtime and its services are HTTP-agnostic: plugin routes live in http/plugins/ and call down.",
      `${SERVER}plugins/`,
      `${SERVER}(http|composition|cli)/|${SERVER}(host|index)\\.ts`,
    ),
    layer(
      "http-below-composition",
      "Routes receive what they need as interfaces; only the composition root and the entry know every subsystem.",
      `${SERVER}http/`,
      `${SERVER}(composition|cli)/|${SERVER}(host|index)\\.ts`,
    ),
    layer(
      "composition-below-entry",
      "The composition root is wired by the entry points, never the reverse.",
      `${SERVER}composition/`,
      `${SERVER}cli/|${SERVER}(host|index)\\.ts`,
    ),
    layer(
      "runtime-core-below-features",
      "The runtime core (supervisor, registry, lifecycle, runtime, stores) does not depend on the features built on it; host services, the worker-facing adapter of every namespace, may.",
      `${SERVER}plugins/(supervisor|registry|lifecycle|runtime|config|secrets|state|logs|database|managed)/`,
      `${SERVER}plugins/(jobs|webhooks|events|streams|tools|ui|bridge|api-routes)/`,
    ),
    // packages/plugin-sdk: protocol and types at the bottom; the worker runtime, the testing harness and the UI
    // half above them, independent of each other.
    layer(
      "sdk-protocol-and-types-at-the-bottom",
      "The wire contract and published types depend on nothing else in the SDK (types/index.ts is the `/types` entry point, which also re-exports the manifest validator as the published SDK does).",
      `${SDK}(protocol/|types/(?!index\\.ts))`,
      `${SDK}(worker|testing|ui|host-client|manifest|webhooks)/`,
    ),
    layer(
      "sdk-worker-without-ui",
      "The worker runtime never loads the browser half, and the UI half never loads the worker.",
      `${SDK}worker/`,
      `${SDK}ui/`,
    ),
    layer(
      "sdk-ui-without-worker",
      "The UI half runs in the browser.",
      `${SDK}ui/`,
      `${SDK}(worker|testing)/`,
    ),
    // Packages: the SDK stands alone; the board and the examples talk to the host over HTTP only.
    layer(
      "sdk-stands-alone",
      "The SDK is published on its own.",
      "^packages/plugin-sdk/",
      "^packages/(server|web)/|^examples/",
    ),
    layer(
      "board-over-http-only",
      "The board reaches the host over HTTP.",
      "^packages/web/",
      "^packages/server/",
    ),
    layer(
      "examples-use-the-sdk-only",
      "Examples are plugins like any other.",
      "^examples/",
      "^packages/(server|web)/",
    ),
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(dist|node_modules)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.base.json" },
    enhancedResolveOptions: { extensions: [".ts", ".tsx", ".js", ".mjs"] },
  },
};
