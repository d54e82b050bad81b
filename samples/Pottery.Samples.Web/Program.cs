using System.Threading.RateLimiting;
using Microsoft.Extensions.Caching.Hybrid;
using OpenTelemetry.Metrics;
using Pottery;
using Pottery.Samples.Web;

// Configuration as any ASP.NET Core app has it: appsettings.json, or the environment
// (Pottery__ConnectionString=localhost:6379).
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddPottery()
    .AddQueue<string>("emails", maxDeliveries: 5)
    .AddQueueConsumer<string, EmailSender>("emails")
    .Add((_, redis) => new Shipping(redis.LockMasters))
    .AddDistributedCache();
builder.Services.AddHybridCache();
builder.Services.AddHealthChecks().AddPotteryRedis().AddPotteryLockQuorum();

// ASP.NET Core's rate limiting with the bucket in Redis: each client gets 3 requests, then 1 a
// minute, however many instances of the app serve it. The middleware tries synchronously first, so
// the limiter refuses that try without asking and each request asks Redis once, asynchronously.
builder.Services.AddRateLimiter(limits =>
{
    limits.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
    limits.AddPolicy("per-client", context =>
    {
        var redis = context.RequestServices.GetRequiredService<PotteryRedis>();
        return RateLimitPartition.Get(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", client =>
            new RedisTokenBucketRateLimiter(redis.Database, $"rate:{client}", new()
            {
                TokenLimit = 3,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = TimeSpan.FromMinutes(1),
                RefuseSynchronousAttempts = true,
            }));
    });
});
builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(PotteryTelemetry.MeterName).AddPrometheusExporter());

var app = builder.Build();
app.UseRateLimiter();

app.MapGet("/profiles/{id}", async (string id, PotteryRedis redis, CancellationToken ct) =>
    await new Profile(redis.Database, id).TryLoadAsync(ct) is { } profile
        ? Results.Ok(new ProfileView(profile.Name, profile.Visits))
        : Results.NotFound());

app.MapPut("/profiles/{id}", async (string id, ProfileView input, PotteryRedis redis, CancellationToken ct) =>
{
    await new Profile(redis.Database, id).SaveAsync(new Profile.Snapshot { Name = input.Name, Visits = input.Visits }, ct);
    return Results.NoContent();
});

app.MapPost("/profiles/{id}/visits", async (string id, PotteryRedis redis, CancellationToken ct) =>
    Results.Ok(await new Profile(redis.Database, id).IncrementVisitsAsync(1, ct)));

app.MapPost("/emails", async (EmailRequest request, [FromKeyedServices("emails")] RedisQueue<string> emails, CancellationToken ct) =>
{
    await emails.EnqueueAsync(request.To, ct);
    return Results.Accepted();
});

app.MapGet("/emails/sent", async (PotteryRedis redis, CancellationToken ct) =>
{
    using var sent = new RedisList<string>(redis.Database, EmailSender.SentKey);
    return Results.Ok(await sent.GetRangeAsync(.., ct));
});

app.MapPost("/orders/{id:int}/ship", async (int id, Shipping shipping, CancellationToken ct) =>
    Results.Ok(await shipping.Ship(id, ct)));

// HybridCache with Pottery as its second level: every instance of the app computes a quote once.
app.MapGet("/quotes/{symbol}", async (string symbol, HybridCache cache, CancellationToken ct) =>
    Results.Ok(await cache.GetOrCreateAsync($"quote:{symbol}", async _ =>
    {
        await Task.Yield();
        return $"{symbol.ToUpperInvariant()} computed by {Environment.ProcessId} at {DateTimeOffset.UtcNow:O}";
    }, cancellationToken: ct)));

app.MapGet("/limited", () => "served").RequireRateLimiting("per-client");

app.MapHealthChecks("/health");
app.MapPrometheusScrapingEndpoint();

app.Run();

/// <summary>What the profile endpoints read and write.</summary>
internal sealed record ProfileView(string? Name, long Visits);

/// <summary>An email to send.</summary>
internal sealed record EmailRequest(string To);
