using Pottery;

namespace Pottery.Samples.Web;

/// <summary>The hosted consumer's handler: "sends" each queued email by recording it in a Redis list.</summary>
public sealed partial class EmailSender(PotteryRedis redis, ILogger<EmailSender> logger) : IQueueHandler<string>
{
    /// <summary>The list of sent emails, newest last.</summary>
    public const string SentKey = "emails:sent";

    /// <inheritdoc />
    public async ValueTask HandleAsync(string item, CancellationToken cancellationToken)
    {
        using var sent = new RedisList<string>(redis.Database, SentKey);
        await sent.AddAsync(item, cancellationToken);
        LogSent(logger, item);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent an email to {Email}")]
    private static partial void LogSent(ILogger logger, string email);
}
