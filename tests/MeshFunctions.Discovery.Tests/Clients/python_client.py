# Drives Discovery with Debian's python3-consul 0.7.1, unmodified. One JSON object per line on stdout.
# argv: port. The test answers "blocking" lines by changing upstream Consul.
import json
import sys

import consul

c = consul.Consul(host="127.0.0.1", port=int(sys.argv[1]))


def out(step, value):
    print(json.dumps({"step": step, "value": value}), flush=True)


def catalog(nodes):
    return sorted("%s:%s" % (n["ServiceAddress"] or n["Address"], n["ServicePort"]) for n in nodes)


def health(entries):
    return sorted("%s:%s" % (e["Service"]["Address"] or e["Node"]["Address"], e["Service"]["Port"]) for e in entries)


out("catalog-web", catalog(c.catalog.service("web")[1]))
out("catalog-db", catalog(c.catalog.service("db")[1]))
out("catalog-db-tag", catalog(c.catalog.service("db", tag="primary")[1]))
out("health-db-passing", health(c.health.service("db", passing=True)[1]))
out("health-web-passing", health(c.health.service("web", passing=True)[1]))
out("services", sorted(c.catalog.services()[1].keys()))
out("kv-put", c.kv.put("cfg/app", "on"))
out("kv-get", c.kv.get("cfg/app")[1]["Value"].decode())
out("kv-recurse", [i["Key"] for i in c.kv.get("cfg", recurse=True)[1]])
out("kv-keys", c.kv.get("cfg/", keys=True)[1])
out("kv-missing", c.kv.get("nope")[1])
out("register", c.agent.service.register("api", service_id="api-1", address="10.0.0.9", port=9000, tags=["x"]))
out("registered", catalog(c.catalog.service("api")[1]))
out("deregister", c.agent.service.deregister("api-1"))
out("deregistered", catalog(c.catalog.service("api")[1]))
out("leader", c.status.leader())
out("dc", c.agent.self()["Config"]["Datacenter"])
index, entries = c.health.service("db")
out("blocking", index)
index2, entries2 = c.health.service("db", index=index, wait="60s")
out("woke", {"index": int(index2), "before": int(index), "addresses": health(entries2)})
