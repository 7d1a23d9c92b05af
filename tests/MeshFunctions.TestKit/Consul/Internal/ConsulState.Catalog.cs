namespace MeshFunctions.TestKit.Consul.Internal;

/// <summary>Catalog and health: nodes, service instances and checks.</summary>
internal sealed partial class ConsulState
{
    /// <summary>Registers a node (with a passing <c>serfHealth</c> check, as every agent node has) unless it exists with that address.</summary>
    public void EnsureNode(string node, string address)
    {
        lock (_gate)
        {
            if (NodeUnchanged(node, address))
            {
                return;
            }

            PutNode(node, address, NextIndex());
            SignalChange();
        }
    }

    /// <summary>Adds or replaces a service instance and its checks (replacing the instance's old checks).</summary>
    public void RegisterService(string node, ConsulServiceRegistration registration)
    {
        lock (_gate)
        {
            if (!_nodes.ContainsKey(node))
            {
                throw new InvalidOperationException($"node '{node}' is not registered");
            }

            var checks = BuildChecks(node, registration.Id ?? registration.Name, registration);
            if (ServiceUnchanged(node, registration, checks))
            {
                // Consul skips unchanged re-registrations (agent anti-entropy), so the index does not move.
                return;
            }

            PutService(node, registration, checks, NextIndex());
            SignalChange();
        }
    }

    /// <summary>
    /// The node (created with its <c>serfHealth</c> check if new, or given a new address) and the service instance in one
    /// write, as <c>/v1/catalog/register</c> commits them: one index, one wake of blocked queries, so a watcher never sees
    /// the node without the instance. Nothing moves when neither changed.
    /// </summary>
    public void RegisterNodeAndService(string node, string address, ConsulServiceRegistration registration)
    {
        lock (_gate)
        {
            var checks = BuildChecks(node, registration.Id ?? registration.Name, registration);
            var nodeUnchanged = NodeUnchanged(node, address);
            if (nodeUnchanged && ServiceUnchanged(node, registration, checks))
            {
                return;
            }

            var index = NextIndex();
            if (!nodeUnchanged)
            {
                PutNode(node, address, index);
            }

            PutService(node, registration, checks, index);
            SignalChange();
        }
    }

    private bool NodeUnchanged(string node, string address) => _nodes.TryGetValue(node, out var existing) && existing.Address == address;

    private void PutNode(string node, string address, ulong index)
    {
        _nodes.TryGetValue(node, out var existing);
        var meta = new Dictionary<string, string> { ["consul-network-segment"] = string.Empty, ["consul-version"] = Version };
        _nodes[node] = new NodeEntry(NodeIdFor(node), node, address, meta, existing?.CreateIndex ?? index, index);
        _nodesTableIndex = index;
        if (existing is null)
        {
            _checks[(node, "serfHealth")] = new CheckEntry(node, "serfHealth", "Serf Health Status", ConsulHealth.Passing,
                string.Empty, "Agent alive and reachable", string.Empty, string.Empty, [], string.Empty, string.Empty,
                string.Empty, index, index);
            _checksTableIndex = index;
        }

        TouchServicesOfNode(node, index);
    }

    private bool ServiceUnchanged(string node, ConsulServiceRegistration registration, List<CheckEntry> checks)
    {
        var id = registration.Id ?? registration.Name;
        return _services.TryGetValue((node, id), out var existing) && SameService(existing, registration) && SameChecks(node, id, checks);
    }

    private void PutService(string node, ConsulServiceRegistration registration, List<CheckEntry> checks, ulong index)
    {
        var id = registration.Id ?? registration.Name;
        _services.TryGetValue((node, id), out var existing);
        if (existing is not null && !string.Equals(existing.Name, registration.Name, StringComparison.OrdinalIgnoreCase))
        {
            _serviceIndexes[existing.Name] = index;
        }

        _services[(node, id)] = new ServiceEntry(node, id, registration.Name, [.. registration.Tags], registration.Address,
            registration.Port, registration.Meta is null ? null : new Dictionary<string, string>(registration.Meta),
            registration.PassingWeight, registration.WarningWeight, existing?.CreateIndex ?? index, index);
        foreach (var key in _checks.Keys.Where(k => k.Node == node && _checks[k].ServiceId == id).ToList())
        {
            _checks.Remove(key);
        }

        foreach (var check in checks)
        {
            _checks[(node, check.CheckId)] = check with { CreateIndex = index, ModifyIndex = index };
        }

        _servicesTableIndex = index;
        _checksTableIndex = index;
        _serviceIndexes[registration.Name] = index;
    }

    /// <summary>Removes an instance and its checks; false when unknown (a no-op, as in Consul).</summary>
    public bool DeregisterService(string node, string serviceId)
    {
        lock (_gate)
        {
            if (!_services.Remove((node, serviceId), out var removed))
            {
                return false;
            }

            var index = NextIndex();
            foreach (var key in _checks.Keys.Where(k => k.Node == node && _checks[k].ServiceId == serviceId).ToList())
            {
                _checks.Remove(key);
            }

            _servicesTableIndex = index;
            _checksTableIndex = index;
            if (_services.Values.Any(s => string.Equals(s.Name, removed.Name, StringComparison.OrdinalIgnoreCase)))
            {
                _serviceIndexes[removed.Name] = index;
            }
            else
            {
                // Consul drops the per-service index with the last instance; reads fall back to the table index.
                _serviceIndexes.Remove(removed.Name);
            }

            SignalChange();
            return true;
        }
    }

