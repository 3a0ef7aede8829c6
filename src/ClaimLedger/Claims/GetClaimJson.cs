using System.Text.Json;
using ClaimLedger.Common;
using FluentValidation;
using MediatR;

namespace ClaimLedger.Claims;

/// <summary>
/// The claim's current state as the read model stores it, passed through as JSON: the same document as
/// <see cref="GetClaim"/> without deserializing and serializing it again, for the API's hottest read.
/// </summary>
public static class GetClaimJson
{
    public sealed record Query(string ClaimId) : IRequest<Result>;

    /// <summary>The stored JSON as UTF-8 (camelCase, enums as names: the API's own form) and the claim's version, for its ETag.</summary>
    public sealed record Result(byte[] Json, long Version);

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator() => RuleFor(q => q.ClaimId).MustBeSlug();
    }

    public sealed class Handler(PointReads reads) : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query query, CancellationToken cancellationToken)
        {
            var json = await reads.JsonByIdAsync<Claim>(query.ClaimId, cancellationToken)
                ?? throw new NotFoundException("claim", query.ClaimId);
            return new Result(json, VersionOf(json));
        }

        /// <summary>Reads only the top-level "version" member, skipping everything else, whatever else the claim holds.</summary>
        private static long VersionOf(byte[] json)
        {
            var reader = new Utf8JsonReader(json);
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isVersion = reader.ValueTextEquals("version"u8);
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
