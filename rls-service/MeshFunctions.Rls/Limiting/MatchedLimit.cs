using MeshFunctions.Rls.Configuration;

namespace MeshFunctions.Rls.Limiting;

/// <summary>A limit that applies to one descriptor of a call, and where its verdict lands.</summary>
internal struct MatchedLimit
{
    public int Descriptor;
    public CompiledLimit Limit;
    public bool Dropped;
    public int Check;
}
