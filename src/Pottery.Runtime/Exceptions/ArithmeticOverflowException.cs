namespace Pottery;

/// <summary>
/// Thrown when a stored number would leave its range: a count or integer field past
/// <see cref="long.MaxValue"/> or below <see cref="long.MinValue"/>, a floating-point field past
/// infinity. Pottery's counterpart of <see cref="OverflowException"/>; nothing was written.
/// </summary>
public class ArithmeticOverflowException : PotteryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What would have overflowed.</param>
    /// <param name="key">The Redis key involved.</param>
    /// <param name="field">The hash field or element whose value would have overflowed, if one is known.</param>
    /// <param name="innerException">Redis' own error, if it came from Redis.</param>
    public ArithmeticOverflowException(string message, string? key = null, string? field = null, Exception? innerException = null)
        : base(message, key, innerException)
    {
        Field = field;
    }

    /// <summary>The hash field or element whose value would have overflowed, if one is known.</summary>
    public string? Field { get; }
}
