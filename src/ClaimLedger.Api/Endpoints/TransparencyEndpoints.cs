using ClaimLedger.Common;
using ClaimLedger.Ledger;
using ClaimLedger.Transparency;
using MediatR;

namespace ClaimLedger.Api.Endpoints;

/// <summary>
/// The transparency log's public face: the latest signed checkpoint with its cosignatures, the log's key, consistency
/// and inclusion proofs, and where witnesses hand in cosignatures. Checkpoints, the key and consistency proofs hold only
/// hashes and are open to anyone, as witnesses and monitors need; an inclusion proof carries a claim's payload, so it
/// needs read access like the claim itself.
/// </summary>
public static class TransparencyEndpoints
{
    private const string NoteContentType = "text/plain; charset=utf-8";

    public static void MapTransparency(this IEndpointRouteBuilder app)
    {
        var open = app.MapGroup("/transparency").WithTags("Transparency").AllowAnonymous();
        open.MapGet("/checkpoint", async (IMediator m, CancellationToken ct) => Results.Text((await m.Send(new GetCheckpoint.Query(), ct)).Note.Encoded, NoteContentType))
            .WithSummary("The latest checkpoint (C2SP tlog-checkpoint as a signed note), with the witnesses' cosignatures").ProducesProblem(404);
        open.MapGet("/key", async (IMediator m, CancellationToken ct) => Results.Text(await m.Send(new GetLogKey.Query(), ct) + "\n", NoteContentType))
            .WithSummary("The log's public key in signed-note verifier key form").ProducesProblem(409);
        open.MapGet("/consistency", async (long old, long? @new, IMediator m, CancellationToken ct) =>
                await m.Send(new ProveConsistency.Query(old, @new ?? (await LatestAsync(m, ct))?.Checkpoint.Size), ct))
            .WithSummary("RFC 6962 consistency proof from tree size old to new (default: the latest checkpoint's size)").ProducesValidationProblem();
        open.MapPost("/cosignatures", async (HttpRequest request, IMediator m) =>
            {
                using var reader = new StreamReader(request.Body);
                var cosigned = await m.Send(new AddCosignatures.Command(await reader.ReadToEndAsync(request.HttpContext.RequestAborted)), request.HttpContext.RequestAborted);
                return Results.Text(cosigned.Note.Encoded, NoteContentType);
            })
            .WithSummary("A witness hands in its cosignature: the checkpoint as a signed note with the witness's cosignature line")
            .ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409);

        app.MapGroup("/transparency").WithTags("Transparency").RequireAuthorization(Policies.Read)
            .MapGet("/inclusion", async (string claim, long? version, IMediator m, CancellationToken ct) =>
            {
                var latest = await LatestAsync(m, ct) ?? throw new NotFoundException("checkpoint", "latest (none is published yet)");
                return await m.Send(new ProveClaim.Query(claim, version, latest.Checkpoint.Size, latest.Note.Encoded), ct);
            })
            .WithSummary("Inclusion proof of a claim's entry (latest, or ?version=N) in the latest checkpoint's tree, carrying that checkpoint")
            .ProducesProblem(404);
    }

    private static async Task<SignedCheckpoint?> LatestAsync(IMediator mediator, CancellationToken ct)
    {
        try
        {
            return await mediator.Send(new GetCheckpoint.Query(), ct);
        }
        catch (NotFoundException)
        {
            return null;
        }
    }
}

/// <summary>
/// Signs and publishes a checkpoint when the server starts and then at every interval; the database keeps the latest
/// any server published, so several servers over one ledger take turns without publishing a smaller tree.
/// </summary>
public sealed partial class CheckpointPublisher(IServiceScopeFactory scopes, TransparencyOptions options, ILogger<CheckpointPublisher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.CheckpointInterval);
        string? lastFailure = null;
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var published = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new PublishCheckpoint.Command(), stoppingToken);
                LogPublished(published.Checkpoint.Size, published.Checkpoint.RootHex);
                lastFailure = null;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One message per kind of failure, not one a minute: a missing key stays missing until someone creates it.
                if (e.Message != lastFailure)
                {
                    if (e is ClaimRuleException { Rule: "log-inconsistent" })
                    {
                        LogInconsistent(e.Message);
                    }
                    else if (e is ClaimRuleException)
                    {
                        LogNotPublished(null, e.Message);
                    }
                    else
                    {
                        LogNotPublished(e, e.Message);
                    }

                    lastFailure = e.Message;
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(LogLevel.Information, "The latest published checkpoint is of size {Size}, root {Root}")]
    private partial void LogPublished(long size, string root);

    [LoggerMessage(LogLevel.Critical, "Refused to sign a checkpoint: {Reason}")]
    private partial void LogInconsistent(string reason);

    [LoggerMessage(LogLevel.Warning, "No checkpoint published: {Reason}")]
    private partial void LogNotPublished(Exception? exception, string reason);
}
