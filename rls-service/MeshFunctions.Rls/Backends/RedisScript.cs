namespace MeshFunctions.Rls.Backends;

/// <summary>
/// The server-side script: every counter of one ShouldRateLimit call in one round trip. A fixed-window key arrives
/// complete (<c>prefix + domain_k_v_ + window start in Unix seconds</c>, envoyproxy/ratelimit's key, built by
/// <see cref="RedisScriptCodec"/>); sliding counters live at <c>key + window start</c>, derived here. Counters get their
/// expiry only when created, not on every hit. The token bucket is a hash {t, ts}.
/// ARGV[1] = now (ms); then per KEYS[i]: algorithm (0 fixed, 1 sliding, 2 bucket), limit, window ms, hits.
/// Returns a flat integer array: for a fixed window only the count after the hit (the caller derives the
/// verdict, so Redis builds and sends a quarter of the reply), for the others admitted, remaining, reset ms,
/// used. The body reads its keys and arguments from the locals <c>keys</c>/<c>argv</c>: the single-Redis form takes
/// them from KEYS/ARGV; the cluster form (<see cref="ClusterSource"/>) takes every key from ARGV, because Redis
/// Cluster refuses declared keys of several slots in one call even when one node serves them all.
/// </summary>
internal static class RedisScript
{
    /// <summary>For one Redis: KEYS = counter keys, ARGV = now, then four arguments per key.</summary>
    public const string Source = "local keys, argv = KEYS, ARGV\n" + Body;

    /// <summary>
    /// For a cluster node, called with no declared keys: ARGV = key count, the keys, now, four arguments per key. The flag
    /// lets it touch keys of several slots as long as this node serves them (the caller groups keys by node).
    /// </summary>
    public const string ClusterSource = """
        #!lua flags=allow-cross-slot-keys
        local nk = tonumber(ARGV[1])
        local keys, argv = {}, {}
        for i = 1, nk do keys[i] = ARGV[1 + i] end
        for i = nk + 2, #ARGV do argv[#argv + 1] = ARGV[i] end

        """ + Body;

    private const string Body = """
        local now = tonumber(argv[1])
        local out = {}
        local n = 0
        for i = 1, #keys do
          local b = 1 + (i - 1) * 4
          local alg = tonumber(argv[b + 1])
          local limit = tonumber(argv[b + 2])
          local win = tonumber(argv[b + 3])
          local hits = tonumber(argv[b + 4])
          local base = keys[i]
          local start = now - (now % win)
          local admitted, remaining, reset, used
          if alg == 2 then
            if limit == 0 then
              admitted, remaining, reset, used = 0, 0, win, hits
            else
              local st = redis.call('HMGET', base, 't', 'ts')
              local tokens = tonumber(st[1])
              local ts = tonumber(st[2])
              if tokens == nil or ts == nil then
                tokens = limit
                ts = now
              end
              local rate = limit / win
              if now > ts then
                tokens = math.min(limit, tokens + (now - ts) * rate)
                ts = now
              end
              if tokens >= hits then
                tokens = tokens - hits
                admitted = 1
                remaining = math.floor(tokens)
                reset = math.ceil((limit - tokens) / rate)
              else
                admitted = 0
                remaining = 0
                reset = math.ceil((hits - tokens) / rate)
              end
              used = limit - math.floor(tokens)
              redis.call('HSET', base, 't', tostring(tokens), 'ts', tostring(ts))
              redis.call('PEXPIRE', base, math.ceil((limit - tokens) / rate) + 1000)
            end
          elseif alg == 0 then
            local c
            if hits > 0 then
              c = redis.call('INCRBY', base, hits)
              if c == hits then
                redis.call('PEXPIRE', base, win)
              end
            else
              c = tonumber(redis.call('GET', base) or '0')
            end
            n = n + 1
            out[n] = c
          else
            local ck = base .. string.format('%d', start / 1000)
            reset = start + win - now
            do
              local pk = base .. string.format('%d', (start - win) / 1000)
              local cur = tonumber(redis.call('GET', ck) or '0')
              local prev = tonumber(redis.call('GET', pk) or '0')
              local est = prev * (win - (now - start)) / win + cur
              if est + hits > limit then
                admitted, remaining, used = 0, 0, math.ceil(est)
              else
                if hits > 0 then
                  local c = redis.call('INCRBY', ck, hits)
                  if c == hits then
                    redis.call('PEXPIRE', ck, 2 * win)
                  end
                end
                admitted = 1
                remaining = math.floor(limit - est - hits)
                used = math.ceil(est + hits)
              end
            end
          end
          if alg ~= 0 then
            out[n + 1] = admitted
            out[n + 2] = remaining
            out[n + 3] = reset
            out[n + 4] = used
            n = n + 4
          end
        end
        return out
        """;
}
