using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using Pottery.Generators.Codecs;
using Pottery.Generators.Emit;

namespace Pottery.Generators.Dict;

/// <summary>Writes the members of a <see cref="DictModel"/>: one Redis hash per instance, one field per property.</summary>
internal static class DictEmitter
{
    private const string Hash = "global::Pottery.GeneratedHash";
    private const string Token = "global::System.Threading.CancellationToken cancellationToken = default";
    private const string ValueTask = "global::System.Threading.Tasks.ValueTask";

    // Generated async methods take their state machines from a pool, as GeneratedHash's do, so the
    // accessors allocate nothing beyond the StackExchange.Redis command itself.
    private const string Pooled = "[global::System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(global::System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]";

    public static string Emit(DictModel model)
    {
        var w = new SourceWriter();
        var name = model.Type.Name;
        w.BeginType(model.Type, $"partial {model.Type.Keyword} {name}");
        if (model.Stubs.Count > 0)
        {
            Stubs(w, model);
            return w.ToString();
        }

        w.Line($"/// <summary>The key prefix: an instance with id <c>42</c> lives at <c>{Xml(model.KeyPrefix)}:42</c>.</summary>");
        w.Line($"public const string KeyPrefix = {Literal(model.KeyPrefix)};");
        w.Line();
        w.Line("/// <summary>The hash's time to live after each write, or <see langword=\"null\"/> when it does not expire.</summary>");
        w.Line(model.TimeToLiveSeconds > 0
            ? $"public static readonly global::System.TimeSpan? TimeToLive = global::System.TimeSpan.FromSeconds({model.TimeToLiveSeconds.ToString("R", CultureInfo.InvariantCulture)}D);"
            : "public static readonly global::System.TimeSpan? TimeToLive = null;");
        w.Line();
        w.Generated().Line($"private static readonly global::StackExchange.Redis.RedisValue[] __potteryFields = [{string.Join(", ", model.Properties.Select(p => Literal(p.Field)))}];");
        foreach (var p in model.Properties)
        {
            w.Generated().Line($"private static readonly global::Pottery.IRedisCodec<{p.CodecType}> __potteryCodec{p.Name} = {p.Codec};");
        }

        w.Generated().Line("private readonly global::StackExchange.Redis.IDatabase __potteryDatabase;");
        w.Line();
        w.Line($"/// <summary>Binds to the hash of the instance with id <paramref name=\"id\"/>: <c>{Xml(model.KeyPrefix)}:&lt;id&gt;</c>.</summary>");
        w.Line("/// <param name=\"database\">The Redis database.</param>");
        w.Line("/// <param name=\"id\">The instance's id.</param>");
        w.Line($"public {name}(global::StackExchange.Redis.IDatabase database, string id)");
        w.Line($"    : this(database, (global::StackExchange.Redis.RedisKey)(KeyPrefix + \":\" + id))");
        w.Open();
        w.Close();
        w.Line();
        w.Line("/// <summary>Binds to the hash at <paramref name=\"key\"/>.</summary>");
        w.Line("/// <param name=\"database\">The Redis database.</param>");
        w.Line("/// <param name=\"key\">The hash's full key.</param>");
        w.Open($"public {name}(global::StackExchange.Redis.IDatabase database, global::StackExchange.Redis.RedisKey key)");
        w.Line("global::System.ArgumentNullException.ThrowIfNull(database);");
        w.Line("__potteryDatabase = database;");
        w.Line("Key = key;");
        w.Close();
        w.Line();
        w.Line("/// <summary>The Redis key of this instance's hash.</summary>");
        w.Line("public global::StackExchange.Redis.RedisKey Key { get; }");
        w.Line();
        foreach (var p in model.Properties)
        {
            Property(w, p);
        }

        Snapshot(w, model);
        SyncTwin(w, "Whether the hash exists.", "public bool Exists()", "ExistsAsync()");
        w.Line($"public {ValueTask}<bool> ExistsAsync({Token}) => {Hash}.ExistsAsync(__potteryDatabase, Key, cancellationToken);");
        w.Line();
        SyncTwin(w, "Deletes the hash.", "public bool Delete()", "DeleteAsync()");
        w.Line($"public {ValueTask}<bool> DeleteAsync({Token}) => {Hash}.DeleteAsync(__potteryDatabase, Key, cancellationToken);");
        FormatterEmitter.EmitAll(w, model.Formatters);

        w.EndType(model.Type);
        return w.ToString();
    }

