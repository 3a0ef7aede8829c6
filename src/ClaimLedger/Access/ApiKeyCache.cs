using System.Collections.Concurrent;
using ClaimLedger.Common;

namespace ClaimLedger.Access;

/// <summary>
/// Active keys recently authenticated, so a request costs one database round trip instead of two. The cache is used
/// only while a listener hears PostgreSQL notifications of key changes on <see cref="Channel"/> (revoking a key
/// notifies in its own transaction); without one, or after losing it, every lookup goes to the database. Entries
/// also expire after <see cref="Lifetime"/>, and at most <see cref="Capacity"/> are kept.
/// </summary>
public sealed class ApiKeyCache(ClaimLedgerOptions options, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, (ApiKey Key, DateTimeOffset Until)> _keys = new();
    private long _changes;
    private volatile bool _listening;

    /// <summary>The notification channel for this ledger's schema, so ledgers sharing a server do not hear each other.</summary>
    public string Channel { get; } = $"{options.Schema}_api_keys";

    /// <summary>How many changes were heard; a lookup that started before a change must not put its result in the cache.</summary>
    public long Changes => Interlocked.Read(ref _changes);

    public bool TryGet(string id, out ApiKey? key)
    {
        key = null;
        if (!_listening || !_keys.TryGetValue(id, out var entry))
        {
            return false;
        }

        if (entry.Until <= clock.GetUtcNow())
        {
            _keys.TryRemove(id, out _);
            return false;
        }

        key = entry.Key;
        return true;
    }

    public void Keep(ApiKey key, long changesSeenBeforeLoading)
    {
        if (_listening && key.IsActive && _keys.Count < Capacity && Changes == changesSeenBeforeLoading)
        {
            _keys[key.Id] = (key, clock.GetUtcNow() + Lifetime);
        }
    }

    /// <summary>A key changed (revoked, or its row edited): forget it, and refuse results loaded before now.</summary>
    public void Changed(string id)
    {
        Interlocked.Increment(ref _changes);
        _keys.TryRemove(id, out _);
    }

    /// <summary>Called by the listener: caching starts once it listens, and stops (forgetting everything) when it does not.</summary>
    public void Listening(bool listening)
    {
        _listening = listening;
        Interlocked.Increment(ref _changes);
        _keys.Clear();
    }
}
