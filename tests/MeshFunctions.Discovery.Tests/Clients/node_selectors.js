// npm's consul 2.0.1, unmodified: the same filter / node-meta / near queries for the mesh target "web", asked once
// as a mesh caller (127.0.0.1) and once as a legacy caller (source 127.0.0.3). One JSON object per line on stdout.
// argv: module path, port.
const http = require("http");
const Consul = require(process.argv[2]);
const port = Number(process.argv[3]);
const mesh = new Consul({ host: "127.0.0.1", port });
const legacy = new Consul({ host: "127.0.0.1", port, agent: new http.Agent({ localAddress: "127.0.0.3" }) });

const out = (step, value) => process.stdout.write(JSON.stringify({ step, value }) + "\n");
const catalog = (nodes) => nodes.map((n) => `${n.ServiceAddress || n.Address}:${n.ServicePort} ${n.ServiceTags.join(",")}`).sort();
const health = (entries) => entries.map((e) => `${e.Service.Address || e.Node.Address}:${e.Service.Port} ${e.Service.Tags.join(",")}`).sort();
const attempt = async (call, shape) => {
  try {
    return shape(await call());
  } catch (err) {
    return { status: err.statusCode, message: String(err.message) };
  }
};

const queries = {
  "catalog-filter": [(c) => c.catalog.service.nodes({ service: "web", filter: 'ServiceTags not contains "v2"' }), catalog],
  "catalog-filter-none": [(c) => c.catalog.service.nodes({ service: "web", filter: 'ServiceTags contains "v9"' }), catalog],
  "health-filter": [(c) => c.health.service({ service: "web", filter: 'Service.Tags contains "v2" and Service.Port == 8080' }), health],
  "catalog-node-meta": [(c) => c.catalog.service.nodes({ service: "web", "node-meta": ["consul-network-segment:"] }), catalog],
  "catalog-node-meta-none": [(c) => c.catalog.service.nodes({ service: "web", "node-meta": ["rack:r1"] }), catalog],
  "catalog-near": [(c) => c.catalog.service.nodes({ service: "web", near: "_agent" }), catalog],
  "catalog-filter-bad": [(c) => c.catalog.service.nodes({ service: "web", filter: "ServiceTags contains" }), catalog],
  "health-filter-bad": [(c) => c.health.service({ service: "web", filter: 'Service.Port = "8080"' }), health],
};

(async () => {
  for (const [step, [call, shape]] of Object.entries(queries)) {
    out(step, { mesh: await attempt(() => call(mesh), shape), legacy: await attempt(() => call(legacy), shape) });
  }

  out("done", true);
})().catch((err) => {
  out("error", String(err && err.stack ? err.stack : err));
  process.exit(1);
});
