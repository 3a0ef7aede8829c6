using ClaimLedger.Common;
using MediatR;

namespace ClaimLedger.Transparency;

/// <summary>The latest published checkpoint, with every cosignature gathered for it: the same from every server.</summary>
public static class GetCheckpoint
{
    public sealed record Query : IRequest<SignedCheckpoint>;

    public sealed class Handler(PublishedCheckpoints published) : IRequestHandler<Query, SignedCheckpoint>
    {
        public async Task<SignedCheckpoint> Handle(Query query, CancellationToken cancellationToken) =>
            await published.LatestAsync(cancellationToken)
            ?? throw new NotFoundException("checkpoint", "latest (none is published yet: no server has a signing key, or none has signed its first one)");
    }
}
