using System.Globalization;
using System.Numerics;
using System.Text.Json.Serialization.Metadata;

namespace Pottery;

/// <summary>
/// Chooses the codec for a type without reflection: a codec registered for the type (the
/// generator registers MessagePack codecs for user types; <see cref="Register{T}(JsonTypeInfo{T})"/>
/// registers System.Text.Json ones), else a built-in codec for strings,
/// numbers, booleans, enums, GUIDs, dates, durations, byte arrays and their nullable forms.
/// </summary>
public static class RedisCodecs
{
    private const NumberStyles Integer = NumberStyles.AllowLeadingSign;
    private const NumberStyles Fractional = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    /// <summary>Registers the codec to use for <typeparamref name="T"/> from now on, in place of the built-in choice.</summary>
    /// <typeparam name="T">The type the codec handles.</typeparam>
    /// <param name="codec">The codec.</param>
    public static void Register<T>(IRedisCodec<T> codec)
    {
        ArgumentNullException.ThrowIfNull(codec);
        Registered<T>.Codec = codec;
    }

    /// <summary>
    /// Registers a <see cref="SystemTextJsonCodec{T}"/> over <paramref name="typeInfo"/> (a
    /// source-generated <c>JsonSerializerContext</c>'s metadata) as the codec for <typeparamref name="T"/>.
    /// </summary>
    /// <typeparam name="T">The type to store as JSON.</typeparam>
    /// <param name="typeInfo">The metadata to serialize with, e.g. <c>AppJsonContext.Default.Customer</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="typeInfo"/> is null.</exception>
    public static void Register<T>(JsonTypeInfo<T> typeInfo) => Register(new SystemTextJsonCodec<T>(typeInfo));

    /// <summary>The codec Pottery uses for <typeparamref name="T"/> when none is given.</summary>
    /// <typeparam name="T">The type to store.</typeparam>
    /// <returns>The registered or built-in codec.</returns>
    /// <exception cref="NotSupportedException">There is no codec for <typeparamref name="T"/>.</exception>
    public static IRedisCodec<T> For<T>() =>
        Registered<T>.Codec ?? BuiltIn<T>.Codec ?? throw new NotSupportedException(
            $"Pottery has no codec for {typeof(T).FullName}. Pass an IRedisCodec<{typeof(T).Name}> explicitly, " +
            $"register one with RedisCodecs.Register (RedisCodecs.Register(MyJsonContext.Default.{typeof(T).Name}) stores it as System.Text.Json), " +
            "or mark the type [MessagePackObject] so the generator emits one.");

    private static class Registered<T>
    {
        public static volatile IRedisCodec<T>? Codec;
    }

    private static class BuiltIn<T>
    {
        public static readonly IRedisCodec<T>? Codec = Choose();

        private static IRedisCodec<T>? Choose()
        {
            if (typeof(T) == typeof(string))
            {
                return (IRedisCodec<T>)(object)StringCodec.Instance;
            }

            if (typeof(T) == typeof(byte[]))
            {
                return (IRedisCodec<T>)(object)ByteArrayCodec.Instance;
            }

            if ((Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T)).IsEnum)
            {
                return new EnumCodec<T>();
            }

            return Value(BooleanCodec.Instance)
                ?? Value(CharCodec.Instance)
                ?? Value(new NumberCodec<int>(Integer))
                ?? Value(new NumberCodec<long>(Integer))
                ?? Value(new NumberCodec<short>(Integer))
                ?? Value(new NumberCodec<sbyte>(Integer))
                ?? Value(new NumberCodec<byte>(Integer))
                ?? Value(new NumberCodec<ushort>(Integer))
                ?? Value(new NumberCodec<uint>(Integer))
                ?? Value(new NumberCodec<ulong>(Integer))
                ?? Value(new NumberCodec<Int128>(Integer))
                ?? Value(new NumberCodec<UInt128>(Integer))
                ?? Value(new NumberCodec<BigInteger>(Integer))
                ?? Value(new NumberCodec<decimal>(Fractional))
                ?? Value(FloatingPointCodec<double>.Instance)
                ?? Value(FloatingPointCodec<float>.Instance)
                ?? Value(FloatingPointCodec<Half>.Instance)
                ?? Value(GuidCodec.Instance)
                ?? Value(DateTimeCodec.Instance)
                ?? Value(DateTimeOffsetCodec.Instance)
                ?? Value(TimeSpanCodec.Instance);
        }

        // The codec when T is TValue, its nullable wrapper when T is TValue?, else null.
        private static IRedisCodec<T>? Value<TValue>(IRedisCodec<TValue> codec)
            where TValue : struct
        {
            if (typeof(T) == typeof(TValue))
            {
                return (IRedisCodec<T>)(object)codec;
            }

            return typeof(T) == typeof(TValue?) ? (IRedisCodec<T>)(object)new NullableCodec<TValue>(codec) : null;
        }
    }
}
