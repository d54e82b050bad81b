using StackExchange.Redis;
using Xunit;

namespace Pottery.Testing.Redis;

/// <summary>
/// An xunit class fixture: <see cref="MasterCount"/> independent redis-server masters for a
/// test class (five, the largest Redlock deployment in common use).
/// </summary>
public class RedisMastersFixture : IAsyncLifetime
{
    private RedisMasters? _masters;

    /// <summary>How many masters to start.</summary>
    public virtual int MasterCount => 5;

    /// <summary>The masters.</summary>
    public RedisMasters Masters => _masters ?? throw new InvalidOperationException("The Redis fixture has not been initialised.");

    /// <summary>Database 0 of each master.</summary>
    public IReadOnlyList<IDatabase> Databases => Masters.Databases;

    /// <inheritdoc />
    public async Task InitializeAsync() => _masters = await RedisMasters.StartAsync(MasterCount).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_masters is not null)
        {
            await _masters.DisposeAsync().ConfigureAwait(false);
        }
    }
}
