using BenchmarkDotNet.Attributes;
using StackExchange.Redis;

namespace Pottery.Benchmarks.Codecs;

/// <summary>The cost of turning values into Redis strings and back, per value.</summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private static readonly IRedisCodec<long> Int64 = RedisCodecs.For<long>();
    private static readonly IRedisCodec<double> Double = RedisCodecs.For<double>();
    private static readonly IRedisCodec<DateTimeOffset> Timestamp = RedisCodecs.For<DateTimeOffset>();
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 6, 47, 43, TimeSpan.Zero);
    private readonly RedisValue _int64 = Int64.Encode(-1234567890123);
    private readonly RedisValue _double = Double.Encode(0.1);
    private readonly RedisValue _timestamp = Timestamp.Encode(Now);

    [Benchmark]
    public RedisValue EncodeInt64() => Int64.Encode(-1234567890123);

    [Benchmark]
    public long DecodeInt64() => Int64.Decode(_int64);

    [Benchmark]
    public RedisValue EncodeDouble() => Double.Encode(0.1);

    [Benchmark]
    public double DecodeDouble() => Double.Decode(_double);

    [Benchmark]
    public RedisValue EncodeDateTimeOffset() => Timestamp.Encode(Now);

    [Benchmark]
    public DateTimeOffset DecodeDateTimeOffset() => Timestamp.Decode(_timestamp);
}
