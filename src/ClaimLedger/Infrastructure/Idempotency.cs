using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ClaimLedger.Common;
using Marten;
using MediatR;

namespace ClaimLedger.Infrastructure;

/// <summary>A write to a claim: what the idempotency and validation behaviours recognise.</summary>
public interface IClaimWrite : IRequest<WriteResult>
{
    WriteContext Context { get; }
}

/// <summary>The first outcome of a write sent with an idempotency key, kept so a retry gets it back instead of writing again.</summary>
public sealed record IdempotentWrite(string Id, string Fingerprint, WriteResult Result, DateTimeOffset At);

/// <summary>The key and request fingerprint of the write being handled in this scope, for <see cref="ClaimWriter"/> to store with its events.</summary>
public sealed class IdempotencyScope
{
    public string? Key { get; set; }
    public string? Fingerprint { get; set; }
}

/// <summary>
/// Retries are safe: the same idempotency key with the same request returns the original result and writes nothing;
/// the same key with a different request is refused. The record is saved in the write's own transaction, so two
/// concurrent requests with one key cannot both write.
/// </summary>
public sealed class IdempotencyBehavior<TRequest, TResponse>(IDocumentStore store, IdempotencyScope scope) : IPipelineBehavior<TRequest, TResponse>
{
    public const int MaxKeyLength = 200;
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (request is not IClaimWrite { Context.IdempotencyKey: { } key } write)
        {
            (scope.Key, scope.Fingerprint) = (null, null);
            return await next();
        }

        if (key.Length is 0 or > MaxKeyLength)
        {
            throw new RequestValidationException([new("idempotencyKey", $"1 to {MaxKeyLength} characters")]);
        }

        var fingerprint = Fingerprint(write);
        await using (var session = store.QuerySession())
        {
            if (await session.LoadAsync<IdempotentWrite>(key, cancellationToken) is { } earlier)
            {
                return (TResponse)(object)Replay(earlier, fingerprint);
            }
        }

        (scope.Key, scope.Fingerprint) = (key, fingerprint);
        try
        {
            return await next();
        }
        catch (Exception)
        {
            // Another request with this key may have committed first; then its outcome is this request's too.
            if (await FindAsync(key, cancellationToken) is { } winner)
            {
                return (TResponse)(object)Replay(winner, fingerprint);
            }

            throw;
        }
    }

    private async Task<IdempotentWrite?> FindAsync(string key, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.LoadAsync<IdempotentWrite>(key, ct);
    }

    private static WriteResult Replay(IdempotentWrite earlier, string fingerprint) =>
        earlier.Fingerprint == fingerprint
            ? earlier.Result
            : throw new ClaimRuleException("idempotency-key-reused",
                $"The idempotency key '{earlier.Id}' was already used on {earlier.At:u} for a different request; use a new key for a new request.");

    /// <summary>The request as sent, less the parts that may differ between retries (the key itself and the correlation id).</summary>
    private static string Fingerprint(IClaimWrite write)
    {
        var node = JsonSerializer.SerializeToNode(write, write.GetType(), Json)!.AsObject();
        node["Context"] = new JsonObject { ["Actor"] = write.Context.Actor };
        node["$type"] = write.GetType().FullName;
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(node.ToJsonString())));
    }
}
