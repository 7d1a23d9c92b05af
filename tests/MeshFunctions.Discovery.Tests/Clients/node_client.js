// Drives Discovery with npm's consul 2.0.1, unmodified. One JSON object per line on stdout.
// argv: module path, port. The test answers the "blocking" line by changing upstream Consul.
const Consul = require(process.argv[2]);
const consul = new Consul({ host: "127.0.0.1", port: Number(process.argv[3]), defaults: { token: "node-token" } });

const out = (step, value) => process.stdout.write(JSON.stringify({ step, value }) + "\n");
const catalog = (nodes) => nodes.map((n) => `${n.ServiceAddress || n.Address}:${n.ServicePort}`).sort();
const health = (entries) => entries.map((e) => `${e.Service.Address || e.Node.Address}:${e.Service.Port}`).sort();

(async () => {
  out("catalog-web", catalog(await consul.catalog.service.nodes("web")));
  out("catalog-db", catalog(await consul.catalog.service.nodes("db")));
  out("catalog-db-tag", catalog(await consul.catalog.service.nodes({ service: "db", tag: "primary" })));
  out("health-db-passing", health(await consul.health.service({ service: "db", passing: true })));
  out("health-web-passing", health(await consul.health.service({ service: "web", passing: true })));
  out("services", Object.keys(await consul.catalog.service.list()).sort());
  out("kv-put", await consul.kv.set("cfg/node", "yes"));
  out("kv-get", (await consul.kv.get("cfg/node")).Value);
  out("kv-recurse", (await consul.kv.get({ key: "cfg", recurse: true })).map((i) => i.Key));
  out("kv-missing", (await consul.kv.get("nope")) === undefined ? null : "present");
  await consul.agent.service.register({ name: "api", id: "api-2", address: "10.0.0.10", port: 9001 });
  out("registered", catalog(await consul.catalog.service.nodes("api")));
  await consul.agent.service.deregister("api-2");
  out("deregistered", catalog(await consul.catalog.service.nodes("api")));
  out("leader", await consul.status.leader());
  out("dc", (await consul.agent.self()).Config.Datacenter);

  let changes = 0;
  const watch = consul.watch({ method: consul.health.service, options: { service: "db", wait: "30s" } });
  watch.on("change", (data, res) => {
    changes++;
    const index = Number(res.headers["x-consul-index"]);
    if (changes === 1) {
      out("blocking", index);
    } else {
      out("woke", { index, addresses: health(data) });
      watch.end();
    }
  });
  watch.on("error", (err) => {
    out("error", String(err));
    watch.end();
  });
})().catch((err) => {
  out("error", String(err && err.stack ? err.stack : err));
  process.exit(1);
});
