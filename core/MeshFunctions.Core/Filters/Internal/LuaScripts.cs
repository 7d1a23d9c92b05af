namespace MeshFunctions.Core.Filters.Internal;

/// <summary>
/// The Lua code of the Host passthrough pair. Inputs are validated header and DNS names, so embedding them in
/// string literals is safe. Envoy's Lua filter clears the route cache when headers change, so the rewritten
/// <c>:authority</c> is what routing sees.
/// </summary>
internal static class LuaScripts
{
    public static string Outbound(string header, string service, string ns, string fqdn)
    {
        var h = header.ToLowerInvariant();
        return $$"""
            -- MeshFunctions host passthrough (outbound): keep the caller's Host in {{h}}, route by the service host.
            local known = { ["{{service}}"] = true, ["{{service}}.{{ns}}"] = true, ["{{service}}.{{ns}}.svc"] = true, ["{{fqdn}}"] = true }
            function envoy_on_request(handle)
              local headers = handle:headers()
              local authority = headers:get(":authority")
              if authority == nil then
                return
              end
              local name = string.match(authority, "^([^:]+)") or authority
              if known[name] then
                return
              end
              if headers:get("{{h}}") == nil then
                headers:add("{{h}}", authority)
              end
              headers:replace(":authority", "{{fqdn}}")
            end

            """;
    }

    public static string Inbound(string header)
    {
        var h = header.ToLowerInvariant();
        return $$"""
            -- MeshFunctions host passthrough (inbound): restore the Host the caller used, kept in {{h}}.
            function envoy_on_request(handle)
              local headers = handle:headers()
              local original = headers:get("{{h}}")
              if original ~= nil then
                headers:replace(":authority", original)
                headers:remove("{{h}}")
              end
            end

            """;
    }
}
