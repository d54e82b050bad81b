using StackExchange.Redis;

namespace Pottery;

/// <summary>What one take of a consumer brought: entries (claimed or new), the next claim cursor, which entries it dead-lettered, and when nothing came, how soon a pending entry may be claimed.</summary>
internal readonly struct ReliableTopicTake
{
    private ReliableTopicTake(Entry[] entries, RedisValue cursor, string[] deadLettered, TimeSpan? nextDue)
    {
        Entries = entries;
        Cursor = cursor;
        DeadLettered = deadLettered;
        NextDue = nextDue;
    }

    /// <summary>The entries, in the order to hand them out.</summary>
    public Entry[] Entries { get; }

    /// <summary>Where the next XAUTOCLAIM scan of the pending list starts.</summary>
    public RedisValue Cursor { get; }

    /// <summary>The ids of the entries the take moved to the dead-letter stream instead of claiming them.</summary>
    public string[] DeadLettered { get; }

    /// <summary>When nothing came: how soon a pending entry will have been idle long enough to claim, if any is pending.</summary>
    public TimeSpan? NextDue { get; }

    /// <summary>Whether anything came.</summary>
    public bool Found => Entries.Length > 0;

    /// <summary>Reads the reply of <see cref="ReliableTopicScripts.Take"/>.</summary>
    /// <param name="reply">The script's reply.</param>
    /// <returns>The take.</returns>
    public static ReliableTopicTake Read(RedisResult reply)
    {
        var parts = (RedisResult[])reply!;
        var taken = (RedisResult[])parts[1]!;
        var entries = new Entry[taken.Length];
        for (var i = 0; i < taken.Length; i++)
        {
            var entry = (RedisResult[])taken[i]!;
            entries[i] = new((string)entry[0]!, Message((RedisResult[])entry[1]!), (int)entry[2]);
        }

        var due = (long)parts[3];
        return new(entries, (RedisValue)parts[0], (string[])parts[2]!, entries.Length == 0 && due >= 0 ? TimeSpan.FromMilliseconds(due) : null);
    }

    /// <summary>New entries read by <c>XREADGROUP</c>: each a first delivery; the claim cursor stays <paramref name="cursor"/>.</summary>
    /// <param name="read">The entries, at least one.</param>
    /// <param name="cursor">The claim cursor before the read.</param>
    /// <returns>The take.</returns>
    public static ReliableTopicTake New(StreamEntry[] read, RedisValue cursor)
    {
        var entries = new Entry[read.Length];
        for (var i = 0; i < read.Length; i++)
        {
            entries[i] = new((string)read[i].Id!, read[i][ReliableTopicScripts.MessageField], 1);
        }

        return new(entries, cursor, [], null);
    }

    /// <summary>The <c>message</c> field among an entry's fields and values; null when it has none.</summary>
    /// <param name="fields">Field names and values, alternating.</param>
    /// <returns>The message, or null.</returns>
    public static RedisValue Message(RedisResult[] fields)
    {
        for (var i = 0; i + 1 < fields.Length; i += 2)
        {
            if ((string?)fields[i] == ReliableTopicScripts.MessageField)
            {
                return (RedisValue)fields[i + 1];
            }
        }

        return RedisValue.Null;
    }

    /// <summary>One taken entry.</summary>
    /// <param name="Id">Its stream id.</param>
    /// <param name="Message">Its encoded message; null when the entry has no <c>message</c> field.</param>
    /// <param name="DeliveryCount">Which delivery in the group this is.</param>
    internal readonly record struct Entry(string Id, RedisValue Message, int DeliveryCount);
}
