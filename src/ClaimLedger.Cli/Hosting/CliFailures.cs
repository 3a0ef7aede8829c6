using ClaimLedger.Cli.Commands;
using ClaimLedger.Common;
using ClaimLedger.Failures;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ClaimLedger.Cli.Hosting;

/// <summary>
/// The CLI's one exception handler, given to Spectre.Console.Cli: every failure is classified by the same table as
/// the API's (<see cref="FailureTable"/>), said once on standard error, and ends the command with its exit code.
/// </summary>
internal static partial class CliFailures
{
    /// <summary>Spectre names the .NET type it failed to convert to ("Nullable`1"); say what was wrong instead.</summary>
    private static string InOwnWords(string message) => FailedToConvert().Replace(message, m =>
        $"'{m.Groups["value"].Value}' is not a value this option takes{(m.Groups["valid"].Success ? $"; one of {m.Groups["valid"].Value.Replace("'', ", "", StringComparison.Ordinal)}" : " (too large, or not of its form)")}.");

    [System.Text.RegularExpressions.GeneratedRegex(@"Failed to convert '(?<value>.*?)' to [^.\s]+\.(?: Valid values are (?<valid>.*))?$")]
    private static partial System.Text.RegularExpressions.Regex FailedToConvert();

    public static int Report(Exception exception)
    {
        switch (exception)
        {
            case ExitException exit:
                return exit.Code;
            case CommandParseException or CommandRuntimeException:
                // The command line itself is wrong: an unknown option, a value of the wrong form, a missing argument.
                Output.Error.MarkupLine($"[red]error:[/] {Output.Escape(InOwnWords(exception.Message))}");
                Output.Error.MarkupLine("  See the command's --help for its options and their forms.");
                return ExitCodes.BadInput;
        }

        var failure = FailureTable.Classify(exception);
        var label = failure.ExitCode switch
        {
            ExitCodes.BadInput => "error",
            ExitCodes.Refused when failure.Extensions.TryGetValue("rule", out var rule) => $"refused ({rule})",
            ExitCodes.Refused => failure.Status switch { 404 => "not found", 412 or 409 => "conflict", _ => "refused" },
            ExitCodes.Unavailable => "unavailable",
            _ => "unexpected error",
        };
        Output.Error.MarkupLine($"[red]{Output.Escape(label)}:[/] {Output.Escape(failure.Title)}. {Output.Escape(failure.Detail)}");
        foreach (var error in failure.Errors)
        {
            Output.Error.MarkupLine($"  [yellow]{Output.Escape(error.Field)}[/]: {Output.Escape(error.Message)}");
        }

        if (failure.ExitCode == ExitCodes.Unavailable && failure.Exception is Npgsql.NpgsqlException database)
        {
            Output.Error.MarkupLine($"  [grey]{Output.Escape(database.Message)}[/]");
        }

        if (failure.IsUnexpected)
        {
            // The CLI's log is its standard error: the defect is written there once, with an id to quote in a report.
            var correlation = Guid.NewGuid().ToString("N")[..12];
            Output.Error.MarkupLine($"  correlation id [bold]{correlation}[/]");
            Output.Error.WriteLine(exception.ToString(), new Style(Color.Grey));
        }

        return failure.ExitCode;
    }
}
