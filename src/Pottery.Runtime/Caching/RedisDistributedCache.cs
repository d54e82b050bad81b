using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Distributed;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// An <see cref="IDistributedCache"/> (and <see cref="IBufferDistributedCache"/>, so HybridCache uses
/// it as its second level without copies) over Redis that computes each value once across processes:
/// a miss reserves the key (a lock named after it) for the caller, who is expected to compute the
/// value and <see cref="SetAsync(string, ReadOnlySequence{byte}, DistributedCacheEntryOptions, CancellationToken)"/>
/// it; callers in this and other processes that miss meanwhile wait for that value instead of
/// computing it too. Absolute and sliding expirations are kept in Redis, so every process sees them.
/// </summary>
/// <remarks>
/// Each entry is a hash (<c>data</c>, <c>sliding</c>, <c>absolute</c>) whose time to live is the
/// sooner of its expirations; a read slides it in the same script. The reservation is a
/// <see cref="Redlock"/> on the cache's database that ends when the value is stored or removed, or
/// after <see cref="RedisDistributedCacheOptions.SingleFlightLease"/>.
/// </remarks>
public sealed class RedisDistributedCache : IBufferDistributedCache
{
    private readonly IDatabase _database;
    private readonly string _prefix;
    private readonly TimeSpan? _lease;
    private readonly ConcurrentDictionary<string, RedlockHandle> _reserved = new(StringComparer.Ordinal);

