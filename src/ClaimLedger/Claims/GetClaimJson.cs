using System.Text;
using System.Text.Json;
using ClaimLedger.Common;
using FluentValidation;
using Marten;
using MediatR;

namespace ClaimLedger.Claims;

/// <summary>
/// The claim's current state as the read model stores it, passed through as JSON: the same document as
/// <see cref="GetClaim"/> without deserializing and serializing it again, for the API's hottest read.
/// </summary>
public static class GetClaimJson
{
    public sealed record Query(string ClaimId) : IRequest<Result>;

    /// <summary>The stored JSON (camelCase, enums as names: the API's own form) and the claim's version, for its ETag.</summary>
    public sealed record Result(string Json, long Version);

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator() => RuleFor(q => q.ClaimId).MustBeSlug();
    }

    public sealed class Handler(IDocumentStore store) : IRequestHandler<Query, Result>
    {
        private static readonly byte[] VersionName = Encoding.UTF8.GetBytes("version");

        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            await using var session = store.QuerySession();
            var json = await session.Json.FindByIdAsync<Claim>(query.ClaimId, cancellationToken)
                ?? throw new NotFoundException("claim", query.ClaimId);
            return new Result(json, VersionOf(json));
        }

        /// <summary>Reads only the top-level "version" member, skipping everything else.</summary>
        private static long VersionOf(string json)
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isVersion = reader.ValueTextEquals(VersionName);
                reader.Read();
                if (isVersion)
                {
                    return reader.GetInt64();
                }

                reader.Skip();
            }

            throw new InvalidOperationException("A stored claim has no version.");
        }
    }
}
