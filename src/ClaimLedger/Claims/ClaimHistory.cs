using System.Text.Json;
using System.Text.Json.Serialization;
using ClaimLedger.Common;
using FluentValidation;
using Marten;
using MediatR;

namespace ClaimLedger.Claims;

/// <summary>Every event of a claim, oldest first: version, time, actor, reason and the full payload.</summary>
public static class ClaimHistory
{
    public sealed record Query(string ClaimId) : IRequest<IReadOnlyList<Entry>>;

    public sealed record Entry(
        long Version, long Sequence, DateTimeOffset Timestamp, string Type, string Actor, string? Reason,
        string? CorrelationId, bool Imported, JsonElement Payload)
    {
        /// <summary>The event itself, for replaying; the JSON output carries it as <see cref="Payload"/>.</summary>
        [JsonIgnore]
        public object Data { get; init; } = Payload;
    }

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator() => RuleFor(q => q.ClaimId).MustBeSlug();
    }

    public sealed class Handler(IDocumentStore store) : IRequestHandler<Query, IReadOnlyList<Entry>>
    {
        public async Task<IReadOnlyList<Entry>> Handle(Query query, CancellationToken cancellationToken)
        {
            await using var session = store.QuerySession();
            var events = await session.Events.FetchStreamAsync(query.ClaimId, token: cancellationToken);
            if (events.Count == 0)
            {
                throw new NotFoundException("claim", query.ClaimId);
            }

            return events.Select(e => new Entry(
                e.Version, e.Sequence, e.Timestamp, e.Data.GetType().Name,
                (e.Data as IClaimEvent)?.Actor ?? e.UserName ?? "", ReasonOf(e.Data), e.CorrelationId,
                e.Headers?.ContainsKey(ImportMark.ImportedHeader) == true,
                JsonDocument.Parse(store.Options.Serializer().ToJson(e.Data)).RootElement.Clone()) { Data = e.Data }).ToArray();
        }
    }

    public static string? ReasonOf(object data) => data switch
    {
        SourceAttached e => e.Reason,
        ClaimCorroborated e => e.Reason,
        ClaimDisputed e => e.Reason,
        ClaimCorrected e => e.Reason,
        ClaimRecordAmended e => e.Reason,
        FindingRecorded e => e.Note,
        AttributionChecked e => e.Note,
        VerdictIssued e => e.Rationale,
        ClaimRetracted e => e.Reason,
        MatchDecided e => e.Reason,
        _ => null,
    };
}
