using System.Globalization;

namespace Pottery.Benchmarks.Paired;

/// <summary>
/// The share of CPU time the hypervisor gave to other machines (the <c>steal</c> column of
/// <c>/proc/stat</c>): on a shared virtual machine it swings from nothing to tens of percent, and
/// numbers taken under heavy steal measure the neighbours, not the code.
/// </summary>
internal readonly record struct CpuSteal(long Steal, long Total)
{
    public static CpuSteal Now()
    {
        if (!File.Exists("/proc/stat"))
        {
            return default;
        }

        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        return new(fields.Length > 7 ? fields[7] : 0, fields.Sum());
    }

    public string Since(CpuSteal start) => Total == start.Total
        ? "unknown"
        : ((double)(Steal - start.Steal) / (Total - start.Total)).ToString("P1", CultureInfo.InvariantCulture);
}
