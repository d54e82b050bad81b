using System.Globalization;
using Pottery.Generators.Emit;

namespace Pottery.Generators.Bloom;

/// <summary>Writes the typed Bloom filter members of a <see cref="BloomModel"/>.</summary>
internal static class BloomEmitter
{
    public static string Emit(BloomModel model)
    {
        var t = model.ElementType;
        var filter = $"global::Pottery.BloomFilter<{t}>";
        var w = new SourceWriter();
        w.BeginType(model.Type, $"partial {model.Type.Keyword} {model.Type.Name} : global::System.IDisposable, global::System.IAsyncDisposable");
        w.Line("/// <summary>How many elements the filter is sized for.</summary>");
        w.Line($"public const long Capacity = {model.Capacity.ToString(CultureInfo.InvariantCulture)}L;");
        w.Line("/// <summary>The false-positive rate the filter is sized for.</summary>");
        w.Line($"public const double FalsePositiveRate = {model.FalsePositiveRate.ToString("R", CultureInfo.InvariantCulture)};");
        w.Line("/// <summary>The number of bits, computed at compile time as pottery computes it.</summary>");
        w.Line($"public const long Bits = {model.Bits.ToString(CultureInfo.InvariantCulture)}L;");
        w.Line("/// <summary>The number of hash functions, computed at compile time as pottery computes it.</summary>");
        w.Line($"public const int Hashes = {model.Hashes.ToString(CultureInfo.InvariantCulture)};");
        w.Line();
        w.Line("/// <summary>Opens the filter at <paramref name=\"key\"/>, or at a random key deleted on dispose.</summary>");
        w.Line("/// <param name=\"database\">The Redis database.</param>");
        w.Line("/// <param name=\"key\">The filter's key, or <see langword=\"null\"/> for a random one.</param>");
        w.Line("/// <param name=\"codec\">How elements are encoded before hashing; the runtime's codec for the type by default.</param>");
        w.Open($"public {model.Type.Name}(global::StackExchange.Redis.IDatabase database, global::StackExchange.Redis.RedisKey? key = null, global::Pottery.IRedisCodec<{t}>? codec = null)");
        w.Line(model.Codec == "null"
            ? $"Filter = new {filter}(database, Capacity, FalsePositiveRate, key, codec);"
            : $"Filter = new {filter}(database, Capacity, FalsePositiveRate, key, codec ?? {model.Codec});");
        w.Close();
        w.Line();
        w.Line("/// <summary>The runtime filter behind this type.</summary>");
        w.Line($"public {filter} Filter {{ get; }}");
        w.Line();
        w.Line("/// <summary>The filter's Redis key.</summary>");
        w.Line("public global::StackExchange.Redis.RedisKey Key => Filter.Key;");
        w.Line();
        Forward(w, "Adds an element: one command setting its bits.", "void", "Add", $"{t} item", "Filter.Add(item)");
        Forward(w, "Adds an element: one command setting its bits.", "global::System.Threading.Tasks.ValueTask", "AddAsync", $"{t} item, global::System.Threading.CancellationToken cancellationToken = default", "Filter.AddAsync(item, cancellationToken)");
        Forward(w, "Adds many elements in one command.", "void", "AddRange", $"global::System.Collections.Generic.IEnumerable<{t}> items", "Filter.AddRange(items)");
        Forward(w, "Adds many elements in one command.", "global::System.Threading.Tasks.ValueTask", "AddRangeAsync", $"global::System.Collections.Generic.IEnumerable<{t}> items, global::System.Threading.CancellationToken cancellationToken = default", "Filter.AddRangeAsync(items, cancellationToken)");
        Forward(w, "Whether the element may have been added: false means certainly not.", "bool", "Contains", $"{t} item", "Filter.Contains(item)");
        Forward(w, "Whether the element may have been added: false means certainly not.", "global::System.Threading.Tasks.ValueTask<bool>", "ContainsAsync", $"{t} item, global::System.Threading.CancellationToken cancellationToken = default", "Filter.ContainsAsync(item, cancellationToken)");
        Forward(w, "Tests many elements in one command; answers in the elements' order.", "bool[]", "ContainsMany", $"global::System.Collections.Generic.IEnumerable<{t}> items", "Filter.ContainsMany(items)");
        Forward(w, "Tests many elements in one command; answers in the elements' order.", "global::System.Threading.Tasks.ValueTask<bool[]>", "ContainsManyAsync", $"global::System.Collections.Generic.IEnumerable<{t}> items, global::System.Threading.CancellationToken cancellationToken = default", "Filter.ContainsManyAsync(items, cancellationToken)");
        w.Line("/// <summary>The approximate number of distinct elements added.</summary>");
        w.Line("public long Count => Filter.Count;");
        w.Line();
        Forward(w, "The approximate number of distinct elements added.", "global::System.Threading.Tasks.ValueTask<long>", "CountAsync", "global::System.Threading.CancellationToken cancellationToken = default", "Filter.CountAsync(cancellationToken)");
        Forward(w, "Forgets every element (deletes the key).", "void", "Clear", string.Empty, "Filter.Clear()");
        Forward(w, "Forgets every element (deletes the key).", "global::System.Threading.Tasks.ValueTask", "ClearAsync", "global::System.Threading.CancellationToken cancellationToken = default", "Filter.ClearAsync(cancellationToken)");
        if (model.IsSealed)
        {
            Forward(w, "Deletes the key if it is a random one.", "void", "Dispose", string.Empty, "Filter.Dispose()");
            w.Line("/// <summary>Deletes the key if it is a random one.</summary>");
            w.Line("public global::System.Threading.Tasks.ValueTask DisposeAsync() => Filter.DisposeAsync();");
        }
        else
        {
            // The dispose pattern (CA1063), so a derived class can add its own clean-up.
            w.Line("/// <summary>Deletes the key if it is a random one.</summary>");
            w.Open("public void Dispose()");
            w.Line("Dispose(true);");
            w.Line("global::System.GC.SuppressFinalize(this);");
            w.Close();
            w.Line();
            w.Line("/// <summary>Deletes the key if it is a random one, when called from <see cref=\"Dispose()\"/>.</summary>");
            w.Line("/// <param name=\"disposing\">Whether <see cref=\"Dispose()\"/> is the caller (not a finalizer).</param>");
            w.Open("protected virtual void Dispose(bool disposing)");
            w.Open("if (disposing)");
            w.Line("Filter.Dispose();");
            w.Close();
            w.Close();
            w.Line();
            w.Line("/// <summary>Deletes the key if it is a random one.</summary>");
            w.Open("public global::System.Threading.Tasks.ValueTask DisposeAsync()");
            w.Line("global::System.GC.SuppressFinalize(this);");
            w.Line("return DisposeAsyncCore();");
            w.Close();
            w.Line();
            w.Line("/// <summary>Deletes the key if it is a random one; what <see cref=\"DisposeAsync\"/> does.</summary>");
            w.Line("protected virtual global::System.Threading.Tasks.ValueTask DisposeAsyncCore() => Filter.DisposeAsync();");
        }

        Codecs.FormatterEmitter.EmitAll(w, model.Formatters);

        w.EndType(model.Type);
        return w.ToString();
    }

    private static void Forward(SourceWriter w, string summary, string returns, string name, string parameters, string call)
    {
        w.Line($"/// <summary>{summary}</summary>");
        w.Line($"public {returns} {name}({parameters}) => {call};");
        w.Line();
    }
}
