namespace Pottery.Runtime.Tests.Locking;

public sealed class LockTokensTests
{
    [Fact]
    public async Task Tokens_are_32_hex_digits_and_never_repeat_across_threads_and_refills()
    {
        var perThread = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Enumerable.Range(0, 1000).Select(_ => LockTokens.Next()).ToArray())));
        var tokens = perThread.SelectMany(t => t).ToArray();

        Assert.All(tokens, token => Assert.Matches("^[0-9A-F]{32}$", token));
        Assert.Equal(tokens.Length, tokens.Distinct().Count());
    }
}
