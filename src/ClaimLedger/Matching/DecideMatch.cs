using ClaimLedger.Claims;
using ClaimLedger.Common;
using FluentValidation;
using MediatR;
using Npgsql;

namespace ClaimLedger.Matching;

/// <summary>
/// A checker confirms or rejects a suggested match: the claim says the same as another desk claim or another
/// fact-checker's review. The decision is an event on the claim's stream, written by the one claim write like any
/// other, so the audit trail shows which earlier check a verdict leaned on.
/// </summary>
public static class DecideMatch
{
    public sealed record Command(
        string ClaimId, MatchKind MatchedKind, string MatchedId, MatchDecision Decision, string Reason,
        long? ExpectedVersion, WriteContext Context) : IClaimWrite;

    /// <summary>
    /// What the one claim write receives once the matched claim or review is known to exist. A match with another desk
    /// claim is written on that claim too, in the same transaction, so both histories show it.
    /// </summary>
    public sealed record Write(Command Request) : ISelfDecidingClaimCommand, IJointClaimCommand
    {
        public string ClaimId => Request.ClaimId;
        public long? ExpectedVersion => Request.ExpectedVersion;
        // The key guards the request as a whole (Command); this inner write must not claim it a second time.
        public WriteContext Context => Request.Context with { IdempotencyKey = null };
        IReadOnlyList<Citation> IClaimCommand.Citations => [];

        public IClaimCommand? WrittenWith => Request.MatchedKind == MatchKind.Claim && Request.MatchedId != Request.ClaimId
            ? new OtherSide(Request, Context)
            : null;

        public IClaimEvent Decide(Claim claim, DateTimeOffset at) => DecideMatch.Decide(claim, Request, at);
    }

    /// <summary>The matched desk claim's side of the decision: the same decision, pointing back at the claim it was made on.</summary>
    private sealed record OtherSide(Command Request, WriteContext Context) : ISelfDecidingClaimCommand
    {
        public string ClaimId => Request.MatchedId;
        public long? ExpectedVersion => null;
        IReadOnlyList<Citation> IClaimCommand.Citations => [];

        public IClaimEvent Decide(Claim claim, DateTimeOffset at) =>
            DecideMatch.Decide(claim, Request with { ClaimId = claim.Id, MatchedId = Request.ClaimId }, at) with { DecidedOn = Request.ClaimId };
    }

    public sealed class Handler(IMediator mediator, ClaimLedgerOptions options) : IRequestHandler<Command, WriteResult>
    {
        public async Task<WriteResult> Handle(Command command, CancellationToken cancellationToken)
        {
            if (!await ExistsAsync(options, command, cancellationToken))
            {
                throw new RequestValidationException([new("matchedId", command.MatchedKind == MatchKind.Review
                    ? $"the identifier or URL of an imported review; none is '{command.MatchedId}'"
                    : $"the id of a desk claim; none is '{command.MatchedId}'")]);
            }

            return await mediator.Send(new Write(command), cancellationToken);
        }
    }

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

    private static async Task<bool> ExistsAsync(ClaimLedgerOptions options, Command command, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(command.MatchedId))
        {
            return true;
        }

        await using var connection = new NpgsqlConnection(options.ConnectionString);
        await connection.OpenAsync(ct);
        var sql = command.MatchedKind == MatchKind.Review
            ? $"select exists (select 1 from {options.Schema}.{MatchingSchema.ReviewsTable} where result_id = @id)"
            : $"select exists (select 1 from {options.Schema}.mt_doc_claim where id = @id)";
        await using var query = new NpgsqlCommand(sql, connection);
        query.Parameters.AddWithValue("id", command.MatchedId);
        return (bool)(await query.ExecuteScalarAsync(ct))!;
    }

    public static MatchDecided Decide(Claim claim, Command command, DateTimeOffset at)
    {
        claim.EnsureOpen();
        if (command.MatchedKind == MatchKind.Claim && command.MatchedId == claim.Id)
        {
            throw new ClaimRuleException("match-with-itself", $"Claim '{claim.Id}' cannot be matched with itself.");
        }

        return new MatchDecided(claim.Id, command.MatchedKind.ToString(), command.MatchedId, command.Decision, command.Reason, claim.Id, command.Context.Actor, at);
    }
}
