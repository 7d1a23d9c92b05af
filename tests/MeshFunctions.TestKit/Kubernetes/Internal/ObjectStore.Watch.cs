using System.Globalization;

namespace MeshFunctions.TestKit.Kubernetes.Internal;

/// <summary>Watch registration, history replay, compaction and bookmarks.</summary>
internal sealed partial class ObjectStore
{
    /// <summary>
    /// Opens a watch. No resourceVersion (or "0") replays the current objects as ADDED; a version replays the
    /// logged events after it, or queues a 410 Expired ERROR when it is older than the retained history.
    /// </summary>
    public WatchSubscription Watch(KubeResourceType type, string? ns, LabelSelector labels, FieldSelector fields, string? resourceVersion, bool bookmarks, bool sendInitialEvents)
    {
        long? since = null;
        if (!string.IsNullOrEmpty(resourceVersion) && resourceVersion != "0")
        {
            since = long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw KubeStatus.BadRequest($"resourceVersion: Invalid value: \"{resourceVersion}\": must be a non-negative integer");
        }

        var watch = new WatchSubscription(type, ns, labels, fields, bookmarks);
        lock (_gate)
        {
            if (since is null)
            {
                foreach (var obj in Objects(type).Values)
                {
                    if ((ns is null || ObjectRules.Text(obj["metadata"], "namespace") == ns) && watch.Matches(obj))
                    {
                        watch.Send("ADDED", obj);
                    }
                }

                if (bookmarks && sendInitialEvents)
                {
                    watch.Bookmark(_resourceVersion, initialEventsEnd: true);
                }
            }
            else if (since < _compactedRevision)
            {
                watch.Fail(KubeStatus.Expired($"too old resource version: {since} ({_compactedRevision})"));
                return watch;
            }
            else
            {
                foreach (var e in _log.Where(e => e.ResourceVersion > since))
                {
                    watch.Offer(e);
                }
            }

            _watches.Add(watch);
        }

        return watch;
    }

    public void Unwatch(WatchSubscription watch)
    {
        lock (_gate)
        {
            _watches.Remove(watch);
        }
    }

    /// <summary>Forgets all history: watches from any resourceVersion before now get 410.</summary>
    public void Compact()
    {
        lock (_gate)
        {
            _log.Clear();
            _compactedRevision = _resourceVersion;
        }
    }

    public void SendBookmarks()
    {
        lock (_gate)
        {
            foreach (var watch in _watches.Where(w => w.Bookmarks))
            {
                watch.Bookmark(_resourceVersion, initialEventsEnd: false);
            }
        }
    }

    /// <summary>Ends every open watch (matching <paramref name="plural"/> if given); returns how many.</summary>
    public int EndWatches(bool abort, string? plural)
    {
        lock (_gate)
        {
            var ended = _watches.Where(w => plural is null || w.Type.Plural == plural).ToList();
            foreach (var watch in ended)
            {
                watch.End(abort);
                _watches.Remove(watch);
            }

            return ended.Count;
        }
    }

    public int OpenWatchCount
    {
        get
        {
            lock (_gate)
            {
                return _watches.Count;
            }
        }
    }
}
