using System.ComponentModel;
using System.Globalization;
using ClaimLedger.Cli.Hosting;
using ClaimLedger.Common;
using ClaimLedger.Documents;
using Spectre.Console.Cli;

namespace ClaimLedger.Cli.Commands;

internal class WriteSettings : LedgerSettings
{
    [CommandOption("--actor <NAME>")]
    [Description("Who is making the change (recorded on the event); defaults to $USER")]
    public string? Actor { get; init; }

    [CommandOption("--correlation-id <ID>")]
    [Description("Ties this change to others made for the same task; generated when omitted")]
    public string? CorrelationId { get; init; }

    [CommandOption("--idempotency-key <KEY>")]
    [Description("Makes a retry safe: the same key with the same request returns the first result and writes nothing")]
    public string? IdempotencyKey { get; init; }

    [CommandOption("--json")]
    [Description("Print the result as JSON")]
    public bool Json { get; init; }

    public WriteContext Context() => new(Actor ?? Environment.GetEnvironmentVariable("USER") ?? Environment.UserName, CorrelationId, IdempotencyKey: IdempotencyKey);
}

internal class ClaimWriteSettings : WriteSettings
{
    [CommandArgument(0, "<CLAIM-ID>")]
    [Description("The claim's id, e.g. trade-cn-ru-2022-total")]
    public string ClaimId { get; init; } = "";

    [CommandOption("--expected-version <N>")]
    [Description("Refuse the change unless the claim is still at version N")]
    public long? ExpectedVersion { get; init; }
}

/// <summary>A span of a registered document given on the command line.</summary>
internal class SourceOptions : ClaimWriteSettings
{
    [CommandOption("--document <ID>")]
    [Description("Id of a registered document (see: claimledger documents list)")]
    public string? Document { get; init; }

    [CommandOption("--start <OFFSET>")]
    [Description("Start of the span, in UTF-16 code units from the start of the text")]
    public int? Start { get; init; }

    [CommandOption("--end <OFFSET>")]
    [Description("End of the span (exclusive)")]
    public int? End { get; init; }

    [CommandOption("--excerpt <TEXT>")]
    [Description("The exact text at [[start, end); checked against the document")]
    public string? Excerpt { get; init; }

    public SourceRef Source() => new(Document ?? "", Start ?? -1, End ?? -1, Excerpt ?? "");
}

internal static class EvidenceOption
{
    public const string Syntax = "DOCUMENT:START:END:EXCERPT";

    /// <summary>Parses repeated --evidence values; the excerpt is everything after the third colon.</summary>
    public static IReadOnlyList<SourceRef> Parse(string[]? values)
    {
        var references = new List<SourceRef>();
        var errors = new List<FieldError>();
        foreach (var (value, index) in (values ?? []).Select((v, i) => (v, i)))
        {
            var parts = value.Split(':', 4);
            if (parts.Length == 4
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var end))
            {
                references.Add(new SourceRef(parts[0], start, end, parts[3]));
            }
            else
            {
                errors.Add(new($"evidence[{index}]", $"{Syntax}, e.g. desk-note-ukraine:0:52:Russia began its full-scale invasion; got '{value}'"));
            }
        }

        return errors.Count > 0 ? throw new RequestValidationException(errors) : references;
    }
}