    private static void Property(SourceWriter w, PropertyModel p)
    {
        var field = Literal(p.Field);
        var required = p.Required ? "true" : "false";
        var codec = "__potteryCodec" + p.Name;
        if (!p.HasUserDocs)
        {
            w.Line($"/// <summary>Field <c>{Xml(p.Field)}</c> of the hash (one <c>HGET</c> or <c>HSET</c>).</summary>");
        }
        else
        {
            w.Generated();
        }

        w.Open($"{p.Accessibility} partial {p.Type} {p.Name}");
        w.Line($"get => {Hash}.Wait(Get{p.Name}Async());");
        w.Line($"set => {Hash}.Wait(Set{p.Name}Async(value));");
        w.Close();
        w.Line();
        w.Line($"/// <summary>Reads field <c>{Xml(p.Field)}</c>.</summary>");
        w.Line($"{p.Accessibility} {ValueTask}<{p.Type}> Get{p.Name}Async({Token}) => {Hash}.GetAsync(__potteryDatabase, Key, {field}, {codec}, {required}, cancellationToken)!;");
        w.Line();
        w.Line($"/// <summary>Writes field <c>{Xml(p.Field)}</c>{(p.Required ? string.Empty : "; null removes it")}.</summary>");
        w.Line($"{p.Accessibility} {ValueTask} Set{p.Name}Async({p.Type} value, {Token}) => {Hash}.SetAsync(__potteryDatabase, Key, {field}, value, {codec}, TimeToLive, cancellationToken);");
        w.Line();
        SyncTwin(w, $"Removes field <c>{Xml(p.Field)}</c>; returns whether it was there.", $"{p.Accessibility} bool Remove{p.Name}()", $"Remove{p.Name}Async()");
        w.Line($"{p.Accessibility} {ValueTask}<bool> Remove{p.Name}Async({Token}) => {Hash}.RemoveAsync(__potteryDatabase, Key, {field}, cancellationToken);");
        w.Line();
        if (p.Increment == IncrementKind.Integer)
        {
            SyncTwin(w, $"Adds <paramref name=\"by\"/> to field <c>{Xml(p.Field)}</c> atomically (<c>HINCRBY</c>; the time to live is renewed in the same script) and returns the new value.", $"{p.Accessibility} {p.NonNullableType} Increment{p.Name}(long by = 1)", $"Increment{p.Name}Async(by)");
            w.Line(Pooled);
            w.Line($"{p.Accessibility} async {ValueTask}<{p.NonNullableType}> Increment{p.Name}Async(long by = 1, {Token}) =>");
            w.Line($"    checked(({p.NonNullableType})await {Hash}.IncrementAsync(__potteryDatabase, Key, {field}, by, TimeToLive, cancellationToken).ConfigureAwait(false));");
            w.Line();
        }
        else if (p.Increment == IncrementKind.Floating)
        {
            SyncTwin(w, $"Adds <paramref name=\"by\"/> to field <c>{Xml(p.Field)}</c> atomically (<c>HINCRBYFLOAT</c>; the time to live is renewed in the same script) and returns the new value.", $"{p.Accessibility} {p.NonNullableType} Increment{p.Name}(double by)", $"Increment{p.Name}Async(by)");
            w.Line(Pooled);
            w.Line($"{p.Accessibility} async {ValueTask}<{p.NonNullableType}> Increment{p.Name}Async(double by, {Token}) =>");
            w.Line($"    ({p.NonNullableType})await {Hash}.IncrementAsync(__potteryDatabase, Key, {field}, by, TimeToLive, cancellationToken).ConfigureAwait(false);");
            w.Line();
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

    private static void Snapshot(SourceWriter w, DictModel model)
    {
        // A value, so loading one allocates nothing beyond the HMGET's own reply.
        w.Line("/// <summary>Every stored property at once, as <see cref=\"LoadAsync\"/> reads and <see cref=\"SaveAsync\"/> writes them.</summary>");
        w.Line($"public readonly record struct Snapshot({string.Join(", ", model.Properties.Select(p => $"{p.Type} {p.Name}"))});");
        w.Line();
        SyncTwin(w, "Reads every property in one <c>HMGET</c>.", "public Snapshot Load()", "LoadAsync()");
        w.Line($"public {ValueTask}<Snapshot> LoadAsync({Token}) => {Hash}.LoadAsync(__potteryDatabase, Key, __potteryFields, __potteryBuild, cancellationToken);");
        w.Line();
        SyncTwin(w, "Reads every property in one round trip, or returns null when the hash does not exist.", "public Snapshot? TryLoad()", "TryLoadAsync()");
        w.Line($"public {ValueTask}<Snapshot?> TryLoadAsync({Token}) => {Hash}.TryLoadAsync(__potteryDatabase, Key, __potteryFields, __potteryBuild, cancellationToken);");
        w.Line();
        w.Generated().Line("private static Snapshot __potteryBuild(global::StackExchange.Redis.RedisValue[] raw, global::StackExchange.Redis.RedisKey key) => new Snapshot(");
        var i = 0;
        foreach (var p in model.Properties)
        {
            var last = i == model.Properties.Count - 1;
            w.Line($"    {Hash}.Decode(raw[{i}], key, {Literal(p.Field)}, __potteryCodec{p.Name}, {(p.Required ? "true" : "false")}){(last ? ");" : ",")}");
            i++;
        }

        if (model.Properties.Count == 0)
        {
            w.Line("    );");
        }

        w.Line();
        SyncTwin(w, "Writes every property in one atomic command; null values remove their fields.", "public void Save(Snapshot snapshot)", "SaveAsync(snapshot)");
        w.Open($"public {ValueTask} SaveAsync(Snapshot snapshot, {Token})");
        w.Line("var entries = new global::System.Collections.Generic.List<global::StackExchange.Redis.HashEntry>(__potteryFields.Length);");
        w.Line("var removed = new global::System.Collections.Generic.List<global::StackExchange.Redis.RedisValue>();");
        foreach (var p in model.Properties)
        {
            var entry = $"entries.Add(new global::StackExchange.Redis.HashEntry({Literal(p.Field)}, __potteryCodec{p.Name}.Encode(snapshot.{p.Name})));";
            w.Line(p.CanBeNull ? $"if (snapshot.{p.Name} is null) removed.Add({Literal(p.Field)}); else {entry}" : entry);
        }

        w.Line($"return {Hash}.SaveAsync(__potteryDatabase, Key, entries.ToArray(), removed.ToArray(), TimeToLive, cancellationToken);");
        w.Close();
        w.Line();
    }

    // A sync member waits on its async twin, which the caller writes next under the same summary.
    private static void SyncTwin(SourceWriter w, string summary, string declaration, string asyncCall)
    {
        w.Line($"/// <summary>{summary}</summary>");
        w.Line($"{declaration} => {Hash}.Wait({asyncCall});");
        w.Line($"/// <summary>{summary}</summary>");
    }

    private static string Literal(string text) => SymbolDisplay.FormatLiteral(text, quote: true);

    private static string Xml(string text) => System.Security.SecurityElement.Escape(text);
}
