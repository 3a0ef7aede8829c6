using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using ClaimLedger.Access;
using ClaimLedger.Api;
using ClaimLedger.Cli.Hosting;
using ClaimLedger.Common;
using ClaimLedger.Publishing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ClaimLedger.Cli.Commands;

internal sealed class ServeSettings : LedgerSettings
{
    [CommandOption("--urls <URLS>")] [Description("Where to listen; loopback unless you say otherwise")] public string Urls { get; init; } = "http://127.0.0.1:5080";
    [CommandOption("--open-reads")] [Description("Let requests without a key read claims and documents (writes always need a key)")] public bool OpenReads { get; init; }
    [CommandOption("--public-url <URL>")] [Description("Where readers reach this server (review pages and ClaimReview links); default $CLAIMLEDGER_PUBLIC_URL, else the first --urls")] public string? PublicUrl { get; init; } = PublishingSettings.Env(PublishingSettings.PublicUrlVariable);
    [CommandOption("--publisher <NAME>")] [Description("Organisation named as the author of ClaimReview markup; default $CLAIMLEDGER_PUBLISHER")] public string Publisher { get; init; } = PublishingSettings.Env(PublishingSettings.PublisherVariable) ?? ReviewPublishing.DefaultOrganizationName;
    [CommandOption("--publisher-url <URL>")] [Description("The organisation's own site; default $CLAIMLEDGER_PUBLISHER_URL, else the public URL")] public string? PublisherUrl { get; init; } = PublishingSettings.Env(PublishingSettings.PublisherUrlVariable);
    [CommandOption("--key-file <FILE>")] [Description("The checkpoint signing key (claimledger audit keygen); default $CLAIMLEDGER_SIGNING_KEY, else in the ledger's home")] public string? KeyFile { get; init; }
    [CommandOption("--checkpoint-interval <SECONDS>")] [Description("How often to sign and publish a checkpoint (default 60)")] public int CheckpointInterval { get; init; } = 60;
    [CommandOption("--witness-key <VKEY>")] [Description("A witness's cosigner public key whose cosignatures are kept and served; repeat for several")] public string[] WitnessKeys { get; init; } = [];

    public override ValidationResult Validate() =>
        CheckpointInterval is >= 1 and <= 86_400
            ? PublishingSettings.Check(PublicUrl ?? Urls.Split(';')[0], Publisher, PublisherUrl)
            : ValidationResult.Error("--checkpoint-interval: between 1 and 86400 seconds");
}

[Description("Run the HTTP API and the web app on loopback")]
internal sealed class ServeCommand : AsyncCommand<ServeSettings>
{
    protected override async Task<int> ExecuteAsync(CommandContext context, ServeSettings s, CancellationToken cancellationToken)
    {
        var transparency = new Transparency.TransparencyOptions(s.KeyFile ?? LedgerClient.DefaultTransparency().SigningKeyPath,
            TimeSpan.FromSeconds(s.CheckpointInterval), s.WitnessKeys);
        _ = transparency.ParsedWitnessKeys();
        var ledger = await LedgerClient.OptionsAsync(s.Connection, cancellationToken) with { StaleReadsFromStandby = s.StaleReadsFromStandby };
        var url = s.Urls.Split(';')[0];
        var options = new ApiOptions(s.OpenReads, s.Publisher, s.PublicUrl ?? url, PublisherUrl: s.PublisherUrl);
        var publishing = options.ReviewPublishing();
        var app = ApiHost.Build(ledger, options, builder =>
        {
            builder.WebHost.UseUrls(s.Urls);
            builder.Services.AddSingleton(transparency);
        });
        await app.StartAsync(cancellationToken);
        AnsiConsole.MarkupLine($"ClaimLedger is serving on [bold]{Output.Escape(url)}[/] — open it in a browser; API reference at {Output.Escape(url)}/reference. Ctrl+C stops it.");
        AnsiConsole.MarkupLine(publishing.IsLoopback
            ? $"[yellow]Review pages and ClaimReview markup link to {Output.Escape(publishing.PublicBaseUrl.AbsoluteUri)}, a loopback address; set --public-url to the address readers use before publishing.[/]"
            : $"[grey]Review pages are published at {Output.Escape(publishing.PageUrl("{claim-id}"))}[/]");
        AnsiConsole.MarkupLine("[grey]Writes need an API key: claimledger keys add --person \"Your Name\" --role checker[/]");
        AnsiConsole.MarkupLine(File.Exists(transparency.SigningKeyPath)
            ? $"[grey]Signed checkpoints every {s.CheckpointInterval} s at {Output.Escape(url)}/transparency/checkpoint (key file {Output.Escape(transparency.SigningKeyPath)})[/]"
            : $"[yellow]No checkpoint signing key at {Output.Escape(transparency.SigningKeyPath)}: no checkpoints are published. Create one with claimledger audit keygen.[/]");
        await app.WaitForShutdownAsync(cancellationToken);
        return ExitCodes.Ok;
    }
}

internal sealed class AddKeySettings : LedgerSettings
{
    [CommandOption("--person <NAME>")] [Description("Whose key it is; recorded as the actor of every write made with it")] public string Person { get; init; } = "";
    [CommandOption("--role <ROLE>")] [Description("checker (read + write), auditor (read + audit) or admin (manage keys)")] public Role Role { get; init; } = Role.Checker;
}

