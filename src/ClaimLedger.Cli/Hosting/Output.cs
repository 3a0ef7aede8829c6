using System.Text.Json;
using System.Text.Json.Serialization;
using ClaimLedger.Common;
using Spectre.Console;

namespace ClaimLedger.Cli.Hosting;

/// <summary>What the CLI prints: JSON for scripts on standard output, tables for people, errors on standard error.</summary>
internal static class Output
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        AllowOutOfOrderMetadataProperties = true,
    };

    public static IAnsiConsole Error { get; } = CreateError();

    /// <summary>Standard output is a pipe or a file and no width was asked for: lines are never wrapped.</summary>
    public static bool Unbounded { get; private set; }

    /// <summary>
    /// Sizes standard output: <c>COLUMNS</c> when set; otherwise the terminal's width, or, in a pipe or a file, no
    /// limit at all, so an id, an amount or a command to paste is never split over lines.
    /// </summary>
    public static void SizeStandardOutput()
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns is > 0 and <= 10_000)
        {
            AnsiConsole.Profile.Width = columns;
        }
        else if (Console.IsOutputRedirected)
        {
            AnsiConsole.Profile.Width = 4096;
            Unbounded = true;
        }
    }

    /// <summary>A section heading: a rule across a terminal, and an 80-column one in a pipe or a file, where the width has no limit.</summary>
    public static void Section(string markup)
    {
        if (Unbounded)
        {
            AnsiConsole.MarkupLine($"── {markup} {new string('─', Math.Max(3, 76 - Markup.Remove(markup).Length))}");
        }
        else
        {
            AnsiConsole.Write(new Rule(markup).LeftJustified());
        }
    }

    /// <summary>Tables and panels fill the width of a terminal, and only as wide as their content elsewhere.</summary>
    public static T Fit<T>(this T renderable) where T : IExpandable
    {
        renderable.Expand = !Unbounded;
        return renderable;
    }

    private static IAnsiConsole CreateError()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (Console.IsErrorRedirected)
        {
            // A script or log reading the errors wants one message per line, not lines cut at 80 columns.
            console.Profile.Width = 4096;
        }

        return console;
    }

    public static void WriteJson<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Json));

    /// <summary>A read's result: as JSON when asked, otherwise as its view for people.</summary>
    public static int Show<T>(T value, bool json, Func<T, Spectre.Console.Rendering.IRenderable> view)
    {
        if (json)
        {
            WriteJson(value);
        }
        else
        {
            AnsiConsole.Write(view(value));
        }

        return ExitCodes.Ok;
    }

    public static string Escape(string? text) => Markup.Escape(text ?? "");
}
