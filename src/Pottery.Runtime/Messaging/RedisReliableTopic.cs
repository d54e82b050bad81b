using System.Runtime.CompilerServices;
using StackExchange.Redis;

namespace Pottery;

/// <summary>
/// A topic that keeps its messages, over a Redis stream: <see cref="PublishAsync"/> appends a message,
/// every consumer group receives every message at least once, and the stream is trimmed by length
/// (<see cref="MaxLength"/>) or age (<see cref="MaxAge"/>). A group is created at a position
/// (<see cref="CreateGroupAsync"/>: new messages only, the beginning, after an id, since a time);
/// within a group, each message goes to one of its consumers (<see cref="Subscribe"/>), who
/// acknowledges it (<see cref="ReliableTopicDelivery{T}.AcknowledgeAsync"/>). A message not
/// acknowledged within <see cref="VisibilityTimeout"/> (its consumer died) is claimed by another
/// consumer of the group as its next delivery; after <see cref="MaxDeliveries"/> deliveries it goes to
/// <see cref="DeadLetterKey"/> instead. <see cref="ReadAsync"/> reads the stream without a group.
/// </summary>
/// <typeparam name="T">The message type.</typeparam>
/// <remarks>
/// <para>An entry holds the encoded message in its field <c>message</c>. Groups are Redis consumer
/// groups (<c>XGROUP</c>, <c>XREADGROUP</c>, <c>XACK</c>, <c>XAUTOCLAIM</c>); one take is one Lua script,
/// and the dead-letter stream is a helper key in the topic's hash slot, so the topic works on Redis
/// Cluster. It needs Redis 6.2 or later; Garnet has no streams, and every operation there throws
/// <see cref="NotSupportedException"/>.</para>
/// <para>StackExchange.Redis does not send blocking commands on its shared connection, so no call
/// blocks one: a consumer that finds nothing listens for the publish announcement on
/// <c>&lt;key&gt;:published</c>, takes once more, then waits for an announcement, retrying after a
/// pause without one (pub/sub loses messages while a connection is down) or when a pending message
/// may be claimed. Cancelling a wait, or disposing the subscription, ends it at once.</para>
/// <para>Trimming is approximate (<c>~</c>), as Redis trims whole stream nodes: the stream keeps at
/// least <see cref="MaxLength"/> entries and about a node (100 entries by default) more. Trimming
/// removes messages whether or not every group has received them.</para>
/// </remarks>
public sealed class RedisReliableTopic<T> : RedisObject
{
    /// <summary>How long a delivery stays pending without an acknowledgement by default before another consumer claims it: 30 s.</summary>
    public static readonly TimeSpan DefaultVisibilityTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The channel suffix on which a publish is announced.</summary>
    internal const string PublishedSuffix = ":published";

    private const int ReadPage = 100;
    private static readonly TimeSpan LongestTimeout = TimeSpan.FromMilliseconds(int.MaxValue);
    private readonly RedisKey[] _keys;
    private readonly RedisKey[] _takeKeys;
    private TimeSpan _retryPause = TimeSpan.FromSeconds(1);

