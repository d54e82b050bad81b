using Pottery.Benchmarks.Caching;
using Pottery.Benchmarks.Collections;
using Pottery.Benchmarks.Generated;
using Pottery.Benchmarks.Locking;
using Pottery.Benchmarks.Messaging;
using Pottery.Benchmarks.Probabilistic;

namespace Pottery.Benchmarks.Paired;

/// <summary>The pairs behind the issues' ratio targets, over the BenchmarkDotNet classes' own setup and methods.</summary>
internal static class PairGroups
{
    public static IEnumerable<PairGroup> All()
    {
        foreach (var masters in new[] { 1, 5 })
        {
            var locks = new LockBenchmarks { Masters = masters };
            yield return new($"Lock cycles, {masters} master(s)", locks.Start, locks.Stop, [
                new("DistributedLockCycle", Loops.Of(locks.DistributedLockCycle), "PotteryCycle", Loops.Of(locks.PotteryCycle), LockBenchmarks.Cycles),
                new("DistributedLockConcurrentCycles", Loops.Of(locks.DistributedLockConcurrentCycles), "PotteryConcurrentCycles", Loops.Of(locks.PotteryConcurrentCycles), LockBenchmarks.Concurrent * LockBenchmarks.CyclesPerCaller),
            ]);
        }

        foreach (var masters in new[] { 1, 5 })
        {
            var contended = new ContendedLockBenchmarks { Masters = masters };
            yield return new($"Contended lock, {masters} master(s), one key, fresh lock objects", contended.Start, contended.Stop, [
                new("DistributedLock16Callers", Loops.Of(() => contended.DistributedLockCycles(16)), "Pottery16Callers", Loops.Of(() => contended.PotteryCycles(16)), ContendedLockBenchmarks.CyclesPerCall),
                new("DistributedLock4Callers", Loops.Of(() => contended.DistributedLockCycles(4)), "Pottery4Callers", Loops.Of(() => contended.PotteryCycles(4)), ContendedLockBenchmarks.CyclesPerCall),
            ]);
        }

        // The ratio is a hand-off's time in PING round trips measured alongside: three is a hand-off made of release, wake-up and acquire.
        var handOffs = new ContendedLockBenchmarks { Masters = 1 };
        yield return new("Contended lock hand-offs, 1 master, in round trips", handOffs.Start, handOffs.Stop, [
            new("PingRoundTrip", Loops.Of(handOffs.PingRoundTrips), "PotteryHandOff16Callers", Loops.Of(() => handOffs.PotteryHandOffs(16)), ContendedLockBenchmarks.HandOffsPerCall),
            new("PingRoundTrip", Loops.Of(handOffs.PingRoundTrips), "PotteryHandOff2Callers", Loops.Of(() => handOffs.PotteryHandOffs(2)), ContendedLockBenchmarks.HandOffsPerCall),
        ]);

        var floor = new LockBenchmarks { Masters = 1 };
        HandWrittenCycles hand = null!;
        yield return new("Lock cycles written by hand, 1 master", async () => { await floor.Start(); hand = new(floor.FirstMaster); }, floor.Stop, [
            new("HandWrittenPipelinedCycle", Loops.Of(() => hand.PipelinedCycles(1)), "PotteryCycle", Loops.Of(floor.PotteryCycle), LockBenchmarks.CyclesPerCaller),
            new("HandWrittenScriptCycle", Loops.Of(() => hand.ScriptCycles(1)), "HandWrittenTransactionCycle", Loops.Of(() => hand.TransactionCycles(1)), LockBenchmarks.CyclesPerCaller),
            new("HandWrittenScriptCycle", Loops.Of(() => hand.ScriptCycles(1)), "HandWrittenPlainSetCycle", Loops.Of(() => hand.PlainCycles(1)), LockBenchmarks.CyclesPerCaller),
            new("HandWrittenScriptCycle", Loops.Of(() => hand.ScriptCycles(1)), "HandWrittenPipelinedCycle", Loops.Of(() => hand.PipelinedCycles(1)), LockBenchmarks.CyclesPerCaller),
            new("HandWrittenScriptConcurrent", Loops.Of(() => hand.ScriptCycles(LockBenchmarks.Concurrent)), "HandWrittenPipelinedConcurrent", Loops.Of(() => hand.PipelinedCycles(LockBenchmarks.Concurrent)), LockBenchmarks.Concurrent * LockBenchmarks.CyclesPerCaller),
            new("HandWrittenPipelinedConcurrent", Loops.Of(() => hand.PipelinedCycles(LockBenchmarks.Concurrent)), "PotteryConcurrentCycles", Loops.Of(floor.PotteryConcurrentCycles), LockBenchmarks.Concurrent * LockBenchmarks.CyclesPerCaller),
            new("HandWrittenPipelinedConcurrent", Loops.Of(() => hand.PipelinedCycles(LockBenchmarks.Concurrent)), "DistributedLockConcurrentCycles", Loops.Of(floor.DistributedLockConcurrentCycles), LockBenchmarks.Concurrent * LockBenchmarks.CyclesPerCaller),
        ]);

        var semaphores = new SemaphoreBenchmarks();
        yield return new($"Semaphore cycles, 1 server, {SemaphoreBenchmarks.Permits} permits", semaphores.Start, semaphores.Stop, [
            new("DistributedLockSemaphore1Caller", Loops.Of(() => semaphores.DistributedLockCycles(1)), "PotterySemaphore1Caller", Loops.Of(() => semaphores.PotteryCycles(1)), SemaphoreBenchmarks.CyclesPerCall),
            new("DistributedLockSemaphore16Callers", Loops.Of(() => semaphores.DistributedLockCycles(16)), "PotterySemaphore16Callers", Loops.Of(() => semaphores.PotteryCycles(16)), SemaphoreBenchmarks.CyclesPerCall),

            // The one-caller ceiling: each side's cycle shape with scripts that do nothing.
            new("TwoAwaitedScripts", Loops.Of(semaphores.TwoAwaitedScripts), "FireAndForgetThenAwaitedScript", Loops.Of(semaphores.FireAndForgetThenAwaitedScript), SemaphoreBenchmarks.CyclesPerCall),
        ]);

        var readers = new ReaderWriterLockBenchmarks();
        yield return new("Reader lock cycles, 1 server", readers.Start, readers.Stop, [
            new("DistributedLockRead1Caller", Loops.Of(() => readers.DistributedLockReadCycles(1)), "PotteryRead1Caller", Loops.Of(() => readers.PotteryReadCycles(1)), ReaderWriterLockBenchmarks.CyclesPerCall),
            new("DistributedLockRead16Callers", Loops.Of(() => readers.DistributedLockReadCycles(16)), "PotteryRead16Callers", Loops.Of(() => readers.PotteryReadCycles(16)), ReaderWriterLockBenchmarks.CyclesPerCall),
        ]);

        var (dict, set, list) = (new DictBenchmarks { Size = 1 }, new SetBenchmarks { Size = 1 }, new ListBenchmarks { Size = 1 });
        yield return new(
            "Collections, one call at a time",
            async () => { await dict.StartRedis(); await set.StartRedis(); await list.StartRedis(); },
            async () => { await dict.StopRedis(); await set.StopRedis(); await list.StopRedis(); },
            [
                new("RawGet", Loops.Of(dict.RawGet), "PotteryGet", Loops.Of(dict.PotteryGet)),
                new("RawSet", Loops.Of(dict.RawSet), "PotterySet", Loops.Of(dict.PotterySet)),
                new("RawContains", Loops.Of(set.RawContains), "PotteryContains", Loops.Of(set.PotteryContains)),
                new("RawAdd", Loops.Of(set.RawAdd), "PotteryAdd", Loops.Of(set.PotteryAdd)),
                new("RawIndex", Loops.Of(list.RawIndex), "PotteryIndex", Loops.Of(list.PotteryIndex)),
                new("RawAppend", Loops.Of(list.RawAppend), "PotteryAppend", Loops.Of(list.PotteryAppend)),
                new("RawDequeAppendPopLeft", Loops.Of(list.RawDequeAppendPopLeft), "PotteryDequeAppendPopLeft", Loops.Of(list.PotteryDequeAppendPopLeft)),
            ]);

        var cache = new CacheBenchmarks();
        yield return new("Memoized hit, one call at a time", cache.StartRedis, cache.StopRedis, [
            new("RawHGet", Loops.Of(cache.RawHGet), "MemoizedHit", Loops.Of(cache.MemoizedHit)),
            new("RawHGet", Loops.Of(cache.RawHGet), "MemoizedHitWithoutTimeout", Loops.Of(cache.MemoizedHitWithoutTimeout)),
        ]);

        var cacheBatch = new CacheBatchBenchmarks();
        yield return new("Memoized hit, 64 in flight", cacheBatch.StartRedis, cacheBatch.StopRedis, [
            new("RawHGet", Loops.Of(cacheBatch.RawHGet), "MemoizedHit", Loops.Of(cacheBatch.MemoizedHit), CacheBatchBenchmarks.Batch),
        ]);

        var bloom = new BloomBenchmarks();
        yield return new("Bloom, one call at a time", bloom.StartRedis, bloom.StopRedis, [
            new("RawSetBit", Loops.Of(bloom.RawSetBit), "PotteryAdd", Loops.Of(bloom.PotteryAdd)),
            new("RawBitfieldAdd", Loops.Of(bloom.RawBitfieldAdd), "PotteryAdd", Loops.Of(bloom.PotteryAdd)),
            new("RawGetBit", Loops.Of(bloom.RawGetBit), "PotteryContains", Loops.Of(bloom.PotteryContains)),
            new("RawBitfieldContains", Loops.Of(bloom.RawBitfieldContains), "PotteryContains", Loops.Of(bloom.PotteryContains)),
            new("RawGetBit", Loops.Of(bloom.RawGetBit), "RawBitfieldContains", Loops.Of(bloom.RawBitfieldContains)),
            new("RawSetBit", Loops.Of(bloom.RawSetBit), "RawBitfieldAdd", Loops.Of(bloom.RawBitfieldAdd)),
            new("RawPfAdd", Loops.Of(bloom.RawPfAdd), "PotteryHllAdd", Loops.Of(bloom.PotteryHllAdd)),
        ]);

        var bloomBatch = new BloomBatchBenchmarks();
        yield return new("Bloom, 64 in flight", bloomBatch.StartRedis, bloomBatch.StopRedis, [
            new("RawSetBit", Loops.Of(bloomBatch.RawSetBit), "PotteryAdd", Loops.Of(bloomBatch.PotteryAdd), BloomBatchBenchmarks.Batch),
            new("RawBitfieldAdd", Loops.Of(bloomBatch.RawBitfieldAdd), "PotteryAdd", Loops.Of(bloomBatch.PotteryAdd), BloomBatchBenchmarks.Batch),
            new("RawGetBit", Loops.Of(bloomBatch.RawGetBit), "PotteryContains", Loops.Of(bloomBatch.PotteryContains), BloomBatchBenchmarks.Batch),
            new("RawBitfieldContains", Loops.Of(bloomBatch.RawBitfieldContains), "PotteryContains", Loops.Of(bloomBatch.PotteryContains), BloomBatchBenchmarks.Batch),
        ]);

        var generated = new GeneratedDictBenchmarks();
        yield return new("Generated [RedisDict], one call at a time", generated.StartRedis, generated.StopRedis, [
            new("RawGet", Loops.Of(generated.RawGet), "GeneratedGet", Loops.Of(generated.GeneratedGet)),
            new("RawSet", Loops.Of(generated.RawSet), "GeneratedSet", Loops.Of(generated.GeneratedSet)),
            new("RawLoad", Loops.Of(generated.RawLoad), "GeneratedLoad", Loops.Of(generated.GeneratedLoad)),
        ]);

        var generatedBatch = new GeneratedDictBatchBenchmarks();
        yield return new("Generated [RedisDict], 64 in flight", generatedBatch.StartRedis, generatedBatch.StopRedis, [
            new("RawGet", Loops.Of(generatedBatch.RawGet), "GeneratedGet", Loops.Of(generatedBatch.GeneratedGet), GeneratedDictBatchBenchmarks.Batch),
            new("HandWrittenGet", Loops.Of(generatedBatch.HandWrittenGet), "GeneratedGet", Loops.Of(generatedBatch.GeneratedGet), GeneratedDictBatchBenchmarks.Batch),
            new("RawSet", Loops.Of(generatedBatch.RawSet), "GeneratedSet", Loops.Of(generatedBatch.GeneratedSet), GeneratedDictBatchBenchmarks.Batch),
            new("RawLoad", Loops.Of(generatedBatch.RawLoad), "GeneratedLoad", Loops.Of(generatedBatch.GeneratedLoad), GeneratedDictBatchBenchmarks.Batch),
            new("HandWrittenLoad", Loops.Of(generatedBatch.HandWrittenLoad), "GeneratedLoad", Loops.Of(generatedBatch.GeneratedLoad), GeneratedDictBatchBenchmarks.Batch),
        ]);

        // Four subscribers of a topic each get every message: four groups of one consumer, not one group of four.
        var reliableTopic = new ReliableTopicBenchmarks();
        yield return new($"Reliable topic, {ReliableTopicBenchmarks.Subscribers} subscribers, {ReliableTopicBenchmarks.Messages} messages at a time", reliableTopic.StartRedis, reliableTopic.StopRedis, [
            new("RawXReadGroupXAck", Loops.Of(reliableTopic.RawXReadGroupXAck), "PotteryReliableTopic", Loops.Of(reliableTopic.PotteryReliableTopic), ReliableTopicBenchmarks.Deliveries),
        ]);
    }
}
