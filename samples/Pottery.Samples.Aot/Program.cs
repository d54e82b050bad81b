using Pottery;
using Pottery.Samples.Aot;
using Pottery.Samples.Quickstart;
using StackExchange.Redis;

// Runs every generated member kind once and prints what it saw; .ci/run checks the last line.
var url = Environment.GetEnvironmentVariable("REDIS_URL");
if (string.IsNullOrWhiteSpace(url))
{
    Console.Error.WriteLine("Set REDIS_URL (e.g. redis://127.0.0.1:6379/0).");
    return 2;
}

await using var connection = await ConnectionMultiplexer.ConnectAsync(RedisUrl.Parse(url));
var redis = connection.GetDatabase();
var id = Guid.NewGuid().ToString("N");

var customer = new Customer(redis, id) { Name = "Ann", Orders = 0 };
customer.Home = new Address("1 Main St", "Springfield", ["ring twice"]);
customer.Settings = new Preferences { Channel = "sms", Topics = ["sales"] };
var snapshot = await customer.LoadAsync();
Console.WriteLine($"RedisDict: {snapshot.Name} at {snapshot.Home?.Street}, {snapshot.Home?.City} ({string.Join(", ", snapshot.Home?.Notes ?? [])})");
Console.WriteLine($"System.Text.Json: {snapshot.Settings?.Channel} about {string.Join(", ", snapshot.Settings?.Topics ?? [])}");

var shipping = new Shipping(redis);
Console.WriteLine($"Synchronize: {await shipping.ShipAsync(7, customer, CancellationToken.None)}");
Console.WriteLine($"Semaphore: {await shipping.PrintLabel(7)}");

await using var seen = new SeenOrders(redis);
await seen.AddAsync("order-7");
var answers = await seen.ContainsManyAsync(["order-7", "order-8"]);
Console.WriteLine($"RedisBloom: {SeenOrders.Bits} bits, {SeenOrders.Hashes} hashes; contains order-7, order-8: {string.Join(", ", answers)}");

var ok = snapshot.Home?.Notes is ["ring twice"] && snapshot.Settings is { Channel: "sms", Topics: ["sales"] } && customer.Orders == 1 && answers is [true, false];
await customer.DeleteAsync();
Console.WriteLine(ok ? "AOT sample OK" : "AOT sample FAILED");
return ok ? 0 : 1;
