using Pottery.Generators.Codecs;
using Pottery.Generators.Emit;

namespace Pottery.Generators.Dict;

/// <summary>Writes a <see cref="TypedDictModel"/>: the class becomes a <c>RedisDict&lt;TKey, TValue&gt;</c> with its codecs.</summary>
internal static class TypedDictEmitter
{
    public static string Emit(TypedDictModel model)
    {
        var w = new SourceWriter();
        var name = model.Type.Name;
        var dict = $"global::Pottery.RedisDict<{model.KeyType}, {model.ValueType}>";
        w.BeginType(model.Type, $"partial {model.Type.Keyword} {name} : {dict}");

        // Codecs other than the runtime's are made once per class, not per instance.
        var keyCodec = Codec(w, model.KeyType, model.KeyCodec, "__potteryKeyCodec");
        var valueCodec = Codec(w, model.ValueType, model.ValueCodec, "__potteryValueCodec");
        w.Line($"/// <summary>Opens the dictionary at <paramref name=\"key\"/>, or a new one at a random key deleted on dispose.</summary>");
        w.Line("/// <param name=\"database\">The Redis database.</param>");
        w.Line("/// <param name=\"key\">The hash's key, or <see langword=\"null\"/> for a random one.</param>");
        w.Line($"public {name}(global::StackExchange.Redis.IDatabase database, global::StackExchange.Redis.RedisKey? key = null)");
        w.Line($"    : base(database, key, {keyCodec}, {valueCodec})");
        w.Open();
        w.Close();
        w.Line();
        w.Line("/// <summary>Creates the dictionary with initial entries, in one atomic write.</summary>");
        w.Line("/// <param name=\"database\">The Redis database.</param>");
        w.Line("/// <param name=\"items\">The initial entries.</param>");
        w.Line("/// <param name=\"key\">The hash's key, or <see langword=\"null\"/> for a random one.</param>");
        w.Line($"public {name}({Items(model)}, global::StackExchange.Redis.RedisKey? key = null)");
        w.Line($"    : base(database, items, key, {keyCodec}, {valueCodec})");
        w.Open();
        w.Close();
        if (!model.IsAbstract)
        {
            // The constructor's async twin; without it the inherited RedisDict.CreateAsync would make a plain RedisDict with the default codecs.
            w.Line();
            w.Line("/// <summary>Creates the dictionary with initial entries, in one atomic write.</summary>");
            w.Line($"public static global::System.Threading.Tasks.ValueTask<{name}> CreateAsync({Items(model)}, global::StackExchange.Redis.RedisKey? key = null, global::System.Threading.CancellationToken cancellationToken = default) => global::Pottery.GeneratedHash.CreateAsync(new {name}(database, key), items, cancellationToken);");
        }

        FormatterEmitter.EmitAll(w, model.Formatters);

        w.EndType(model.Type);
        return w.ToString();
    }

    private static string Codec(SourceWriter w, string type, string codec, string field)
    {
        if (codec == "null")
        {
            return codec;
        }

        w.Line($"private static readonly global::Pottery.IRedisCodec<{type}> {field} = {codec};");
        w.Line();
        return field;
    }

    private static string Items(TypedDictModel model) =>
        $"global::StackExchange.Redis.IDatabase database, global::System.Collections.Generic.IEnumerable<global::System.Collections.Generic.KeyValuePair<{model.KeyType}, {model.ValueType}>> items";
}
