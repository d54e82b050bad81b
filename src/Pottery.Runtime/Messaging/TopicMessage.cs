namespace Pottery;

/// <summary>A message read from a <see cref="RedisReliableTopic{T}"/> without a consumer group: nothing to acknowledge.</summary>
/// <typeparam name="T">The message type.</typeparam>
public sealed class TopicMessage<T>
{
    internal TopicMessage(string id, T value) => (Id, Value) = (id, value);

    /// <summary>The message's stream id (<c>&lt;milliseconds&gt;-&lt;sequence&gt;</c>); <see cref="TopicPosition.After"/> resumes after it.</summary>
    public string Id { get; }

    /// <summary>The message.</summary>
    public T Value { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Value} ({Id})";
}
