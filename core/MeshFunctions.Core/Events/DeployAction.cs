namespace MeshFunctions.Core.Events;

/// <summary>What a deploy pipeline did to one branch of a service (see <see cref="DeployEvent"/>).</summary>
public enum DeployAction
{
    /// <summary>A version was deployed: it joins the branch with weight 0 (or 100 when the branch had no versions; a new branch is created).</summary>
    Deployed,

    /// <summary>The branch's weights are set to exactly <see cref="DeployEvent.Weights"/> (versions not listed leave the branch).</summary>
    Weighted,

    /// <summary>The version takes 100 % of the branch; the other versions stay with weight 0 until deleted.</summary>
    Promoted,

    /// <summary>The version takes 100 % of the branch and every other version leaves it.</summary>
    RolledBack,

    /// <summary>The version leaves the branch (it must carry no weight); without a version a sandbox branch is removed.</summary>
    Deleted,
}
