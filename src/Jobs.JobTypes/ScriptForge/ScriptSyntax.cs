using Acornima;
using Acornima.Ast;
using Jint;

namespace Jobs.JobTypes.ScriptForge;

/// <summary>Parses scripts, turning a parse error into the reason people read: message, line and column.</summary>
public static class ScriptSyntax
{
    /// <summary>Parses <paramref name="source"/> once, ready to run on any engine.</summary>
    /// <exception cref="ScriptSyntaxException">The script does not parse.</exception>
    public static Prepared<Script> Prepare(string source, string sourceName)
    {
        try
        {
            return Jint.Engine.PrepareScript(source, sourceName);
        }
        catch (ScriptPreparationException exception)
        {
            throw new ScriptSyntaxException(Describe(exception), exception);
        }
    }

    /// <summary>The syntax error of <paramref name="source"/>, or null when it parses.</summary>
    public static string? Check(string source)
    {
        try
        {
            Prepare(source, "script");
            return null;
        }
        catch (ScriptSyntaxException exception)
        {
            return exception.Message;
        }
    }

    private static string Describe(ScriptPreparationException exception) => exception.InnerException switch
    {
        // Columns are 0-based in Acornima; editors and people count from 1.
        ParseErrorException parse => $"SyntaxError: {parse.Description} (line {parse.LineNumber}, column {parse.Column + 1})",

        // The parser refuses nesting deeper than it can hold on the stack rather than overflowing it.
        InsufficientExecutionStackException or ScriptPreparationException => "SyntaxError: the script is nested too deeply to parse",
        _ => $"SyntaxError: {exception.Message}",
    };
}

/// <summary>A script that does not parse; the message names the error, line and column.</summary>
public sealed class ScriptSyntaxException(string message, Exception innerException) : Exception(message, innerException);
