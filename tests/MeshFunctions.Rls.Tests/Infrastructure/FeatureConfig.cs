namespace MeshFunctions.Rls.Tests.Infrastructure;

/// <summary>One config exercising every feature, in envoyproxy/ratelimit's YAML with MeshFunctions' extensions.</summary>
public static class FeatureConfig
{
    public const string Domain = "features";

    public const string Yaml = """
        domain: features
        descriptors:
          - key: fixed
            rate_limit: {unit: minute, requests_per_unit: 3}
          - key: path
            value: /exact
            rate_limit: {unit: minute, requests_per_unit: 1, name: exact}
          - key: path
            value: /api/*
            rate_limit: {unit: minute, requests_per_unit: 2, name: wildcard}
          - key: path
            value: /a*b*c
            rate_limit: {unit: minute, requests_per_unit: 4, name: multi-star}
          - key: path
            rate_limit: {unit: minute, requests_per_unit: 5, name: key-only}
          - key: outer
            value: x
            rate_limit: {unit: minute, requests_per_unit: 7, name: outer}
            descriptors:
              - key: inner
                rate_limit: {unit: hour, requests_per_unit: 2, name: nested}
          - key: weekly
            rate_limit: {unit: week, requests_per_unit: 10}
          - key: free
            rate_limit: {unlimited: true}
          - key: shadow
            shadow_mode: true
            rate_limit: {unit: minute, requests_per_unit: 1}
          - key: multi
            rate_limits:
              - {unit: minute, requests_per_unit: 3, name: per-minute}
              - {unit: hour, requests_per_unit: 2, name: per-hour}
          - key: sliding
            rate_limit: {unit: minute, requests_per_unit: 10, algorithm: sliding_window}
          - key: bucket
            rate_limit: {unit: minute, requests_per_unit: 6, algorithm: token_bucket}
          - key: banned
            rate_limit: {unit: minute, requests_per_unit: 0}
          - key: category
            value: account
            rate_limit: {unit: minute, requests_per_unit: 4, replaces: [{name: per-user}]}
          - key: user
            rate_limit: {unit: minute, requests_per_unit: 1, name: per-user}
          - key: detailed
            detailed_metric: true
            rate_limit: {unit: minute, requests_per_unit: 100}
          - key: whitelisted
        """;

    /// <summary>The keys envoyproxy/ratelimit has beyond the basics: quota_mode, metadata, share_threshold, value_to_metric.</summary>
    public const string ReferenceDomain = "reference";

    public const string ReferenceYaml = """
        domain: reference
        descriptors:
          - key: plan
            value: basic
            quota_mode: true
            rate_limit: {unit: minute, requests_per_unit: 1}
            metadata: {tier: basic, backend: {pool: small}}
          - key: plan
            value: pro
            quota_mode: true
            rate_limit: {unit: minute, requests_per_unit: 2}
            metadata: {tier: pro}
          - key: hard
            rate_limit: {unit: minute, requests_per_unit: 1}
          - key: bucket
            value: files/*
            share_threshold: true
            rate_limit: {unit: minute, requests_per_unit: 2}
          - key: images
            value: img/*
            share_threshold: true
            detailed_metric: true
            rate_limit: {unit: minute, requests_per_unit: 5}
          - key: route
            value: /v1/*
            value_to_metric: true
            descriptors:
              - key: method
                rate_limit: {unit: minute, requests_per_unit: 5}
          - key: tenant
            value_to_metric: true
            rate_limit: {unit: minute, requests_per_unit: 5}
          - key: group
            value: g*
            share_threshold: true
            descriptors:
              - key: user
                rate_limit: {unit: minute, requests_per_unit: 1}
        """;

    public static Dictionary<string, string> Files => new() { ["features.yaml"] = Yaml, ["reference.yaml"] = ReferenceYaml };
}
