namespace Pottery.Runtime.Tests.Infrastructure;

/// <summary>Logged commands with scripts named one way: StackExchange.Redis' script cache sends a script as <c>EVAL</c> the first time a connection runs it and as <c>EVALSHA</c> after.</summary>
internal static class ScriptCommands
{
    public static IEnumerable<string> WithScriptsAsEval(this IEnumerable<string> commands) =>
        commands.Select(command => command == "EVALSHA" ? "EVAL" : command);
}