    /// <summary>Creates a cache on <paramref name="database"/>.</summary>
    /// <param name="database">The Redis database; its key prefix applies.</param>
    /// <param name="options">The cache's options; the defaults when <see langword="null"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="RedisDistributedCacheOptions.SingleFlightLease"/> is not positive.</exception>
    public RedisDistributedCache(IDatabase database, RedisDistributedCacheOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        options ??= new();
        if (options.SingleFlightLease is { } lease && lease <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), lease, "A single-flight lease must be positive, or null for none.");
        }

        _database = database;
        _prefix = options.KeyPrefix ?? string.Empty;
        _lease = options.SingleFlightLease;
        if (_lease is { } checkedLease)
        {
            // The lock's own checks (longer than its clock-drift allowance, finite) apply to the lease, and fail here rather than at the first miss.
            _ = new Redlock("lease", database, checkedLease, maxExtensions: 0);
        }
    }

    /// <summary>Gets a value, sliding its expiration; a miss reserves the key for this caller (see the class remarks).</summary>
    /// <param name="key">The cache key.</param>
    /// <returns>The value, or <see langword="null"/> when there is none.</returns>
    public byte[]? Get(string key) => Sync.Wait(GetBytesAsync(key, CancellationToken.None));

    /// <summary>Gets a value, sliding its expiration; a miss reserves the key for this caller, and waits while another caller holds it.</summary>
    /// <param name="key">The cache key.</param>
    /// <param name="token">Stops waiting.</param>
    /// <returns>The value, or <see langword="null"/> when there is none.</returns>
    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => GetBytesAsync(key, token).AsTask();

    /// <summary>Gets a value into <paramref name="destination"/>, sliding its expiration; a miss reserves the key for this caller.</summary>
    /// <param name="key">The cache key.</param>
    /// <param name="destination">Where the value is written.</param>
    /// <returns>Whether there was a value.</returns>
    public bool TryGet(string key, IBufferWriter<byte> destination) => Sync.Wait(TryGetAsync(key, destination));

    /// <summary>Gets a value into <paramref name="destination"/>, sliding its expiration; a miss reserves the key for this caller, and waits while another caller holds it.</summary>
    /// <param name="key">The cache key.</param>
    /// <param name="destination">Where the value is written.</param>
    /// <param name="token">Stops waiting.</param>
    /// <returns>Whether there was a value.</returns>
    public async ValueTask<bool> TryGetAsync(string key, IBufferWriter<byte> destination, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var value = await ReadAsync(key, token).ConfigureAwait(false);
        if (value.IsNull)
        {
            return false;
        }

        destination.Write(((ReadOnlyMemory<byte>)value).Span);
        return true;
    }

    /// <summary>Stores a value, ending this caller's reservation of the key.</summary>
    /// <param name="key">The cache key.</param>
    /// <param name="value">The value.</param>
    /// <param name="options">Its expirations.</param>
    /// <exception cref="ArgumentOutOfRangeException">An expiration is not in the future.</exception>
    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => Sync.Wait(WriteAsync(key, value, options, CancellationToken.None));

    /// <summary>Stores a value, ending this caller's reservation of the key; waiting callers then read it.</summary>
    /// <param name="key">The cache key.</param>
    /// <param name="value">The value.</param>
    /// <param name="options">Its expirations.</param>
    /// <param name="token">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the value is stored.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An expiration is not in the future.</exception>
    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        return WriteAsync(key, value, options, token).AsTask();
    }

    /// <summary>Stores a value, ending this caller's reservation of the key.</summary>
    /// <param name="key">The cache key.</param>
    /// <param name="value">The value.</param>
    /// <param name="options">Its expirations.</param>
    /// <exception cref="ArgumentOutOfRangeException">An expiration is not in the future.</exception>
    public void Set(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options) => Sync.Wait(SetAsync(key, value, options));

    /// <summary>Stores a value, ending this caller's reservation of the key; waiting callers then read it.</summary>
    /// <param name="key">The cache key.</param>
    /// <param name="value">The value.</param>
    /// <param name="options">Its expirations.</param>
    /// <param name="token">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the value is stored.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An expiration is not in the future.</exception>
    public ValueTask SetAsync(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        WriteAsync(key, value.IsSingleSegment ? value.First : value.ToArray(), options, token);

    /// <summary>Slides a value's expiration without reading it.</summary>
    /// <param name="key">The cache key.</param>
    public void Refresh(string key) => Sync.Wait(SlideAsync(key, CancellationToken.None));

    /// <summary>Slides a value's expiration without reading it.</summary>
    /// <param name="key">The cache key.</param>
    /// <param name="token">Stops waiting for the reply.</param>
    /// <returns>A task that completes when Redis answered.</returns>
    public Task RefreshAsync(string key, CancellationToken token = default) => SlideAsync(key, token).AsTask();

    /// <summary>Removes a value, ending this caller's reservation of the key.</summary>
    /// <param name="key">The cache key.</param>
    public void Remove(string key) => Sync.Wait(DeleteAsync(key, CancellationToken.None));

    /// <summary>Removes a value, ending this caller's reservation of the key.</summary>
    /// <param name="key">The cache key.</param>
    /// <param name="token">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the value is gone.</returns>
    public Task RemoveAsync(string key, CancellationToken token = default) => DeleteAsync(key, token).AsTask();

    private static RedisValue Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private async ValueTask<byte[]?> GetBytesAsync(string key, CancellationToken token)
    {
        var value = await ReadAsync(key, token).ConfigureAwait(false);
        return value.IsNull ? null : (byte[]?)value;
    }

    private async ValueTask SlideAsync(string key, CancellationToken token)
    {
        var entry = EntryKey(key);
        await RedisCall.Script(_database, entry, RedisType.Hash, DistributedCacheScripts.Get, [entry], [Now(), "0"], token).ConfigureAwait(false);
    }

    private async ValueTask DeleteAsync(string key, CancellationToken token)
    {
        var entry = EntryKey(key);
        await RedisCall.Async(_database, entry, RedisType.Hash, 0, static (d, k, _) => d.KeyDeleteAsync(k), token).ConfigureAwait(false);
        EndReservation(key);
    }

    private RedisKey EntryKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _prefix + key;
    }

    private ValueTask<RedisValue> LookUpAsync(RedisKey entry, CancellationToken token) =>
        RedisCall.Script(_database, entry, RedisType.Hash, DistributedCacheScripts.Get, [entry], [Now(), "1"], 0, static (reply, _, _) => (RedisValue)reply, token);

    // A miss waits for whoever reserved the key, then looks again; still missing, the key is this caller's to fill.
    private async ValueTask<RedisValue> ReadAsync(string key, CancellationToken token)
    {
        var entry = EntryKey(key);
        var value = await LookUpAsync(entry, token).ConfigureAwait(false);
        if (!value.IsNull || _lease is not { } lease)
        {
            return value;
        }

        var reservation = await new Redlock($"{entry}:filling", _database, lease, maxExtensions: 0).AcquireAsync(cancellationToken: token).ConfigureAwait(false);
        try
        {
            value = await LookUpAsync(entry, token).ConfigureAwait(false);
        }
        catch
        {
            reservation.Dispose();
            throw;
        }

        if (!value.IsNull)
        {
            reservation.Dispose();
            return value;
        }

        // A reservation this process still remembers for the key has ended, or this one would not have been granted.
        if (_reserved.TryRemove(key, out var ended))
        {
            ended.Dispose();
        }

        _reserved[key] = reservation;
        return value;
    }

    private async ValueTask WriteAsync(string key, ReadOnlyMemory<byte> value, DistributedCacheEntryOptions options, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(options);
        var entry = EntryKey(key);
        var (sliding, absolute, ttl) = Expirations(options);
        await RedisCall.Script(_database, entry, RedisType.Hash, DistributedCacheScripts.Set, [entry], [value, sliding, absolute, ttl], token).ConfigureAwait(false);
        EndReservation(key);
    }

    private void EndReservation(string key)
    {
        if (_reserved.TryRemove(key, out var reservation))
        {
            reservation.Dispose();
        }
    }

    private static (RedisValue Sliding, RedisValue Absolute, RedisValue TimeToLive) Expirations(DistributedCacheEntryOptions options)
    {
        var now = DateTimeOffset.UtcNow;
        DateTimeOffset? absolute = options.AbsoluteExpirationRelativeToNow is { } relative ? now + relative : options.AbsoluteExpiration;
        if (absolute <= now)
        {
            throw new ArgumentOutOfRangeException(nameof(options), absolute, "The absolute expiration must be in the future.");
        }

        if (options.SlidingExpiration is { } slide && slide <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), slide, "The sliding expiration must be positive.");
        }

        var slidingMs = options.SlidingExpiration is { } s ? (long)Math.Ceiling(s.TotalMilliseconds) : (long?)null;
        var absoluteMs = absolute?.ToUnixTimeMilliseconds();
        var leftMs = absolute is { } a ? (long)Math.Ceiling((a - now).TotalMilliseconds) : (long?)null;
        var ttl = slidingMs is { } sl && leftMs is { } l ? Math.Min(sl, l) : slidingMs ?? leftMs;
        return (slidingMs ?? RedisValue.EmptyString, absoluteMs ?? RedisValue.EmptyString, ttl ?? RedisValue.EmptyString);
    }
}