    /// <summary>Changes a check's status; a no-op (no index move) when nothing changes.</summary>
    public void SetCheckStatus(string node, string checkId, string status, string? output)
    {
        lock (_gate)
        {
            if (!_checks.TryGetValue((node, checkId), out var check))
            {
                var known = string.Join(", ", _checks.Keys.Where(k => k.Node == node).Select(k => k.CheckId));
                throw new KeyNotFoundException($"check '{checkId}' is not registered on node '{node}' (known: {known})");
            }

            var newOutput = output ?? check.Output;
            if (check.Status == status && check.Output == newOutput)
            {
                return;
            }

            var index = NextIndex();
            _checks[(node, checkId)] = check with { Status = status, Output = newOutput, ModifyIndex = index };
            _checksTableIndex = index;
            if (check.ServiceId.Length == 0)
            {
                TouchServicesOfNode(node, index);
            }
            else if (_services.TryGetValue((node, check.ServiceId), out var service))
            {
                _serviceIndexes[service.Name] = index;
            }

            SignalChange();
        }
    }

    /// <summary>Service name → union of its tags (sorted; real Consul's order is random).</summary>
    public SortedDictionary<string, List<string>> ServiceNames()
    {
        var result = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var group in _services.Values.GroupBy(s => s.Name, StringComparer.Ordinal))
        {
            result[group.Key] = [.. group.SelectMany(s => s.Tags).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        }

        return result;
    }

    /// <summary>Index of <c>/v1/catalog/services</c>: the nodes and services tables.</summary>
    public ulong CatalogIndex() => AtLeastOne(Math.Max(_nodesTableIndex, _servicesTableIndex));

    /// <summary>Per-service index, or the table index when the service does not exist (Consul's <c>maxIndexForService</c>).</summary>
    public ulong ServiceIndex(string name, bool includeChecks)
    {
        if (_serviceIndexes.TryGetValue(name, out var index))
        {
            return index;
        }

        var table = Math.Max(_nodesTableIndex, _servicesTableIndex);
        return AtLeastOne(includeChecks ? Math.Max(table, _checksTableIndex) : table);
    }

    /// <summary>Every instance of a service with its node and the checks that apply (node checks first), in registration order.</summary>
    public List<ServiceInstance> Instances(string name)
    {
        var result = new List<ServiceInstance>();
        foreach (var service in _services.Values
                     .Where(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
                     .OrderBy(s => s.Node, StringComparer.Ordinal)
                     .ThenBy(s => s.Id, StringComparer.Ordinal))
        {
            var checks = _checks.Values
                .Where(c => c.Node == service.Node && (c.ServiceId.Length == 0 || c.ServiceId == service.Id))
                .OrderBy(c => c.ServiceId.Length == 0 ? 0 : 1)
                .ThenBy(c => c.CheckId, StringComparer.Ordinal)
                .ToList();
            result.Add(new ServiceInstance(_nodes[service.Node], service, checks));
        }

        return result;
    }

    private static List<CheckEntry> BuildChecks(string node, string id, ConsulServiceRegistration registration)
    {
        var result = new List<CheckEntry>();
        for (var i = 0; i < registration.Checks.Count; i++)
        {
            var check = registration.Checks[i];
            var checkId = check.CheckId ?? (registration.Checks.Count == 1 ? $"service:{id}" : $"service:{id}:{i + 1}");
            result.Add(new CheckEntry(node, checkId, check.Name ?? $"Service '{registration.Name}' check", check.Status,
                check.Notes, check.Output, id, registration.Name, [.. registration.Tags], check.Type, check.Interval,
                check.Timeout, 0, 0));
        }

        return result;
    }

    private static bool SameService(ServiceEntry existing, ConsulServiceRegistration registration) =>
        existing.Name == registration.Name
        && existing.Tags.SequenceEqual(registration.Tags)
        && existing.Address == registration.Address
        && existing.Port == registration.Port
        && existing.PassingWeight == registration.PassingWeight
        && existing.WarningWeight == registration.WarningWeight
        && SameMeta(existing.Meta, registration.Meta);

    private static bool SameMeta(IReadOnlyDictionary<string, string>? left, IReadOnlyDictionary<string, string>? right) =>
        (left is null || left.Count == 0)
            ? right is null || right.Count == 0
            : right is not null && left.Count == right.Count
              && left.All(pair => right.TryGetValue(pair.Key, out var value) && value == pair.Value);

    private bool SameChecks(string node, string id, List<CheckEntry> checks)
    {
        var current = _checks.Values.Where(c => c.Node == node && c.ServiceId == id).ToList();
        return current.Count == checks.Count && checks.All(check =>
            _checks.TryGetValue((node, check.CheckId), out var old)
            && old.ServiceId == id
            && old with { CreateIndex = 0, ModifyIndex = 0, ServiceTags = check.ServiceTags } == check
            && old.ServiceTags.SequenceEqual(check.ServiceTags));
    }

    private void TouchServicesOfNode(string node, ulong index)
    {
        foreach (var service in _services.Values.Where(s => s.Node == node))
        {
            _serviceIndexes[service.Name] = index;
        }
    }
}
