using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;
using Pottery.Generators.Codecs;
using Pottery.Generators.Emit;
using Pottery.Generators.Model;

namespace Pottery.Generators.Dict;

/// <summary>Writes the members of a <see cref="DictModel"/>: one Redis hash per instance, one field per property.</summary>
internal static class DictEmitter
{
    private const string Hash = "global::Pottery.GeneratedHash";
    private const string Token = "global::System.Threading.CancellationToken cancellationToken = default";
    private const string ValueTask = "global::System.Threading.Tasks.ValueTask";

    private const string Key = "global::StackExchange.Redis.RedisKey";
    private const string Database = "global::StackExchange.Redis.IDatabase";

    // Members are one-line forwards into GeneratedHash; the only docs are the user's own and a
    // summary on a partial property the user left undocumented (its CS1591 would be reported on
    // the user's declaration, outside this file's pragma).
    public static string Emit(DictModel model)
    {
        var w = new SourceWriter();
        var name = model.Type.Name;
        if (model.Stubs.Count > 0)
        {
            w.BeginType(model.Type, $"partial {model.Type.Keyword} {name}");
            Stubs(w, model);
            return w.ToString();
        }

        w.BeginType(model.Type, $"partial {model.Type.Keyword} {name}", "#pragma warning disable CS1591 // Members follow from the user's declarations; docs here would repeat boilerplate.");
        w.Line($"public const string KeyPrefix = {Literal(model.KeyPrefix)};");
        w.Line(model.TimeToLiveSeconds > 0
            ? $"public static readonly global::System.TimeSpan? TimeToLive = global::System.TimeSpan.FromSeconds({model.TimeToLiveSeconds.ToString("R", CultureInfo.InvariantCulture)}D);"
            : "public static readonly global::System.TimeSpan? TimeToLive = null;");
        var text = new StringBuilder("private static readonly global::StackExchange.Redis.RedisValue[] __potteryFields = [");
        Join(text, model.Properties, static (t, p) => t.Append(Literal(p.Field)));
        w.Line(text.Append("];").ToString());
        foreach (var p in model.Properties)
        {
            if (p.Codec is not null)
            {
                w.Line($"private static readonly global::Pottery.IRedisCodec<{p.CodecType}> {CodecField(p)} = {p.Codec};");
            }
        }

        w.Line($"private readonly {Database} __potteryDatabase;");
        w.Line($"public {name}({Database} database, string id) : this(database, ({Key})(KeyPrefix + \":\" + id)) {{ }}");
        w.Line($"public {name}({Database} database, {Key} key) {{ __potteryDatabase = database ?? throw new global::System.ArgumentNullException(nameof(database)); Key = key; }}");
        w.Line($"public {Key} Key {{ get; }}");
        foreach (var p in model.Properties)
        {
            Property(w, p);
        }

        Snapshot(w, model, text);
        w.Line($"public bool Exists() => {Hash}.Wait(ExistsAsync());");
        w.Line($"public {ValueTask}<bool> ExistsAsync({Token}) => {Hash}.ExistsAsync(__potteryDatabase, Key, cancellationToken);");
        w.Line($"public bool Delete() => {Hash}.Wait(DeleteAsync());");
        w.Line($"public {ValueTask}<bool> DeleteAsync({Token}) => {Hash}.DeleteAsync(__potteryDatabase, Key, cancellationToken);");
        FormatterEmitter.EmitAll(w, model.Formatters);

        w.EndType(model.Type);
        return w.ToString();
    }

    private static void Property(SourceWriter w, PropertyModel p)
    {
        var field = Literal(p.Field);
        var access = p.Accessibility;
        var required = p.Required ? "true" : "false";
        var call = $"(__potteryDatabase, Key, {field}";
        if (!p.HasUserDocs)
        {
            w.Line($"/// <summary>Field <c>{Xml(p.Field)}</c> of the hash (one <c>HGET</c> or <c>HSET</c>).</summary>");
        }

        w.Line($"{access} partial {p.Type} {p.Name} {{ get => {Hash}.Wait(Get{p.Name}Async()); set => {Hash}.Wait(Set{p.Name}Async(value)); }}");
        w.Line(p.Codec is null
            ? $"{access} {ValueTask}<{p.Type}> Get{p.Name}Async({Token}) => {Hash}.GetAsync<{p.CodecType}>{call}, {required}, cancellationToken)!;"
            : $"{access} {ValueTask}<{p.Type}> Get{p.Name}Async({Token}) => {Hash}.GetAsync{call}, {CodecField(p)}, {required}, cancellationToken)!;");
        w.Line(p.Codec is null
            ? $"{access} {ValueTask} Set{p.Name}Async({p.Type} value, {Token}) => {Hash}.SetAsync<{p.CodecType}>{call}, value, TimeToLive, cancellationToken);"
            : $"{access} {ValueTask} Set{p.Name}Async({p.Type} value, {Token}) => {Hash}.SetAsync{call}, value, {CodecField(p)}, TimeToLive, cancellationToken);");
        w.Line($"{access} bool Remove{p.Name}() => {Hash}.Wait(Remove{p.Name}Async());");
        w.Line($"{access} {ValueTask}<bool> Remove{p.Name}Async({Token}) => {Hash}.RemoveAsync{call}, cancellationToken);");
        if (p.Increment != IncrementKind.None)
        {
            var by = p.Increment == IncrementKind.Integer ? "long by = 1" : "double by";
            w.Line($"{access} {p.NonNullableType} Increment{p.Name}({by}) => {Hash}.Wait(Increment{p.Name}Async(by));");
            w.Line($"{access} {ValueTask}<{p.NonNullableType}> Increment{p.Name}Async({by}, {Token}) => {Hash}.IncrementAsync<{p.NonNullableType}>{call}, by, TimeToLive, cancellationToken);");
        }
    }

