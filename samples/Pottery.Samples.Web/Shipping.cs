using Pottery;
using StackExchange.Redis;

namespace Pottery.Samples.Web;

/// <summary>Ships orders, one at a time per order across every instance of the app.</summary>
public partial class Shipping(IReadOnlyList<IDatabase> masters)
{
    private readonly IEnumerable<IDatabase> _masters = masters;

    /// <summary>Marks an order shipped unless it already is; the lock makes check-then-write safe across instances.</summary>
    [Synchronize("orders:{orderId}", AutoReleaseSeconds = 10, TimeoutSeconds = 5)]
    private async Task<string> ShipCore(int orderId, CancellationToken cancellationToken)
    {
        var db = _masters.First();
        var key = $"order:{orderId}:shipped";
        if (await db.KeyExistsAsync(key))
        {
            return $"order {orderId} was already shipped";
        }

        cancellationToken.ThrowIfCancellationRequested();
        await db.StringSetAsync(key, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        return $"order {orderId} shipped";
    }
}
