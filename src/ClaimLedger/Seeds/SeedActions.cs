using ClaimLedger.Claims;
using ClaimLedger.Infrastructure;
using FluentValidation;
using MediatR;

namespace ClaimLedger.Seeds;

/// <summary>
/// One step of the seed scenario, as the request the CLI would send for it and as the pure decision that
/// request leads to, so the importer can check the whole scenario in memory before writing anything.
/// </summary>
internal abstract record SeedAction
{
    public abstract IEnumerable<SourceRef> References { get; }

    public abstract IRequest<WriteResult> Request(string claimId, WriteContext context);

    public abstract object Decide(Claim claim, Func<SourceRef, ClaimSource> resolve, string actor, DateTimeOffset at);

    public abstract IEnumerable<string> Validate(string claimId, WriteContext context);

    protected static IEnumerable<string> Check<T>(AbstractValidator<T> validator, T request) =>
        validator.Validate(request).Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}");
}

internal sealed record AttachAction(SourceRef Source, Stance Stance, string? Reason) : SeedAction
{
    public override IEnumerable<SourceRef> References => [Source];
    public override IRequest<WriteResult> Request(string claimId, WriteContext context) => Command(claimId, context);
    public override object Decide(Claim claim, Func<SourceRef, ClaimSource> resolve, string actor, DateTimeOffset at) =>
        AttachSource.Decide(claim, resolve(Source), Stance, Reason, actor, at);
    public override IEnumerable<string> Validate(string claimId, WriteContext context) => Check(new AttachSource.Validator(), Command(claimId, context));
    private AttachSource.Command Command(string claimId, WriteContext context) => new(claimId, Source, Stance, Reason, null, context);
}

internal sealed record CorroborateAction(SourceRef Source, string? Reason) : SeedAction
{
    public override IEnumerable<SourceRef> References => [Source];
    public override IRequest<WriteResult> Request(string claimId, WriteContext context) => Command(claimId, context);
    public override object Decide(Claim claim, Func<SourceRef, ClaimSource> resolve, string actor, DateTimeOffset at) =>
        CorroborateClaim.Decide(claim, resolve(Source), Reason, actor, at);
    public override IEnumerable<string> Validate(string claimId, WriteContext context) => Check(new CorroborateClaim.Validator(), Command(claimId, context));
    private CorroborateClaim.Command Command(string claimId, WriteContext context) => new(claimId, Source, Reason, null, context);
}

internal sealed record DisputeAction(string Reason, IReadOnlyList<SourceRef> Evidence) : SeedAction
{
    public override IEnumerable<SourceRef> References => Evidence;
    public override IRequest<WriteResult> Request(string claimId, WriteContext context) => Command(claimId, context);
    public override object Decide(Claim claim, Func<SourceRef, ClaimSource> resolve, string actor, DateTimeOffset at) =>
        DisputeClaim.Decide(claim, Reason, Evidence.Select(resolve).ToArray(), actor, at);
    public override IEnumerable<string> Validate(string claimId, WriteContext context) => Check(new DisputeClaim.Validator(), Command(claimId, context));
    private DisputeClaim.Command Command(string claimId, WriteContext context) => new(claimId, Reason, Evidence, null, context);
}

internal sealed record CorrectAction(string Field, string? NewValue, string Reason, IReadOnlyList<SourceRef> Evidence) : SeedAction
{
    public override IEnumerable<SourceRef> References => Evidence;
    public override IRequest<WriteResult> Request(string claimId, WriteContext context) => Command(claimId, context);
    public override object Decide(Claim claim, Func<SourceRef, ClaimSource> resolve, string actor, DateTimeOffset at) =>
        CorrectClaim.Decide(claim, Field, NewValue, Reason, Evidence.Select(resolve).ToArray(), actor, at);
    public override IEnumerable<string> Validate(string claimId, WriteContext context) => Check(new CorrectClaim.Validator(), Command(claimId, context));
    private CorrectClaim.Command Command(string claimId, WriteContext context) => new(claimId, Field, NewValue, Reason, Evidence, null, context);
}

internal sealed record VerdictAction(Rating Rating, string Rationale, IReadOnlyList<SourceRef> Evidence) : SeedAction
{
    public override IEnumerable<SourceRef> References => Evidence;
    public override IRequest<WriteResult> Request(string claimId, WriteContext context) => Command(claimId, context);
    public override object Decide(Claim claim, Func<SourceRef, ClaimSource> resolve, string actor, DateTimeOffset at) =>
        IssueVerdict.Decide(claim, Rating, Rationale, Evidence.Select(resolve).ToArray(), actor, at);
    public override IEnumerable<string> Validate(string claimId, WriteContext context) => Check(new IssueVerdict.Validator(), Command(claimId, context));
    private IssueVerdict.Command Command(string claimId, WriteContext context) => new(claimId, Rating, Rationale, Evidence, null, context);
}

internal sealed record RetractAction(string Reason) : SeedAction
{
    public override IEnumerable<SourceRef> References => [];
    public override IRequest<WriteResult> Request(string claimId, WriteContext context) => Command(claimId, context);
    public override object Decide(Claim claim, Func<SourceRef, ClaimSource> resolve, string actor, DateTimeOffset at) =>
        RetractClaim.Decide(claim, Reason, actor, at);
    public override IEnumerable<string> Validate(string claimId, WriteContext context) => Check(new RetractClaim.Validator(), Command(claimId, context));
    private RetractClaim.Command Command(string claimId, WriteContext context) => new(claimId, Reason, null, context);
}