    private static void Stubs(SourceWriter w, DictModel model)
    {
        foreach (var stub in model.Stubs)
        {
            w.Line("/// <summary>Not generated: Pottery reported an error for this class.</summary>");
            w.Open($"{stub.Accessibility} partial {stub.Type} {stub.Name}");
            foreach (var accessor in stub.Accessors)
            {
                w.Line($"{accessor} => throw new global::System.NotSupportedException(\"Pottery reported an error for this [RedisDict] class; fix it and rebuild.\");");
            }

            w.Close();
        }

        w.EndType(model.Type);
    }

    // A value, so loading one allocates nothing beyond the HMGET's own reply.
    private static void Snapshot(SourceWriter w, DictModel model, StringBuilder text)
    {
        text.Clear().Append("public readonly record struct Snapshot(");
        Join(text, model.Properties, static (t, p) => t.Append(p.Type).Append(' ').Append(p.Name));
        w.Line(text.Append(");").ToString());
        w.Line($"public Snapshot Load() => {Hash}.Wait(LoadAsync());");
        w.Line($"public {ValueTask}<Snapshot> LoadAsync({Token}) => {Hash}.LoadAsync(__potteryDatabase, Key, __potteryFields, __potteryBuild, cancellationToken);");
        w.Line($"public Snapshot? TryLoad() => {Hash}.Wait(TryLoadAsync());");
        w.Line($"public {ValueTask}<Snapshot?> TryLoadAsync({Token}) => {Hash}.TryLoadAsync(__potteryDatabase, Key, __potteryFields, __potteryBuild, cancellationToken);");
        text.Clear().Append($"private static Snapshot __potteryBuild(global::StackExchange.Redis.RedisValue[] raw, {Key} key) => new(");
        var i = 0;
        Join(text, model.Properties, (t, p) =>
        {
            t.Append(Hash).Append(".Decode");
            if (p.Codec is null)
            {
                t.Append('<').Append(p.CodecType).Append('>');
            }

            t.Append("(raw[").Append(i++).Append("], key, ").Append(Literal(p.Field)).Append(", ");
            if (p.Codec is not null)
            {
                t.Append(CodecField(p)).Append(", ");
            }

            t.Append(p.Required ? "true)" : "false)");
        });
        w.Line(text.Append(");").ToString());
        w.Line($"public void Save(Snapshot snapshot) => {Hash}.Wait(SaveAsync(snapshot));");
        text.Clear().Append($"public {ValueTask} SaveAsync(Snapshot snapshot, {Token}) => {Hash}.SaveFieldsAsync(__potteryDatabase, Key, __potteryFields, [");
        Join(text, model.Properties, static (t, p) =>
        {
            t.Append(Hash).Append(".Encode");
            if (p.Codec is null)
            {
                t.Append('<').Append(p.CodecType).Append('>');
            }

            t.Append("(snapshot.").Append(p.Name);
            if (p.Codec is not null)
            {
                t.Append(", ").Append(CodecField(p));
            }

            t.Append(')');
        });
        w.Line(text.Append("], TimeToLive, cancellationToken);").ToString());
    }

    private static void Join(StringBuilder text, EquatableArray<PropertyModel> properties, System.Action<StringBuilder, PropertyModel> each)
    {
        var first = true;
        foreach (var p in properties)
        {
            if (!first)
            {
                text.Append(", ");
            }

            first = false;
            each(text, p);
        }
    }

    private static string CodecField(PropertyModel p) => "__potteryCodec" + p.Name;

    private static string Literal(string text) => SymbolDisplay.FormatLiteral(text, quote: true);

    private static string Xml(string text) => System.Security.SecurityElement.Escape(text);
}