    /// <summary>Opens the topic at <paramref name="key"/>, or a new one at a random key deleted on dispose.</summary>
    /// <param name="database">The Redis database; its key prefix and database number apply to every command.</param>
    /// <param name="key">The stream's key, or <see langword="null"/> for a random one.</param>
    /// <param name="maxLength">About how many messages to keep (trimmed on publish); 0 (the default) for no bound.</param>
    /// <param name="maxAge">How long to keep messages (trimmed on publish, by the ids' server time); <see langword="null"/> (the default) for ever.</param>
    /// <param name="visibilityTimeout">How long a delivery stays pending without an acknowledgement before another consumer of the group may claim it; <see cref="DefaultVisibilityTimeout"/> by default.</param>
    /// <param name="maxDeliveries">How many times a message is delivered in a group before it goes to the dead-letter stream; 0 (the default) for no limit.</param>
    /// <param name="codec">How messages are encoded; <see cref="RedisCodecs.For{T}"/> by default.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> or <paramref name="maxDeliveries"/> is negative, <paramref name="maxAge"/> is shorter than 1 ms, or <paramref name="visibilityTimeout"/> is shorter than 1 ms or longer than about 24.8 days.</exception>
    /// <exception cref="NotSupportedException">No codec is known for <typeparamref name="T"/>.</exception>
    public RedisReliableTopic(IDatabase database, RedisKey? key = null, long maxLength = 0, TimeSpan? maxAge = null, TimeSpan? visibilityTimeout = null, int maxDeliveries = 0, IRedisCodec<T>? codec = null)
        : base(database, key)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        ArgumentOutOfRangeException.ThrowIfNegative(maxDeliveries);
        if (maxAge is { } age && age.TotalMilliseconds < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxAge), age, "The longest age kept must be at least 1 ms (or null, to keep messages for ever).");
        }

        VisibilityTimeout = visibilityTimeout ?? DefaultVisibilityTimeout;
        if (VisibilityTimeout.TotalMilliseconds < 1 || VisibilityTimeout > LongestTimeout)
        {
            throw new ArgumentOutOfRangeException(nameof(visibilityTimeout), VisibilityTimeout, "The visibility timeout must be at least 1 ms and at most int.MaxValue milliseconds.");
        }

        MaxLength = maxLength;
        MaxAge = maxAge;
        MaxDeliveries = maxDeliveries;
        Codec = codec ?? RedisCodecs.For<T>();
        DeadLetterKey = DerivedKey.For(Key, "dead-letter");
        _keys = [Key];
        _takeKeys = [Key, DeadLetterKey];
    }

    /// <summary>About how many messages the stream keeps; 0 for no bound.</summary>
    public long MaxLength { get; }

    /// <summary>How long the stream keeps messages; <see langword="null"/> for ever.</summary>
    public TimeSpan? MaxAge { get; }

    /// <summary>How long a delivery stays pending without an acknowledgement before another consumer of the group may claim it.</summary>
    public TimeSpan VisibilityTimeout { get; }

    /// <summary>How many times a message is delivered in a group before it goes to <see cref="DeadLetterKey"/>; 0 for no limit.</summary>
    public int MaxDeliveries { get; }

    /// <summary>
    /// The stream that messages go to after <see cref="MaxDeliveries"/> deliveries in a group, with
    /// their id (field <c>topic-id</c>) and group (field <c>group</c>); read it with a
    /// <see cref="RedisReliableTopic{T}"/> over this key and <see cref="ReadAsync"/>.
    /// </summary>
    public RedisKey DeadLetterKey { get; }

    /// <summary>How messages are encoded.</summary>
    public IRedisCodec<T> Codec { get; }

    /// <summary>The number of messages retained.</summary>
    /// <exception cref="ObjectDisposedException">The topic was disposed.</exception>
    public long Count => Sync.Wait(CountAsync());

    /// <summary>
    /// The longest a waiting consumer waits without a wake-up before trying again: a safety net for
    /// announcements lost while a connection was down, not how consumers normally learn of a message.
    /// </summary>
    internal TimeSpan RetryPause
    {
        get => _retryPause;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, LongestTimeout);
            _retryPause = value;
        }
    }

    /// <inheritdoc />
    private protected override RedisType RedisType => RedisType.Stream;

    /// <summary>Appends a message for every group, trimming the stream as configured.</summary>
    /// <param name="message">The message.</param>
    /// <returns>Its stream id.</returns>
    /// <exception cref="ObjectDisposedException">The topic was disposed.</exception>
    /// <exception cref="WrongTypeException">The key holds something other than a stream.</exception>
    /// <exception cref="NotSupportedException">The server has no streams (Garnet).</exception>
    public string Publish(T message) => Sync.Wait(PublishAsync(message));

    /// <summary>Appends a message for every group, trimming the stream as configured.</summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Stops waiting for the reply (the message may be published all the same).</param>
    /// <returns>Its stream id.</returns>
    /// <exception cref="ObjectDisposedException">The topic was disposed.</exception>
    /// <exception cref="WrongTypeException">The key holds something other than a stream.</exception>
    /// <exception cref="NotSupportedException">The server has no streams (Garnet).</exception>
    public ValueTask<string> PublishAsync(T message, CancellationToken cancellationToken = default) =>
        TopicSpans.On ? ObservedPublishAsync(message, cancellationToken) : PublishCoreAsync(message, cancellationToken);

    /// <summary>The number of messages retained.</summary>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ObjectDisposedException">The topic was disposed.</exception>
    public ValueTask<long> CountAsync(CancellationToken cancellationToken = default) =>
        StreamsAsync("XLEN", CallAsync(0, static (d, k, _) => d.StreamLengthAsync(k), static (length, _, _) => length, cancellationToken), null);

    /// <summary>
    /// Creates the consumer group <paramref name="group"/> (and the stream, if missing), which will
    /// receive the messages after <paramref name="from"/>; a group that exists already is left as it is.
    /// </summary>
    /// <param name="group">The group's name.</param>
    /// <param name="from">Where the group starts: <see cref="TopicPosition.NewMessages"/>, <see cref="TopicPosition.Beginning"/>, after an id or since a time.</param>
    /// <returns>Whether the group was created (<see langword="false"/>: it existed).</returns>
    /// <exception cref="ArgumentException"><paramref name="group"/> is empty.</exception>
    /// <exception cref="ObjectDisposedException">The topic was disposed.</exception>
    public bool CreateGroup(string group, TopicPosition from) => Sync.Wait(CreateGroupAsync(group, from));

    /// <summary>Creates the consumer group <paramref name="group"/> (and the stream, if missing) at <paramref name="from"/>; see <see cref="CreateGroup"/>.</summary>
    /// <param name="group">The group's name.</param>
    /// <param name="from">Where the group starts.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether the group was created (<see langword="false"/>: it existed).</returns>
    /// <exception cref="ArgumentException"><paramref name="group"/> is empty.</exception>
    /// <exception cref="ObjectDisposedException">The topic was disposed.</exception>
    public async ValueTask<bool> CreateGroupAsync(string group, TopicPosition from, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(group);
        ArgumentNullException.ThrowIfNull(from);
        try
        {
            return await StreamsAsync("XGROUP CREATE", CallAsync((Group: group, From: from.AfterId), static (d, k, s) => d.StreamCreateConsumerGroupAsync(k, s.Group, s.From, createStream: true), static (created, _, _) => created, cancellationToken), group).ConfigureAwait(false);
        }
        catch (RedisServerException error) when (RedisErrors.ScriptlessMessage(error).StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            return false;
        }
    }

    /// <summary>Deletes the consumer group <paramref name="group"/> with its pending deliveries.</summary>
    /// <param name="group">The group's name.</param>
    /// <returns>Whether it existed.</returns>
    /// <exception cref="ArgumentException"><paramref name="group"/> is empty.</exception>
    /// <exception cref="ObjectDisposedException">The topic was disposed.</exception>
    public bool DeleteGroup(string group) => Sync.Wait(DeleteGroupAsync(group));

    /// <summary>Deletes the consumer group <paramref name="group"/> with its pending deliveries.</summary>
    /// <param name="group">The group's name.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>Whether it existed.</returns>
    /// <exception cref="ArgumentException"><paramref name="group"/> is empty.</exception>
    /// <exception cref="ObjectDisposedException">The topic was disposed.</exception>
    public async ValueTask<bool> DeleteGroupAsync(string group, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(group);
        if (!await CallAsync(0, static (d, k, _) => d.KeyExistsAsync(k), static (exists, _, _) => exists, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        return await StreamsAsync("XGROUP DESTROY", CallAsync(group, static (d, k, g) => d.StreamDeleteConsumerGroupAsync(k, g), static (deleted, _, _) => deleted, cancellationToken), null).ConfigureAwait(false);
    }

    /// <summary>How many deliveries of group <paramref name="group"/> are pending: received, not yet acknowledged.</summary>
    /// <param name="group">The group's name.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentException"><paramref name="group"/> is empty.</exception>
    /// <exception cref="InvalidOperationException">The group does not exist.</exception>
    /// <exception cref="ObjectDisposedException">The topic was disposed.</exception>
    public long PendingCount(string group) => Sync.Wait(PendingCountAsync(group));

    /// <summary>How many deliveries of group <paramref name="group"/> are pending: received, not yet acknowledged.</summary>
    /// <param name="group">The group's name.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentException"><paramref name="group"/> is empty.</exception>
    /// <exception cref="InvalidOperationException">The group does not exist.</exception>
    /// <exception cref="ObjectDisposedException">The topic was disposed.</exception>
    public ValueTask<long> PendingCountAsync(string group, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(group);
        return StreamsAsync("XPENDING", CallAsync(group, static (d, k, g) => d.StreamPendingAsync(k, g), static (pending, _, _) => (long)pending.PendingMessageCount, cancellationToken), group);
    }

    /// <summary>
    /// A consumer <paramref name="consumer"/> of group <paramref name="group"/> (created with
    /// <see cref="CreateGroupAsync"/>): enumerate it, or call <see cref="ReliableTopicSubscription{T}.ReceiveAsync"/>,
    /// and acknowledge each delivery. Nothing is sent until the first receive.
    /// </summary>
    /// <param name="group">The group's name.</param>
    /// <param name="consumer">The consumer's name within the group: one per live worker (two subscriptions under one name share its pending deliveries). Redis keeps every name a group has seen, so prefer stable names (a host and worker number) to random ones.</param>
    /// <param name="batchSize">How many messages one take fetches at most; they are pending from then on.</param>
    /// <returns>The subscription; dispose it to stop receiving.</returns>
    /// <exception cref="ArgumentException"><paramref name="group"/> or <paramref name="consumer"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is not positive.</exception>
    /// <exception cref="ObjectDisposedException">The topic was disposed.</exception>
    public ReliableTopicSubscription<T> Subscribe(string group, string consumer, int batchSize = 16)
    {
        ArgumentException.ThrowIfNullOrEmpty(group);
        ArgumentException.ThrowIfNullOrEmpty(consumer);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ThrowIfDisposed();
        return new(this, group, consumer, batchSize);
    }

    /// <summary>
    /// Reads the messages after <paramref name="from"/> without a group (nothing is acknowledged or
    /// redelivered): those retained now, and with <paramref name="follow"/> then every new one as it
    /// is published, until cancelled.
    /// </summary>
    /// <param name="from">Where to start.</param>
    /// <param name="follow">Whether to wait for new messages at the end of the stream instead of ending there.</param>
    /// <param name="cancellationToken">Stops the enumeration.</param>
    /// <returns>The messages, in order.</returns>
    /// <exception cref="CodecException">An entry cannot be decoded (the enumeration stops there).</exception>
    /// <exception cref="ObjectDisposedException">The topic was disposed.</exception>
    public async IAsyncEnumerable<TopicMessage<T>> ReadAsync(TopicPosition from, bool follow = false, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        ThrowIfDisposed();
        var after = (RedisValue)from.AfterId;
        if (from == TopicPosition.NewMessages)
        {
            after = await StreamsAsync("XREVRANGE", CallAsync(0, static (d, k, _) => d.StreamRangeAsync(k, "-", "+", 1, Order.Descending), static (last, _, _) => last.Length > 0 ? last[0].Id : (RedisValue)"0-0", cancellationToken), null).ConfigureAwait(false);
        }

        while (true)
        {
            var page = await ReadPageAsync(after, cancellationToken).ConfigureAwait(false);
            if (page.Length == 0)
            {
                if (!follow)
                {
                    yield break;
                }

                page = await WakeUpWait.UntilAsync(Database, Key, PublishedSuffix, WakeMode.All, Deadline.Never, RetryPause, (Topic: this, After: after), static (s, t) => s.Topic.ReadPageAsync(s.After, t), static p => p.Length > 0, null, cancellationToken).ConfigureAwait(false);
            }

            foreach (var entry in page)
            {
                after = entry.Id;
                yield return new((string)entry.Id!, Decode((string)entry.Id!, entry[ReliableTopicScripts.MessageField]));
            }
        }
    }

    /// <summary>Acknowledges message <paramref name="id"/> in <paramref name="group"/>.</summary>
    /// <remarks>
    /// Not through <see cref="StreamsAsync"/>: a delivery comes from a take, so the server has streams,
    /// and <c>XACK</c> answers 0 for a group that was destroyed since.
    /// </remarks>
    internal ValueTask<bool> AcknowledgeAsync(string group, string id, CancellationToken cancellationToken) =>
        CallAsync((Group: group, Id: id, Topic: this), static (d, k, s) => d.StreamAcknowledgeAsync(k, s.Group, s.Id), static (acknowledged, s, _) => TopicTelemetry.Acknowledged(s.Topic, acknowledged == 1), cancellationToken);

    /// <summary>
    /// One take of <paramref name="consumer"/> in <paramref name="group"/>; never abandoned once sent.
    /// New messages come by a bare <c>XREADGROUP</c>; claiming idle ones, dead-lettering and the
    /// next due time need the script (<see cref="ReliableTopicScripts.Take"/>), which runs when
    /// <paramref name="claimFirst"/> or when there is nothing new.
    /// </summary>
    internal async ValueTask<ReliableTopicTake> TakeAsync(string group, string consumer, int batchSize, bool claimFirst, RedisValue cursor)
    {
        if (!claimFirst)
        {
            var read = await StreamsAsync("XREADGROUP", CallAsync((Group: group, Consumer: consumer, Count: batchSize), static (d, k, s) => d.StreamReadGroupAsync(k, s.Group, s.Consumer, StreamPosition.NewMessages, s.Count), static (entries, _, _) => entries, CancellationToken.None), group).ConfigureAwait(false);
            if (read.Length > 0)
            {
                return ReliableTopicTake.New(read, cursor);
            }
        }

        RedisValue[] values = [group, consumer, batchSize, (long)VisibilityTimeout.TotalMilliseconds, MaxDeliveries, claimFirst ? 1 : 0, cursor];
        return await StreamsAsync("XREADGROUP", EvaluateAsync(ReliableTopicScripts.Take, _takeKeys, values, 0, static (reply, _, _) => ReliableTopicTake.Read(reply), CancellationToken.None), group).ConfigureAwait(false);
    }

    /// <summary>Decodes the message of entry <paramref name="id"/>.</summary>
    /// <exception cref="CodecException">The entry has no message field, or its message cannot be decoded.</exception>
    internal T Decode(string id, RedisValue message) =>
        message.IsNull
            ? throw new CodecException(Key.ToString(), id, $"a {nameof(RedisReliableTopic<T>)} entry (with a '{ReliableTopicScripts.MessageField}' field)", "(an entry without one)")
            : Codec.DecodeAt(message, Key, id);

    /// <inheritdoc />
    private protected override void ReleaseResources()
    {
        if (OwnsKey)
        {
            Sync.Wait(CallAsync(DeadLetterKey, static (d, _, key) => d.KeyDeleteAsync(key, CommandFlags.FireAndForget), CancellationToken.None));
        }
    }

    private ValueTask<string> PublishCoreAsync(T message, CancellationToken cancellationToken)
    {
        var encoded = Codec.Encode(message);
        RedisValue[] values = [encoded, MaxLength, MaxAge is { } age ? (long)age.TotalMilliseconds : 0, PublishedSuffix];
        return StreamsAsync("XADD", EvaluateAsync(ReliableTopicScripts.Publish, _keys, values, this, static (id, topic, _) => Published(topic, (string)id!), cancellationToken), null);
    }

    private async ValueTask<string> ObservedPublishAsync(T message, CancellationToken cancellationToken)
    {
        var span = TopicSpans.Publish(KeyName, Database.Database);
        try
        {
            var id = await PublishCoreAsync(message, cancellationToken).ConfigureAwait(false);
            TopicSpans.End(span, id);
            return id;
        }
        catch (Exception error)
        {
            TopicSpans.End(span, null, error);
            throw;
        }
    }

    private static string Published(RedisReliableTopic<T> topic, string id)
    {
        TopicTelemetry.Published(topic.KeyName);
        return id;
    }

    private ValueTask<StreamEntry[]> ReadPageAsync(RedisValue after, CancellationToken cancellationToken) =>
        StreamsAsync("XREAD", CallAsync(after, static (d, k, a) => d.StreamReadAsync(k, a, ReadPage), static (entries, _, _) => entries, cancellationToken), null);

    // A server without streams answers "unknown command", and a missing group NOGROUP: both say less than they should.
    private async ValueTask<TResult> StreamsAsync<TResult>(string command, ValueTask<TResult> call, string? group)
    {
        try
        {
            return await call.ConfigureAwait(false);
        }
        catch (RedisServerException error) when (MissingCommands.IsUnknownCommand(error) || error.Message.Contains("Unknown Redis command", StringComparison.OrdinalIgnoreCase))
        {
            throw new NotSupportedException($"The server does not know the stream command {command} ({error.Message}): it has no stream commands, so the reliable topic '{Key}' cannot work there: it needs Redis 6.2 or later. Garnet has no streams; use RedisQueue<T> (each item to one consumer) or RedisTopic<T> (fan-out to live subscribers) there.", error);
        }
        catch (RedisServerException error) when (group is not null && RedisErrors.ScriptlessMessage(error).StartsWith("NOGROUP", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The reliable topic '{Key}' has no consumer group '{group}' (or no stream yet): create it first with CreateGroupAsync(\"{group}\", TopicPosition.NewMessages) or another position.", error);
        }
    }
}
