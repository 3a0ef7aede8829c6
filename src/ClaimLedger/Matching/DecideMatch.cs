using ClaimLedger.Claims;
using ClaimLedger.Common;
using ClaimLedger.Infrastructure;
using FluentValidation;
using Marten;
using MediatR;
using Npgsql;

namespace ClaimLedger.Matching;

/// <summary>
/// A checker confirms or rejects a suggested match: the claim says the same as another desk claim or another
/// fact-checker's review. The decision is an event on the claim's stream, so the audit trail shows which earlier check
/// a verdict leaned on. A match with another desk claim is written on both claims in one transaction, so each
/// claim's history shows it.
/// </summary>
public static class DecideMatch
{
    public sealed record Command(
        string ClaimId, MatchKind MatchedKind, string MatchedId, MatchDecision Decision, string Reason,
        long? ExpectedVersion, WriteContext Context) : IClaimWrite;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.ClaimId).MustBeSlug();
            RuleFor(c => c.MatchedKind).IsInEnum().WithMessage("Claim or Review");
            RuleFor(c => c.MatchedId).RequiredText(ClaimReviewFeed.MaxIdLength);
            RuleFor(c => c.MatchedId).MustBeSlug().When(c => c.MatchedKind == MatchKind.Claim);
            RuleFor(c => c.Decision).IsInEnum().WithMessage("Confirmed or Rejected");
            RuleFor(c => c.Reason).RequiredText(RequestRules.MaxReasonLength);
            RuleFor(c => c.ExpectedVersion).ValidExpectedVersion();
            RuleFor(c => c.Context).ValidWriteContext();
        }
    }

    public static MatchDecided Decide(Claim claim, Command command, string decidedOn, DateTimeOffset at)
    {
        claim.EnsureOpen();
        if (command.MatchedKind == MatchKind.Claim && command.MatchedId == command.ClaimId)
        {
            throw new ClaimRuleException("match-with-itself", $"Claim '{command.ClaimId}' cannot be matched with itself.");
        }

        var (matchedKind, matchedId) = claim.Id == command.ClaimId ? (command.MatchedKind, command.MatchedId) : (MatchKind.Claim, command.ClaimId);
        return new MatchDecided(claim.Id, matchedKind.ToString(), matchedId, command.Decision, command.Reason, decidedOn, command.Context.Actor, at);
    }

    public sealed class Handler(ClaimWriter writer, WriteBatch batch, IDocumentStore store, ClaimLedgerOptions options) : IRequestHandler<Command, WriteResult>
    {
        public async Task<WriteResult> Handle(Command command, CancellationToken cancellationToken)
        {
            if (command.MatchedKind == MatchKind.Review)
            {
                await EnsureReviewExistsAsync(command.MatchedId, cancellationToken);
                return await writer.AppendAsync(command.ClaimId, command.ExpectedVersion, command.Context,
                    (claim, at) => [Decide(claim, command, command.ClaimId, at)], cancellationToken);
            }

            // Both claims change together or neither does: one session, one commit.
            batch.Begin(store);
            try
            {
                var result = await writer.AppendAsync(command.ClaimId, command.ExpectedVersion, command.Context,
                    (claim, at) => [Decide(claim, command, command.ClaimId, at)], cancellationToken);
                await writer.AppendAsync(command.MatchedId, null, command.Context,
                    (claim, at) => [Decide(claim, command, command.ClaimId, at)], cancellationToken);
                await batch.CommitAsync(cancellationToken);
                return result;
            }
            finally
            {
                await batch.DisposeAsync();
            }
        }

        private async Task EnsureReviewExistsAsync(string id, CancellationToken ct)
        {
            await using var connection = new NpgsqlConnection(options.ConnectionString);
            await connection.OpenAsync(ct);
            await using var query = new NpgsqlCommand($"select exists (select 1 from {options.Schema}.{MatchingSchema.ReviewsTable} where result_id = @id)", connection);
            query.Parameters.AddWithValue("id", id);
            if (!(bool)(await query.ExecuteScalarAsync(ct))!)
            {
                throw new NotFoundException("reference review", id);
            }
        }
    }
}
