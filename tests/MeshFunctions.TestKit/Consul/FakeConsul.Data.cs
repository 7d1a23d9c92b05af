using System.Text;
using MeshFunctions.TestKit.Consul.Internal;

namespace MeshFunctions.TestKit.Consul;

/// <summary>Feeding the fake from test code. Every call that changes something takes a new index and wakes blocked queries.</summary>
public sealed partial class FakeConsul
{
    /// <summary>Registers (or replaces) an instance of <paramref name="service"/> with id = name on <paramref name="node"/>.</summary>
    public void RegisterService(string node, string address, string service, IReadOnlyList<string> tags, int port, params ConsulCheck[] checks) =>
        RegisterService(node, address, new ConsulServiceRegistration(service, port) { Tags = tags, Checks = checks });

    /// <summary>
    /// Registers (or replaces) an instance; the node is created with a passing <c>serfHealth</c> check if new. Node and
    /// instance are one catalog write (one index, one wake), as <c>/v1/catalog/register</c> is.
    /// </summary>
    public void RegisterService(string node, string address, ConsulServiceRegistration registration)
    {
        ArgumentException.ThrowIfNullOrEmpty(node);
        ArgumentException.ThrowIfNullOrEmpty(registration.Name);
        foreach (var check in registration.Checks)
        {
            if (!ConsulHealth.IsValid(check.Status))
            {
                throw new ArgumentException($"check status '{check.Status}' is not passing, warning or critical", nameof(registration));
            }
        }

        _state.RegisterNodeAndService(node, address, registration);
    }

    /// <summary>Removes an instance; false when it was not registered.</summary>
    public bool DeregisterService(string node, string serviceId) => _state.DeregisterService(node, serviceId);

    /// <summary>Sets a check's status (e.g. <c>serfHealth</c> for the whole node, or <c>service:&lt;id&gt;</c>).</summary>
    public void SetHealth(string node, string checkId, string status, string? output = null)
    {
        if (!ConsulHealth.IsValid(status))
        {
            throw new ArgumentException($"status '{status}' is not passing, warning or critical", nameof(status));
        }

        _state.SetCheckStatus(node, checkId, status, output);
    }

    /// <summary>Writes a UTF-8 KV value.</summary>
    public void PutKv(string key, string value, ulong flags = 0) => PutKv(key, Encoding.UTF8.GetBytes(value), flags);

    /// <summary>Writes a KV value.</summary>
    public void PutKv(string key, byte[] value, ulong flags = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        _state.PutKv(key, value, flags, cas: null, acquire: null, release: null);
    }

    /// <summary>Deletes a key, or with <paramref name="recurse"/> every key under the prefix.</summary>
    public void DeleteKv(string key, bool recurse = false) => _state.DeleteKv(key, recurse, cas: null);

    /// <summary>Loads a JSON fixture (nodes with services and checks, and KV pairs; see README.md).</summary>
    public void LoadFixture(string path) => ConsulFixture.Load(path, this);
}
