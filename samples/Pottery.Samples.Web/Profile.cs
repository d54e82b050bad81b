using Pottery;

namespace Pottery.Samples.Web;

/// <summary>A user's profile: one Redis hash per user, <c>profile:&lt;id&gt;</c>.</summary>
[RedisDict(KeyPrefix = "profile")]
public partial class Profile
{
    /// <summary>The name shown to others.</summary>
    public partial string? Name { get; set; }

    /// <summary>How many times the profile was visited.</summary>
    public partial long Visits { get; set; }
}
