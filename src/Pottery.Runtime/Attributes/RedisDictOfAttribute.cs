namespace Pottery;

/// <summary>
/// Makes the Pottery source generator turn this empty <c>partial</c> class into a typed
/// <see cref="RedisDict{TKey, TValue}"/>: <c>[RedisDict&lt;string, int&gt;] public partial class Tel;</c>
/// then <c>new Tel(database, "tel")["jack"] = 4098</c>. Codecs for <c>[MessagePackObject]</c> keys or
/// values are generated.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class RedisDictAttribute<TKey, TValue> : Attribute
{
}
