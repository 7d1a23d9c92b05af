using System.Text.Json.Nodes;
using MeshFunctions.Core.Admission;

namespace MeshFunctions.Core.Tests.Admission;

public sealed class ManagedObjectGuardTests
{
    private const string Controller = "system:serviceaccount:meshfunctions:meshfunctions";
    private static readonly ManagedObjectGuardOptions Options = new() { ServiceAccountUsername = Controller };

    [Fact]
    public void Check_ManagedObjectChangedByPerson_DeniedWithAlternatives()
    {
        var vs = Object(managed: true);

        var decision = ManagedObjectGuard.Check(AdmissionOperation.Update, vs, vs, "alice@example.com", Options);

        Assert.False(decision.Allowed);
        Assert.Equal(
            "VirtualService prod/reviews is managed by MeshFunctions (app.kubernetes.io/managed-by=meshfunctions) and may only be changed by "
            + Controller + ", not alice@example.com. Change the Router or IstioFilter it is rendered from instead; in an emergency add annotation "
            + "meshfunctions.io/break-glass: \"<reason>\" (audited)",
            decision.Message);
    }

    [Theory]
    [InlineData(Controller)]
    [InlineData("system:serviceaccount:kube-system:generic-garbage-collector")]
    public void Check_ControllerOrGarbageCollector_Allowed(string user)
    {
        var vs = Object(managed: true);

        Assert.True(ManagedObjectGuard.Check(AdmissionOperation.Delete, vs, null, user, Options).Allowed);
    }

    [Fact]
    public void Check_UnmanagedObject_Allowed()
    {
        var vs = Object(managed: false);

        Assert.True(ManagedObjectGuard.Check(AdmissionOperation.Update, vs, vs, "alice", Options).Allowed);
    }

    [Fact]
    public void Check_RemovingManagedLabel_StillGuarded()
    {
        var decision = ManagedObjectGuard.Check(AdmissionOperation.Update, Object(managed: true), Object(managed: false), "alice", Options);

        Assert.False(decision.Allowed);
    }

    [Fact]
    public void Check_BreakGlassWithReason_AllowedWarnedAndAudited()
    {
        var vs = Object(managed: true, breakGlass: "INC-4711 reviews 503s, alice");

        var decision = ManagedObjectGuard.Check(AdmissionOperation.Update, Object(managed: true), vs, "alice", Options);

        Assert.True(decision.Allowed);
        Assert.Single(decision.Warnings);
        Assert.Equal("Update by alice: INC-4711 reviews 503s, alice", decision.AuditAnnotations["break-glass"]);
    }

    [Fact]
    public void Check_BreakGlassWithoutReason_Denied()
    {
        var decision = ManagedObjectGuard.Check(AdmissionOperation.Update, Object(managed: true), Object(managed: true, breakGlass: " "), "alice", Options);

        Assert.False(decision.Allowed);
        Assert.Contains("needs a reason", decision.Message);
    }

    [Fact]
    public void Check_DeleteOfAnnotatedManagedObject_Allowed()
    {
        var decision = ManagedObjectGuard.Check(AdmissionOperation.Delete, Object(managed: true, breakGlass: "cleanup"), null, "alice", Options);

        Assert.True(decision.Allowed);
    }

    private static JsonObject Object(bool managed, string? breakGlass = null)
    {
        var meta = new JsonObject { ["name"] = "reviews", ["namespace"] = "prod" };
        if (managed)
        {
            meta["labels"] = new JsonObject { ["app.kubernetes.io/managed-by"] = "meshfunctions" };
        }

        if (breakGlass is not null)
        {
            meta["annotations"] = new JsonObject { ["meshfunctions.io/break-glass"] = breakGlass };
        }

        return new JsonObject { ["apiVersion"] = "networking.istio.io/v1", ["kind"] = "VirtualService", ["metadata"] = meta };
    }
}