[Description("Create an API key; its secret is shown once")]
internal sealed class AddKeyCommand : LedgerCommand<AddKeySettings>
{
    protected override async Task<int> RunAsync(LedgerClient ledger, AddKeySettings s, CancellationToken ct)
    {
        var created = await ledger.Send(new CreateApiKey.Command(s.Person, s.Role, Environment.GetEnvironmentVariable("USER") ?? Environment.UserName), ct);
        AnsiConsole.MarkupLine($"Key [bold]{created.Id}[/] for {Output.Escape(created.Person)} ({created.Role.ToString().ToLowerInvariant()}). Keep it now; it is not shown again:");
        Console.Out.WriteLine(created.Key);
        return ExitCodes.Ok;
    }
}

[Description("List API keys (never their secrets)")]
internal sealed class ListKeysCommand : LedgerCommand<ReadSettings>
{
    protected override async Task<int> RunAsync(LedgerClient ledger, ReadSettings s, CancellationToken ct)
    {
        var keys = await ledger.Send(new ListApiKeys.Query(), ct);
        return Output.Show(keys.Select(k => new { k.Id, k.Person, k.Role, k.CreatedAt, k.RevokedAt }).ToList(), s.Json, list =>
        {
            var table = new Table().Border(TableBorder.Rounded).AddColumns("Id", "Person", "Role", "Created", "Revoked");
            foreach (var k in list)
            {
                table.AddRow(k.Id, Output.Escape(k.Person), k.Role.ToString().ToLowerInvariant(), k.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                    k.RevokedAt?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "");
            }

            return table;
        });
    }
}

internal sealed class RevokeKeySettings : LedgerSettings
{
    [CommandArgument(0, "<KEY-ID>")] [Description("The key's id (see: claimledger keys list)")] public string Id { get; init; } = "";
}

[Description("Revoke an API key; requests with it are refused from now on")]
internal sealed class RevokeKeyCommand : LedgerCommand<RevokeKeySettings>
{
    protected override async Task<int> RunAsync(LedgerClient ledger, RevokeKeySettings s, CancellationToken ct)
    {
        var key = await ledger.Send(new RevokeApiKey.Command(s.Id, Environment.GetEnvironmentVariable("USER") ?? Environment.UserName), ct);
        AnsiConsole.MarkupLine($"Key [bold]{key.Id}[/] of {Output.Escape(key.Person)} is revoked (since {key.RevokedAt:yyyy-MM-dd HH:mm} UTC).");
        return ExitCodes.Ok;
    }
}

internal sealed class ExportClaimReviewSettings : OutputFileSettings
{
    [CommandOption("--publisher <NAME>")] [Description("Organisation named as the review's author; default $CLAIMLEDGER_PUBLISHER")] public string Publisher { get; init; } = PublishingSettings.Env(PublishingSettings.PublisherVariable) ?? ReviewPublishing.DefaultOrganizationName;
    [CommandOption("--public-url|--base-url <URL>")] [Description("Where readers reach the review pages (as claimledger serve --public-url); default $CLAIMLEDGER_PUBLIC_URL")] public string BaseUrl { get; init; } = PublishingSettings.Env(PublishingSettings.PublicUrlVariable) ?? "http://127.0.0.1:5080";
    [CommandOption("--publisher-url <URL>")] [Description("The organisation's own site; default $CLAIMLEDGER_PUBLISHER_URL, else the public URL")] public string? PublisherUrl { get; init; } = PublishingSettings.Env(PublishingSettings.PublisherUrlVariable);

    public override ValidationResult Validate() => PublishingSettings.Check(BaseUrl, Publisher, PublisherUrl);
}

/// <summary>The environment variables that configure publishing for serve and export alike.</summary>
internal static class PublishingSettings
{
    public const string PublicUrlVariable = "CLAIMLEDGER_PUBLIC_URL";
    public const string PublisherVariable = "CLAIMLEDGER_PUBLISHER";
    public const string PublisherUrlVariable = "CLAIMLEDGER_PUBLISHER_URL";

    public static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    /// <summary>The same check the server makes at startup, answered as a usage error before anything starts.</summary>
    public static ValidationResult Check(string? publicUrl, string? publisher, string? publisherUrl)
    {
        try
        {
            ReviewPublishing.From(publicUrl, publisher, publisherUrl);
            return ValidationResult.Success();
        }
        catch (InvalidOperationException e)
        {
            return ValidationResult.Error(e.Message);
        }
    }
}

[Description("Export schema.org ClaimReview JSON-LD for every rated claim")]
internal sealed class ExportClaimReviewCommand : LedgerCommand<ExportClaimReviewSettings>
{
    protected override async Task<int> RunAsync(LedgerClient ledger, ExportClaimReviewSettings s, CancellationToken ct)
    {
        var reviews = await ledger.Send(new ClaimReviews.Query(null, ReviewPublishing.From(s.BaseUrl, s.Publisher, s.PublisherUrl)), ct);
        var json = JsonSerializer.Serialize(reviews, Output.Json);
        if (s.Out is null)
        {
            Console.Out.WriteLine(json);
        }
        else
        {
            await File.WriteAllTextAsync(s.Out, json, ct);
            Output.Error.MarkupLine($"Wrote {reviews.Count} ClaimReview(s) to {Output.Escape(s.Out)}");
        }

        return ExitCodes.Ok;
    }
}
