using ClaimLedger.Common;
using MediatR;

namespace ClaimLedger.Transparency;

/// <summary>The latest published checkpoint, with every cosignature gathered for it.</summary>
public static class GetCheckpoint
{
    public sealed record Query : IRequest<SignedCheckpoint>;

    public sealed class Handler(CheckpointPublication publication) : IRequestHandler<Query, SignedCheckpoint>
    {
        public Task<SignedCheckpoint> Handle(Query query, CancellationToken cancellationToken) =>
            Task.FromResult(publication.Latest ?? throw new NotFoundException("checkpoint", "latest (none is published yet: the server has no signing key, or has not signed its first one)"));
    }
}
