using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ClaimLedger.Common;
using Marten;
using MediatR;

namespace ClaimLedger.Infrastructure;

/// <summary>The first outcome of a write sent with an idempotency key, kept so a retry gets it back instead of writing again.</summary>
public sealed record IdempotentWrite(string Id, string Fingerprint, WriteResult Result, DateTimeOffset At)
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    /// <summary>The request as sent, less the parts that may differ between retries (the key itself and the correlation id).</summary>
    public static string FingerprintOf(IClaimWrite write)
    {
        var node = JsonSerializer.SerializeToNode(write, write.GetType(), Json)!.AsObject();
        node["Context"] = new JsonObject { ["Actor"] = write.Context.Actor };
        node["$type"] = write.GetType().FullName;
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(node.ToJsonString())));
    }
}

/// <summary>
/// Retries are safe: the same idempotency key with the same request returns the original result and writes nothing;
/// the same key with a different request is refused. The record is saved in the write's own transaction, so two
/// concurrent requests with one key cannot both write.
/// </summary>
/// <remarks>
/// An outcome read back from the database is answered only once the primary shows it commits durably
/// (<see cref="FailoverFence.EnsureDurableAsync"/>): a primary restarted after a crash can show a write its standby never
/// received, which the failover then discards.
/// </remarks>
public sealed class IdempotencyBehavior<TRequest, TResponse>(IDocumentStore store, ClaimLedgerOptions options) : IPipelineBehavior<TRequest, TResponse>
{
    public const int MaxKeyLength = 200;

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request is not IClaimWrite { Context.IdempotencyKey: { } key } write)
        {
            return await next();
        }

        if (key.Length is 0 or > MaxKeyLength)
        {
            throw new RequestValidationException([new("idempotencyKey", $"1 to {MaxKeyLength} characters")]);
        }

        var fingerprint = IdempotentWrite.FingerprintOf(write);
        if (await FindAsync(key, cancellationToken) is { } earlier)
        {
            return (TResponse)(object)await ReplayAsync(earlier, fingerprint, cancellationToken);
        }

        try
        {
            return await next();
        }
        catch (Exception)
        {
            // Another request with this key may have committed first; then its outcome is this request's too.
            if (await FindAsync(key, cancellationToken) is { } winner)
            {
                return (TResponse)(object)await ReplayAsync(winner, fingerprint, cancellationToken);
            }

            throw;
        }
    }

    private async Task<IdempotentWrite?> FindAsync(string key, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.LoadAsync<IdempotentWrite>(key, ct);
    }

    private async Task<WriteResult> ReplayAsync(IdempotentWrite earlier, string fingerprint, CancellationToken ct)
    {
        await FailoverFence.EnsureDurableAsync(options.ConnectionString, ct);
        return earlier.Fingerprint == fingerprint
            ? earlier.Result
            : throw new ClaimRuleException("idempotency-key-reused",
                $"The idempotency key '{earlier.Id}' was already used on {earlier.At:u} for a different request; use a new key for a new request.");
    }
}
