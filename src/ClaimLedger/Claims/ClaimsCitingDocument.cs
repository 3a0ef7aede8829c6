using System.Text.Json;
using ClaimLedger.Common;
using FluentValidation;
using Marten;
using MediatR;

namespace ClaimLedger.Claims;

/// <summary>
/// Every span of one document that a claim cites, as the claims stand now: where a claim appears, and the sources and
/// the evidence of findings, attribution checks and verdicts taken from it. The article view highlights and links each one.
/// </summary>
public static class ClaimsCitingDocument
{
    public enum Role { Appearance, Source, Corroboration, VerdictEvidence, FindingEvidence, AttributionEvidence }

    public sealed record Query(string DocumentId) : IRequest<IReadOnlyList<Citation>>;

    public sealed record Citation(string ClaimId, string Statement, ClaimStatus Status, Rating? Rating, Role Role, Stance? Stance, int Start, int End);

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator() => RuleFor(q => q.DocumentId).MustBeSlug();
    }

    public sealed class Handler(IDocumentStore store) : IRequestHandler<Query, IReadOnlyList<Citation>>
    {
        public async Task<IReadOnlyList<Citation>> Handle(Query query, CancellationToken cancellationToken)
        {
            await using var session = store.QuerySession();
            var id = query.DocumentId;
            // jsonb containment, so one query finds the document wherever a claim cites it.
            var span = JsonSerializer.Serialize(new[] { new { documentId = id } });
            var claims = await session.QueryAsync<Claim>(
                "where data -> 'appearance' ->> 'documentId' = ? or data -> 'sources' @> ?::jsonb or data -> 'verdict' -> 'evidence' @> ?::jsonb " +
                "or data -> 'established' @> ?::jsonb or data -> 'attribution' -> 'evidence' @> ?::jsonb",
                cancellationToken, id, JsonSerializer.Serialize(new[] { new { source = new { documentId = id } } }), span,
                JsonSerializer.Serialize(new[] { new { evidence = new[] { new { documentId = id } } } }), span);
            return claims.SelectMany(c => CitationsOf(c, id)).OrderBy(c => c.Start).ThenBy(c => c.ClaimId).ToArray();
        }
    }

    public static IEnumerable<Citation> CitationsOf(Claim claim, string documentId)
    {
        Citation Cite(ClaimSource source, Role role, Stance? stance = null) =>
            new(claim.Id, claim.Statement, claim.Status, claim.Verdict?.Rating, role, stance, source.Start, source.End);

        if (claim.Appearance.DocumentId == documentId)
        {
            yield return Cite(claim.Appearance, Role.Appearance);
        }

        foreach (var attached in claim.Sources.Where(s => s.Source.DocumentId == documentId))
        {
            yield return Cite(attached.Source, attached.Corroborates ? Role.Corroboration : Role.Source, attached.Stance);
        }

        foreach (var evidence in claim.Established.SelectMany(f => f.Evidence).Where(e => e.DocumentId == documentId))
        {
            yield return Cite(evidence, Role.FindingEvidence);
        }

        foreach (var evidence in claim.Attribution?.Evidence.Where(e => e.DocumentId == documentId) ?? [])
        {
            yield return Cite(evidence, Role.AttributionEvidence);
        }

        foreach (var evidence in claim.Verdict?.Evidence.Where(e => e.DocumentId == documentId) ?? [])
        {
            yield return Cite(evidence, Role.VerdictEvidence);
        }
    }
}
